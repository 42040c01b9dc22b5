import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportTotals } from '@dronelog/contracts';
import { buildTestApp, type TestApp } from './helper.js';
import { assertWellFormedXml } from './analytics-helpers.js';
import { seedFlight, type Logbook } from './seed.js';

const DAY_MS = 86_400_000;

/**
 * A small logbook (no telemetry needed):
 * | f1 | AC1 | 2024-09-01 14:55 UTC           | 600 s  | 1000 m | 100 m | notes with <script> |
 * | f2 | AC1 | 2024-09-01 23:30 UTC           | 900 s  | 2500 m | 120 m |
 * | f3 | AC2 | 2024-09-02 08:00 UTC           | 1200 s | 5000 m | 300 m |
 * | f7 | AC1 | 2024-09-01 22:30 UTC = 2024-09-02 00:30 Zurich (local day 2 Sept) | 1500 s | 3000 m | 80 m |
 * | r1 | AC1 | 10 days ago                    | 5400 s | 9000 m |  50 m |
 * | r2 | AC2 | 60 days ago                    | 3600 s |   –    |   –   |
 */
describe('logbook report', () => {
  let t: TestApp;
  const ids = {} as Pick<Logbook['ids'], 'f1' | 'f2' | 'f3'> & { f7: number; r1: number; r2: number };
  const now = Date.now();

  beforeAll(async () => {
    t = await buildTestApp();
    const seed = (flight: Parameters<typeof seedFlight>[1]['flight']) => seedFlight(t.app.db, { flight });
    ids.f1 = await seed({
      aircraft_name: 'Minnie', aircraft_model: 'Mini 4 Pro', aircraft_serial: 'AC1', battery_serial: 'B1', start_time: '2024-09-01T14:55:00Z',
      duration_s: 600, distance_m: 1000, max_height_m: 100, max_distance_from_home_m: 250, takeoff_lat: 47.1, takeoff_lon: 8.1,
      landing_lat: 47.1001, landing_lon: 8.1001, place: 'Zürich & Co', battery_start_percent: 98, battery_end_percent: 40,
      notes: 'Calm <script>alert("x")</script>\nsecond line',
    });
    ids.f2 = await seed({ aircraft_serial: 'AC1', aircraft_name: 'Minnie', start_time: '2024-09-01T23:30:00Z', duration_s: 900, distance_m: 2500, max_height_m: 120 });
    ids.f3 = await seed({ aircraft_serial: 'AC2', aircraft_model: 'Air 3', start_time: '2024-09-02T08:00:00Z', duration_s: 1200, distance_m: 5000, max_height_m: 300 });
    ids.f7 = await seed({
      aircraft_serial: 'AC1', aircraft_name: 'Minnie', start_time: '2024-09-01T22:30:00Z', duration_s: 1500, distance_m: 3000, max_height_m: 80,
      local_time_zone: 'Europe/Zurich', local_start_time: '2024-09-02 00:30:00',
    });
    ids.r1 = await seed({ aircraft_serial: 'AC1', start_time: new Date(now - 10 * DAY_MS).toISOString(), duration_s: 5400, distance_m: 9000, max_height_m: 50 });
    ids.r2 = await seed({ aircraft_serial: 'AC2', start_time: new Date(now - 60 * DAY_MS).toISOString(), duration_s: 3600 });
  });
  afterAll(async () => t.close());

  const report = async (query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/report${query}` });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res;
  };

  it('is a standalone A4 HTML page: no scripts, no external resources', async () => {
    const res = await report('?pilot=Ann%20%3CO%27Neil%3E&title=Logbook%202024&to=2024-12-31');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain('<title>Logbook 2024</title>');
    expect(html).toContain('Ann &lt;O&#39;Neil&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href|style)=|@import|url\(/i);
    // Its own CSP: nothing loads or runs, and its one <style> element is allowed by hash (the app's CSP allows none).
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(res.headers['content-security-policy']).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    // The document's tags nest (the XML check ignores the doctype and the void <meta>/<br> elements).
    const xmlish = html.replace('<!DOCTYPE html>', '').replace(/<(meta|br|col)\b[^>]*>/g, '');
    expect(assertWellFormedXml(xmlish).root).toBe('html');
  });

  it('groups flights by local day with subtotals and a grand total, and escapes notes', async () => {
    const html = (await report('?to=2024-12-31')).body;
    const days = [...html.matchAll(/<section class="day" data-day="([^"]+)">/g)].map((m) => m[1]);
    expect(days).toEqual(['2024-09-01', '2024-09-02']);
    const section = (day: string) => html.slice(html.indexOf(`data-day="${day}"`), html.indexOf('</section>', html.indexOf(`data-day="${day}"`)));
    // 1 Sept: f1 + f2 (UTC; no time zone known) = 1500 s; 2 Sept: f7 (00:30 local) + f3 (08:00 UTC) = 2700 s.
    expect(section('2024-09-01')).toContain('Day total: 2 flights, 3.50 km flown</td><td class="num">0:25:00</td><td class="num">120 m</td>');
    expect(section('2024-09-02')).toContain('Day total: 2 flights, 8.00 km flown</td><td class="num">0:45:00</td><td class="num">300 m</td>');
    expect(section('2024-09-01')).toContain('<h2>Sunday 1 September 2024</h2>');
    // Within a day, by local time: f7 at 00:30 Zurich before f3 at 08:00 UTC.
    const d2 = section('2024-09-02');
    expect(d2.indexOf(`<td class="num">${ids.f7}</td>`)).toBeLessThan(d2.indexOf(`<td class="num">${ids.f3}</td>`));
    // f7 in Zurich's own time with its offset, landing 25 min later in the same zone.
    expect(d2).toContain('00:30:00 <small>UTC+2</small>');
    expect(d2).toContain('<td>00:55:00<br>');
    expect(section('2024-09-01')).toContain('14:55:00 <small>UTC</small>');
    // f1's row: place, coordinates, landing time, battery, escaped notes with the line break kept.
    expect(html).toContain('<small>47.10000, 8.10000</small><br><small>Zürich &amp; Co</small>');
    expect(html).toContain('15:05:00<br><small>47.10010, 8.10010</small>');
    expect(html).toContain('98 % → 40 %');
    expect(html).toContain('Calm &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>second line');
    expect(html).not.toContain('<script>');
    // Grand total over the 4 flights up to 2024-12-31.
    const grand = html.slice(html.indexOf('<section class="grand">'));
    expect(grand).toContain('<tr><td>Flights</td><td class="num">4</td></tr>');
    expect(grand).toContain('<tr><td>Flying days</td><td class="num">2</td></tr>');
    expect(grand).toContain('1:10:00 (1 h 10 min)');
    expect(grand).toContain('11.50 km');
    expect(html).toMatch(/<span class="fingerprint">[0-9a-f]{64}<\/span>/);
  });

  it('shows period totals and the currency check, which ignore the date filter', async () => {
    const html = (await report('?to=2024-12-31')).body;
    expect(html).toContain('<tr><td>Last 30 days</td><td class="num">1</td><td class="num">1 h 30 min</td><td class="num">9.00 km</td></tr>');
    expect(html).toContain('<tr><td>Last 90 days</td><td class="num">2</td><td class="num">2 h 30 min</td>');
    expect(html).toContain('<tr><td>All time</td><td class="num">6</td>');
    expect(html).toContain('Currency: current — 2 h 30 min flown in the last 90 days (2 h required).');
    const strict = (await report('?currencyHours=3&currencyDays=30')).body;
    expect(strict).toContain('Currency: NOT current — 1 h 30 min flown in the last 30 days (3 h required).');
  });

  it('follows the filters and says so; an empty selection still renders', async () => {
    const html = (await report('?aircraft=AC2&to=2024-12-31')).body;
    expect([...html.matchAll(/data-day="([^"]+)"/g)].map((m) => m[1])).toEqual(['2024-09-02']);
    expect(html).toContain('<dt>Flights</dt><dd>until 31 Dec 2024; aircraft AC2</dd>');
    const empty = (await report('?q=nothing-matches')).body;
    expect(empty).toContain('No flights match these filters.');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/report?from=2024-02-31' })).statusCode).toBe(400);
  });

  it('prints the date range as days (the web sends local days with their offset), an instant with its offset, or all flights', async () => {
    const scope = async (query: string) => /<dt>Flights<\/dt><dd>([^<]*)<\/dd>/.exec((await report(query)).body)![1];
    expect(await scope(`?from=${encodeURIComponent('2024-09-01T00:00:00+02:00')}&to=${encodeURIComponent('2024-11-30T23:59:59+01:00')}`)).toBe(
      '1 Sep 2024 – 30 Nov 2024',
    );
    expect(await scope('?from=2024-09-01&to=2024-11-30')).toBe('1 Sep 2024 – 30 Nov 2024');
    expect(await scope(`?from=${encodeURIComponent('2024-09-01T14:30:00+02:00')}&tag=night`)).toBe('from 1 Sep 2024 14:30 UTC+02:00; tagged night');
    expect(await scope('?to=2024-09-01T23:00:00Z')).toBe('until 1 Sep 2024 23:00 UTC');
    expect(await scope('')).toBe('All flights');
  });

  it('GET /report/totals: last 30/90/365 days and all time, with currency', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/report/totals' });
    expect(res.statusCode, res.body).toBe(200);
    const totals = res.json() as ReportTotals;
    expect(totals.periods).toEqual([
      { days: 30, flights: 1, durationS: 5400, distanceM: 9000 },
      { days: 90, flights: 2, durationS: 9000, distanceM: 9000 },
      { days: 365, flights: 2, durationS: 9000, distanceM: 9000 },
      { days: null, flights: 6, durationS: 13200, distanceM: 20500 },
    ]);
    expect(totals.currency).toEqual({ requiredHours: 2, windowDays: 90, durationS: 9000, current: true });
    expect(totals.firstFlightAt).toBe('2024-09-01T14:55:00.000Z');
    const ac2 = (await t.app.inject({ method: 'GET', url: '/api/v1/report/totals?aircraft=AC2&currencyHours=1.5&currencyDays=30' })).json() as ReportTotals;
    expect(ac2.periods.at(-1)).toMatchObject({ flights: 2, durationS: 4800 });
    expect(ac2.currency).toEqual({ requiredHours: 1.5, windowDays: 30, durationS: 0, current: false });
  });
});

describe('logbook report times across midnight and a daylight-saving change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    // 23:50 CEST → 00:10 CEST the next day; and 02:50 CEST → 02:10 CET on 27 October 2024 (clocks went back at 03:00).
    await seedFlight(t.app.db, {
      flight: { aircraft_serial: 'Z1', start_time: '2024-07-01T21:50:00Z', duration_s: 1200, local_time_zone: 'Europe/Zurich', local_start_time: '2024-07-01 23:50:00' },
    });
    await seedFlight(t.app.db, {
      flight: { aircraft_serial: 'Z1', start_time: '2024-10-27T00:50:00Z', duration_s: 1200, local_time_zone: 'Europe/Zurich', local_start_time: '2024-10-27 02:50:00' },
    });
  });
  afterAll(async () => t.close());

  it('prints landing in the flight’s zone, with its own offset after a change and +1 day after midnight', async () => {
    const html = (await t.app.inject({ method: 'GET', url: '/api/v1/report' })).body;
    expect(html).toContain('23:50:00 <small>UTC+2</small>');
    expect(html).toContain('<td>00:10:00 <small>+1 day</small><br>');
    expect(html).toContain('02:50:00 <small>UTC+2</small>');
    expect(html).toContain('<td>02:10:00 <small>UTC+1</small><br>');
  });
});
