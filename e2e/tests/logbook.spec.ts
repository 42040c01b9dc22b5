import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { fixture } from './fixtures.js';

/**
 * Logbook journeys (issues #5, #6): overview totals and activity calendar against the API, the printable report,
 * manual entry with the API's validation messages, equipment, settings, exports and events on the flight page,
 * and the sync page's set-up help (this server runs without SYNC_LOGS_PATH). Runs after journey.spec.ts on the
 * same server, so every number is compared with the API rather than hard-coded.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.resolve(here, '../artifacts');

/** Two Phantom 3 flights on 2018-01-12 (16:43 and 16:57 local in Puerto Rico; the same day in Berlin too). */
const P3_A = fixture('dji/chrisvm_phantom3_3.txt');
const P3_B = fixture('dji/chrisvm_phantom3_0.txt');
/** An Inspire 1 flight on 2018-06-15 (11:17 local in Colorado, 19:17 in Berlin). */
const INSPIRE = fixture('dji/vtolabs-droner_df063_Inspire1_DJIFlightRecord_2018-06-15_[11-17-44].txt');

test.describe.configure({ mode: 'serial' });
test.skip(!P3_A || !P3_B || !INSPIRE, 'real DJI fixtures not found (see message above)');

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('e2e-init')) {
      localStorage.setItem('dronelog.units', 'metric');
      localStorage.setItem('dronelog.theme', 'dark');
      sessionStorage.setItem('e2e-init', '1');
    }
  });
});

/** Import real logs through the API (already imported = duplicate, also fine). */
async function importLogs(request: APIRequestContext, files: string[]) {
  for (const f of files) {
    const res = await request.post('/api/v1/imports', {
      multipart: { files: { name: path.basename(f), mimeType: 'text/plain', buffer: fs.readFileSync(f) } },
      timeout: 60_000,
    });
    expect(res.ok()).toBe(true);
    const body = await res.json();
    expect(['imported', 'duplicate']).toContain(body.results[0].status);
  }
}

async function shot(page: Page, name: string, fullPage = true) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const p = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: p, fullPage });
  await test.info().attach(name, { path: p, contentType: 'image/png' });
}

