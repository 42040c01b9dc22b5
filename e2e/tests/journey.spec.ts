import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { INSPIRE1_LOG, MINI4PRO_V14_LOG, fixture } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.resolve(here, '../artifacts');

const inspire = fixture(INSPIRE1_LOG);
const v14 = fixture(MINI4PRO_V14_LOG);

test.describe.configure({ mode: 'serial' });
test.skip(!inspire || !v14, 'real DJI fixtures not found (see message above)');

test.beforeEach(async ({ page }) => {
  // Metric display and dark theme as the starting point, whatever the browser locale says.
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('e2e-init')) {
      localStorage.setItem('dronelog.units', 'metric');
      localStorage.setItem('dronelog.theme', 'dark');
      sessionStorage.setItem('e2e-init', '1');
    }
  });
});

/** Later journeys need the Inspire 1 flight; import it through the API when a test runs on its own (-g). */
async function ensureFlight(request: APIRequestContext) {
  const list = await (await request.get('/api/v1/flights?limit=1')).json();
  if (list.total > 0) return;
  const res = await request.post('/api/v1/imports', {
    multipart: { files: { name: path.basename(inspire!), mimeType: 'text/plain', buffer: fs.readFileSync(inspire!) } },
  });
  expect(res.ok()).toBe(true);
}

/** Drop files on the window the way a browser does for a drag from the desktop. */
async function dropFiles(page: Page, files: Array<{ name: string; bytes: Buffer }>) {
  await page.evaluate(async (list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'text/plain' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      await new Promise((r) => setTimeout(r, 30));
    }
  }, files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })));
}

/** Pixels in an element's screenshot that are clearly coloured (the path ramp), not grey/background. */
async function colouredPixels(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      const max = Math.max(d[i]!, d[i + 1]!, d[i + 2]!);
      const min = Math.min(d[i]!, d[i + 1]!, d[i + 2]!);
      if (max - min > 90) n++;
    }
    return n;
  }, png.toString('base64'));
}

test('first run shows how to import, including the DJI_API_KEY note for v13+ logs', async ({ page }) => {
  await page.goto('/');
  const empty = page.getByTestId('empty-state');
  await expect(empty).toBeVisible();
  await expect(empty).toContainText('Choose log files');
  await expect(empty).toContainText('DJI_API_KEY');
});

test('importing a real log with the file picker shows progress, the result and a link to the flight', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('empty-file-input').setInputFiles(inspire!);
  const item = page.getByTestId('import-item').filter({ hasText: 'Inspire1' });
  await expect(item.getByTestId('import-status')).toHaveText('Imported', { timeout: 30_000 });
  await expect(item.getByTestId('import-flight-link')).toBeVisible();
  // The list refreshes by itself once the import lands.
  await expect(page.getByTestId('flight-row')).toHaveCount(1);
  await expect(page.getByTestId('totals')).toContainText('1 flight');
});

test('dropping files anywhere imports them one by one: a bad file shows its error, a v14 log awaits a key', async ({ page }) => {
  await page.goto('/import');
  await expect(page.getByTestId('drop-target')).toBeVisible(); // app mounted: window drop handlers attached
  await dropFiles(page, [
    { name: 'random-bytes.txt', bytes: randomBytes(4096) },
    { name: path.basename(v14!), bytes: fs.readFileSync(v14!) },
    { name: path.basename(inspire!), bytes: fs.readFileSync(inspire!) },
  ]);
  const bad = page.getByTestId('import-item').filter({ hasText: 'random-bytes.txt' });
  await expect(bad.getByTestId('import-status')).toHaveText('Failed', { timeout: 30_000 });
  await expect(bad.getByTestId('import-reason')).toContainText(/not a DJI flight log/i);
  const enc = page.getByTestId('import-item').filter({ hasText: 'pydjirecord' });
  await expect(enc.getByTestId('import-status')).toHaveText('Awaiting DJI key', { timeout: 30_000 });
  await expect(enc.getByTestId('import-reason')).toContainText('DJI_API_KEY');
  const dup = page.getByTestId('import-item').filter({ hasText: 'Inspire1' });
  await expect(dup.getByTestId('import-status')).toHaveText('Already in logbook', { timeout: 30_000 });
  await expect(dup.getByTestId('import-flight-link')).toBeVisible();
});

