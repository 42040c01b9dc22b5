import { expect, test } from '@playwright/test';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';

/**
 * Runs against the second server of playwright.config.ts, started with MAP_PMTILES_PATH (a one-tile PMTiles world):
 * the flight map loads the server's own style and reads the archive by range requests, and the page talks to its
 * own origin only.
 */
test('with a local .pmtiles basemap the flight map loads the local style and tiles, and every request stays on this server', async ({ page, request, baseURL }) => {
  const config = await (await request.get('/api/v1/config')).json();
  expect(config.basemap).toEqual({ kind: 'pmtiles', styleUrl: '/api/v1/basemap/style.json' });

  const list = await (await request.get('/api/v1/flights?limit=1')).json();
  let id: number = list.items[0]?.id;
  if (!id) {
    const log = writeDjiLog(demoFlight({ seed: 'basemap-e2e', durationS: 90, home: { latitude: 46.50531, longitude: 6.62744, altitudeM: 373 } }), { version: 10 });
    const res = await request.post('/api/v1/imports', {
      multipart: { files: { name: 'DJIFlightRecord_basemap.txt', mimeType: 'text/plain', buffer: Buffer.from(log.bytes) } },
    });
    expect(res.ok()).toBe(true);
    id = (await res.json()).results[0].flightId;
  }

  const origin = new URL(baseURL!).origin;
  const requests: Array<{ url: string; range: string | undefined }> = [];
  const tileStatuses: number[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), range: r.headers()['range'] }));
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/basemap/tiles.pmtiles')) tileStatuses.push(r.status());
  });
  await page.addInitScript(() => localStorage.setItem('dronelog.theme', 'dark'));
  await page.goto(`/flights/${id}`);

  const map = page.getByTestId('flight-map');
  await expect(map).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  // The dark flavour of the server's style, and the archive read by byte ranges (header + root first).
  expect(requests.some((r) => r.url === `${origin}/api/v1/basemap/style.json?theme=dark`)).toBe(true);
  const tileReads = requests.filter((r) => r.url === `${origin}/api/v1/basemap/tiles.pmtiles`);
  expect(tileReads.length).toBeGreaterThanOrEqual(2);
  expect(tileReads.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? ''))).toBe(true);
  expect(tileReads.some((r) => r.range === 'bytes=0-16383')).toBe(true);
  expect(tileStatuses.length).toBeGreaterThanOrEqual(2);
  expect(tileStatuses.every((s) => s === 206)).toBe(true);
  // The basemap loaded: no fallback message, and attribution for the OpenStreetMap data is shown.
  await expect(page.getByText('The basemap could not be loaded')).toHaveCount(0);
  await expect(page.locator('.maplibregl-ctrl-attrib')).toContainText('OpenStreetMap');

  const foreign = requests.map((r) => r.url).filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(foreign, 'requests to anything but this server').toEqual([]);
});