/** YYYY-MM-DD of a Date in the browser's zone (the e2e browser runs in Europe/Berlin). */
function berlinDay(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

test('manual entry shows the API validation message on the field, then saves a flight with the Manual Entry tag', async ({ page, request }) => {
  await importLogs(request, [P3_A!, P3_B!, INSPIRE!]);
  await page.goto('/flights/new');
  await page.getByTestId('f-aircraftSerial').fill('E2E-AC-1');
  await page.getByTestId('f-aircraftName').fill('Testbird');
  await page.getByTestId('f-batterySerial').fill('E2E-BAT-1');
  await page.getByTestId('f-minutes').fill('12');
  await page.getByTestId('f-seconds').fill('30');
  await page.getByTestId('f-lat').fill('52.5163, 13.3777'); // a pasted pair fills both fields
  await expect(page.getByTestId('f-lon')).toHaveValue('13.3777');
  // Tomorrow: the API refuses a flight in the future; its message lands under the take-off field.
  const tomorrow = berlinDay(new Date(Date.now() + 86_400_000));
  await page.getByTestId('f-date').fill(tomorrow);
  await page.getByTestId('f-time').fill('10:00');
  await page.getByTestId('f-submit').click();
  await expect(page.getByTestId('err-startTime')).toContainText('in the future');
  // Three days ago: saved, and the flight page shows it.
  const day = berlinDay(new Date(Date.now() - 3 * 86_400_000));
  await page.getByTestId('f-date').fill(day);
  await page.getByTestId('f-name').fill('Rooftop check');
  await page.getByTestId('f-submit').click();
  await expect(page).toHaveURL(/\/flights\/\d+$/);
  await expect(page.getByTestId('flight-name')).toHaveValue('Rooftop check');
  await expect(page.locator('.chip', { hasText: 'Manual Entry' })).toBeVisible();
  await page.getByTestId('history-tab').click();
  await expect(page.getByTestId('audit')).toContainText('Created by hand');
});

test('overview: totals equal the API, the calendar shows the flying days, a day opens the list of its flights', async ({ page, request }) => {
  const api = await (await request.get(`/api/v1/overview?activityTo=${berlinDay(new Date())}`)).json();
  await page.goto('/overview');
  await expect(page.getByTestId('ov-flights')).toContainText(String(api.totals.flights));
  const min = Math.round(api.totals.durationS / 60);
  await expect(page.getByTestId('ov-duration')).toContainText(min >= 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${min} min`);
  await expect(page.getByTestId('ov-aircraft')).toContainText(String(api.totals.aircraft));
  // This year's calendar: the manual flight of three days ago.
  const heat = page.getByTestId('heatmap');
  const activeDays = api.activity.days.filter((d: { flights: number }) => d.flights > 0);
  expect(activeDays.length).toBeGreaterThanOrEqual(1);
  await expect(heat.locator('rect[data-count]:not([data-count="0"])')).toHaveCount(activeDays.length);
  await shot(page, 'overview-dark');

  // 2018: two flights on 12 January and one on 15 June; the calendar ends at the `to` filter.
  const y2018 = await (await request.get('/api/v1/overview?from=2018-01-01&to=2018-12-31&activityTo=2018-12-31')).json();
  await page.goto('/overview?from=2018-01-01&to=2018-12-31');
  await expect(page.getByTestId('ov-flights')).toContainText(String(y2018.totals.flights));
  await expect(heat.locator('rect[data-date="2018-01-12"]')).toHaveAttribute('data-count', '2');
  await expect(heat.locator('rect[data-date="2018-06-15"]')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('heatmap-summary')).toContainText(`${y2018.totals.flights} flights`);
  await expect(page.getByTestId('by-aircraft')).toContainText('Phantom 3');
  await expect(page.getByTestId('takeoff-map')).toHaveAttribute('data-points', String(y2018.takeoffs.points.length));
  await heat.locator('a:has(rect[data-date="2018-01-12"])').click();
  await expect(page).toHaveURL(/\/\?from=2018-01-12&to=2018-01-12$/);
  await expect(page.getByTestId('flight-row')).toHaveCount(2);

  await page.goto('/overview');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shot(page, 'overview-light');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('ov-totals')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, 'overview-phone-light');
});

test('report: totals card equals the API; the printable report has the day groups, the pilot and the grand total', async ({ page, request, context }) => {
  const totals = await (await request.get('/api/v1/report/totals')).json();
  // 2018 holds this file's three flights, and the journey's Inspire 1 flight when journey.spec.ts ran first.
  const n2018 = (await (await request.get('/api/v1/flights?from=2018-01-01&to=2018-12-31&limit=1')).json()).total as number;
  expect(n2018).toBeGreaterThanOrEqual(3);
  await page.goto('/report?from=2018-01-01&to=2018-12-31');
  await expect(page.getByTestId('report-selection')).toContainText(`${n2018} flights`);
  await expect(page.getByTestId('report-period')).toHaveText('1 Jan 2018 – 31 Dec 2018');
  const all = totals.periods.find((p: { days: number | null }) => p.days === null);
  await expect(page.getByTestId('period-all')).toContainText(String(all.flights));
  const last90 = totals.periods.find((p: { days: number | null }) => p.days === 90);
  await expect(page.getByTestId('period-90')).toContainText(String(last90.flights));
  await expect(page.getByTestId('currency')).toContainText(totals.currency.current ? 'Current' : 'Not current');
  await page.getByTestId('report-pilot').fill('Ada Lovelace');
  await page.getByTestId('report-title').fill('Logbook 2018');

  const link = page.getByTestId('open-report');
  const href = (await link.getAttribute('href'))!;
  expect(href).toContain('pilot=Ada+Lovelace');
  const html = await (await request.get(href)).text();
  expect(html).toContain('<section class="day" data-day="2018-01-12">');
  expect(html).toContain('<section class="day" data-day="2018-06-15">');
  expect(html).toContain('Grand total');
  const grand = html.slice(html.indexOf('<section class="grand">'));
  expect(grand).toContain(`<tr><td>Flights</td><td class="num">${n2018}</td></tr>`);
  expect(html).toContain('Ada Lovelace');
  // The local days the page sends (with their offset) are printed as days.
  expect(html).toContain('<dt>Flights</dt><dd>1 Jan 2018 – 31 Dec 2018</dd>');

  // "Open report" opens the standalone page in a new tab.
  const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await popup.waitForLoadState();
  await expect(popup.locator('h1')).toHaveText('Logbook 2018');
  await expect(popup.locator('section.grand')).toContainText('Grand total');
  await popup.close();
  await shot(page, 'report-dark', false);
});

test('equipment: battery health and maintenance are listed; a battery can be renamed', async ({ page }) => {
  await page.goto('/equipment');
  const card = page.locator('[data-testid="battery-card"][data-serial="E2E-BAT-1"]');
  await expect(card).toBeVisible();
  await expect(card.getByTestId('battery-health')).toHaveText(/\d+%/);
  await card.getByTestId('rename').click();
  await card.getByTestId('rename-input').fill('Spare pack');
  await card.getByTestId('rename-input').press('Enter');
  await expect(card).toContainText('Spare pack');
  await page.reload();
  await expect(page.locator('[data-testid="battery-card"][data-serial="E2E-BAT-1"]')).toContainText('Spare pack');
  await expect(page.locator('[data-testid="maint-item"][data-serial="E2E-AC-1"]')).toBeVisible();
  await shot(page, 'equipment-dark', false);
});

test('settings: a switched-off smart tag type is saved and regenerating reports the retagged flights', async ({ page, request }) => {
  await page.goto('/settings');
  await page.getByTestId('rule-shortFlight').uncheck();
  await page.getByTestId('save-tags').click();
  await expect(page.getByTestId('settings-message')).toContainText('Saved');
  expect((await (await request.get('/api/v1/settings/smart-tags')).json()).settings.enabled.shortFlight).toBe(false);
  await page.getByTestId('regenerate').click();
  await expect(page.getByTestId('settings-message')).toContainText(/Tags regenerated for \d+ flights/);
  // Put it back for whoever runs next.
  await page.getByTestId('rule-shortFlight').check();
  await page.getByTestId('save-tags').click();
  await expect(page.getByTestId('settings-message')).toContainText('Saved');
  await page.getByTestId('regenerate').click();
  await expect(page.getByTestId('settings-message')).toContainText('Tags regenerated');
});

test('flight page: export menu links download each format; events are listed; the list exports the filtered flights', async ({ page, request }) => {
  await page.goto('/?from=2018-06-15&to=2018-06-15');
  await expect(page.getByTestId('flight-row')).toHaveCount(1);
  const zip = await page.getByTestId('export-zip-gpx').getAttribute('href');
  expect(zip).toMatch(/^\/api\/v1\/exports\/flights\.zip\?from=.*&format=gpx$/);
  const csv = await request.get((await page.getByTestId('export-summary').getAttribute('href'))!);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect((await csv.text()).trim().split('\n')).toHaveLength(2); // header + the one flight

  await page.getByTestId('flight-row').getByRole('link').click();
  await expect(page).toHaveURL(/\/flights\/\d+$/);
  const links = page.getByTestId('export-menu').locator('a[data-format]');
  await expect(links).toHaveCount(6);
  const gpx = await request.get((await links.filter({ hasText: 'GPX' }).getAttribute('href'))!);
  expect(gpx.ok()).toBe(true);
  expect(await gpx.text()).toContain('<gpx');
  await expect(page.getByTestId('events').locator('li').first()).toBeVisible();
});

test('sync: without SYNC_LOGS_PATH the import page and the sync page explain how to turn it on', async ({ page }) => {
  await page.goto('/import');
  await expect(page.getByTestId('sync-card').getByTestId('sync-disabled')).toContainText('disabled');
  await expect(page.getByTestId('sync-card')).toContainText('SYNC_LOGS_PATH');
  await page.getByTestId('sync-card').getByRole('link', { name: /How to set up/ }).click();
  await expect(page).toHaveURL(/\/sync$/);
  await expect(page.getByTestId('sync-state')).toHaveText('Disabled');
  await expect(page.getByTestId('sync-disabled')).toContainText('SYNC_INTERVAL');
  await expect(page.getByTestId('sync-now')).toHaveCount(0);
  await shot(page, 'sync-disabled-dark', false);
});