test('the list filters by text and date range in the URL, with totals for the filtered set', async ({ page, request }) => {
  await ensureFlight(request);
  await page.goto('/');
  await expect(page.getByTestId('flight-row')).toHaveCount(1);
  await page.getByTestId('search').fill('no such flight');
  await expect(page).toHaveURL(/q=no\+such\+flight/);
  await expect(page.getByText('No flights match these filters.')).toBeVisible();
  await expect(page.getByTestId('totals')).toContainText('0 flights');
  await page.goto('/?from=2018-06-01&to=2018-06-30');
  await expect(page.getByTestId('flight-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Last 90 days' }).click();
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}/);
  await expect(page.getByTestId('flight-row')).toHaveCount(0);
});

test('flight page: stats, charts with a hovered value equal to the API value, map with the path, replay moving the marker', async ({ page, request }) => {
  await ensureFlight(request);
  const external: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) external.push(r.url());
  });

  await page.goto('/');
  const telemetryResponse = page.waitForResponse((r) => r.url().includes('/telemetry') && r.url().includes('points=') && !r.url().includes('from='));
  await page.getByTestId('flight-row').getByRole('link').click();
  await expect(page).toHaveURL(/\/flights\/\d+$/);
  const api = await (await telemetryResponse).json();

  // Header stats.
  await expect(page.getByTestId('stat-duration')).toContainText('3:19');
  await expect(page.getByTestId('stat-height')).toContainText('55.9 m');
  await expect(page.getByTestId('stat-aircraft')).toContainText('Inspire 1');
  await expect(page.getByTestId('stat-battery-used')).toContainText('25%');

  // Charts drawn: the height panel's canvas has ink.
  const height = page.locator('[data-panel="height"] .plot');
  await expect(height).toHaveAttribute('data-ready', 'true');
  const inked = await height.locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
  expect(inked).toBeGreaterThan(1000);
  expect(await page.getByTestId('chart-panel').count()).toBeGreaterThanOrEqual(5);

  // Hover: the legend shows the value the API returned for that sample.
  const over = height.locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.62, box.y + box.height / 2);
  await expect(height).toHaveAttribute('data-cursor-ms', /\d+/);
  const ms = Number(await height.getAttribute('data-cursor-ms'));
  const i = (api.t as number[]).indexOf(ms);
  expect(i).toBeGreaterThanOrEqual(0);
  const expected = `${(api.series.heightM[i] as number).toFixed(1)} m`;
  await expect(height.locator('.u-legend .u-series').nth(1).locator('.u-value')).toHaveText(expected);
  // The other panels' cursors moved with it (synchronised): the speed panel reports the same time.
  await expect(page.locator('[data-panel="speed"] .plot')).toHaveAttribute('data-cursor-ms', String(ms));

  // Map: canvas drawn with the coloured path.
  const map = page.getByTestId('flight-map');
  await expect(map).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.mouse.move(0, 0);
  await page.waitForTimeout(500);
  expect(await colouredPixels(page, await map.screenshot())).toBeGreaterThan(300);

  // Replay: the marker moves; the clock advances; space pauses.
  await page.getByTestId('scrubber').fill('0');
  const before = await map.getAttribute('data-marker');
  await page.getByTestId('speed').selectOption('16');
  await page.getByTestId('play').click();
  await expect.poll(async () => map.getAttribute('data-marker'), { timeout: 10_000 }).not.toBe(before);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Play replay');
  const paused = await page.getByTestId('replay-time').textContent();
  const cursorAtPause = await height.getAttribute('data-cursor-ms');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('replay-time')).not.toHaveText(paused!);
  // The chart cursors follow the replay clock (legend values at the playhead).
  await expect(height).not.toHaveAttribute('data-cursor-ms', cursorAtPause ?? '');
  await expect(height.locator('.u-legend .u-series').nth(1).locator('.u-value')).toHaveText(/\d m$/);

  // Drag-to-zoom re-fetches the window at higher detail.
  const zoomed = page.waitForResponse((r) => r.url().includes('/telemetry') && r.url().includes('from='));
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await zoomed;
  await expect(page.getByTestId('zoom-reset')).toBeVisible();

  // Clicking the path seeks the replay there (top-down view so the elevated path sits over its ground point).
  await page.locator('.maplibregl-ctrl-compass').click();
  await page.waitForTimeout(1200);
  await page.getByTestId('scrubber').fill('100000');
  const [mx, my] = (await map.getAttribute('data-marker-px'))!.split(',').map(Number);
  await page.getByTestId('scrubber').fill('0');
  const mapBox = (await map.boundingBox())!;
  await page.mouse.click(mapBox.x + mx!, mapBox.y + my!);
  await expect
    .poll(async () => {
      const [m, sec] = ((await page.getByTestId('replay-time').textContent()) ?? '').split('/')[0]!.trim().split(':').map(Number);
      return Math.abs(m! * 60 + sec! - 100);
    })
    .toBeLessThan(15);

  expect(external, 'requests to third parties').toEqual([]);
});

test('name, colour, tags and notes are saved, shown in the list and filterable', async ({ page, request }) => {
  await ensureFlight(request);
  await page.goto('/');
  await page.getByTestId('flight-row').getByRole('link').click();
  const name = page.getByTestId('flight-name');
  await name.fill('Lake survey');
  await name.press('Enter');
  await expect(page.getByText('Saved')).toBeVisible();
  await page.getByLabel('Add a tag').fill('inspection');
  await page.getByLabel('Add a tag').press('Enter');
  await expect(page.getByText('Saved')).toBeVisible();
  await page.getByLabel('Flight colour').fill('#ff6600');
  await page.getByLabel('Notes').fill('Windy, 6 m/s from the west.');
  await page.getByLabel('Notes').blur();
  await expect(page.getByText('Saved')).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('flight-name')).toHaveValue('Lake survey');
  await expect(page.getByLabel('Notes')).toHaveValue('Windy, 6 m/s from the west.');
  await expect(page.getByLabel('Remove tag inspection')).toBeVisible();
  await expect(page.getByLabel('Flight colour')).toHaveValue('#ff6600');

  // The back link returns to the list; the tag is a filter option and goes into the URL.
  await page.getByLabel('Back to flights').click();
  await expect(page.getByTestId('flight-row')).toContainText('Lake survey');
  await page.getByLabel('Tag', { exact: true }).selectOption('inspection');
  await expect(page).toHaveURL(/tag=inspection/);
  await expect(page.getByTestId('flight-row')).toHaveCount(1);
  await page.getByTestId('search').fill('lake');
  await expect(page).toHaveURL(/q=lake/);
  await expect(page.getByTestId('flight-row')).toHaveCount(1);
});

test('flight page screenshots in dark and light themes, and on a phone', async ({ page, request }) => {
  await ensureFlight(request);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.goto('/');
  await page.getByTestId('flight-row').getByRole('link').click();
  const map = page.getByTestId('flight-map');
  await expect(map).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.locator('[data-panel="height"] .plot')).toHaveAttribute('data-ready', 'true');
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(ARTIFACTS, 'flight-dark.png') });
  await test.info().attach('flight-dark', { path: path.join(ARTIFACTS, 'flight-dark.png'), contentType: 'image/png' });

  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.waitForTimeout(1200);
  await page.screenshot({ path: path.join(ARTIFACTS, 'flight-light.png') });
  await test.info().attach('flight-light', { path: path.join(ARTIFACTS, 'flight-light.png'), contentType: 'image/png' });

  // Remembered per browser.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(page.getByTestId('flight-row')).toHaveCount(1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'list-phone-light.png'), fullPage: true });
  await page.getByTestId('flight-row').getByRole('link').click();
  await expect(page.locator('[data-panel="height"] .plot')).toHaveAttribute('data-ready', 'true');
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(ARTIFACTS, 'flight-phone-light.png') });
});
