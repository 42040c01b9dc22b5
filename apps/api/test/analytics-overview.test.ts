import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewResponse } from '@dronelog/contracts';
import { buildTestApp, type TestApp } from './helper.js';
import { seedFlight, seedLogbook, type Logbook } from './seed.js';

/**
 * The seeded logbook (seed.ts) plus f7, a flight whose local time is known (Zurich, 00:30 on 2 September while UTC is
 * still 1 September). Hand-computed answers:
 *
 * | id | aircraft | battery | start UTC        | local day  | hour | dur s | dist m | max h | from home |
 * | f1 | AC1      | B1      | 2024-09-01 14:55 | 2024-09-01 | 14 u |   600 |  1000  |  100  |    –      |
 * | f2 | AC1      | B2      | 2024-09-01 23:30 | 2024-09-01 | 23 u |   900 |  2500  |  120  |    –      |
 * | f3 | AC2      | B3      | 2024-09-02 08:00 | 2024-09-02 |  8 u |  1200 |  5000  |  300  |    –      |
 * | f4 | AC2      | B3      | 2024-10-15 12:00 | 2024-10-15 | 12 u |   300 |   –    |   –   |    –      |
 * | f5 | AC3      | B4      | 2023-12-31 23:59 | 2023-12-31 | 23 u |   450 |   800  |   60  |    –      |
 * | f6 | AC4      | B5      | 2025-01-01 10:00 | 2025-01-01 | 10 u |  3600 | 12000  |  500  |    –      |
 * | f7 | AC1      | B1      | 2024-09-01 22:30 | 2024-09-02 |  0 l |  1500 |  3000  |   80  |   400     |
 * (u = UTC fallback, l = local)
 */
describe('GET /api/v1/overview', () => {
  let t: TestApp;
  let ids: Logbook['ids'] & { f7: number };

  beforeAll(async () => {
    t = await buildTestApp();
    const logbook = await seedLogbook(t.app.db);
    const f7 = await seedFlight(t.app.db, {
      flight: {
        name: 'Midnight lake', aircraft_model: 'Mini 4 Pro', aircraft_name: 'Minnie', aircraft_serial: 'AC1', battery_serial: 'B1',
        start_time: '2024-09-01T22:30:00Z', duration_s: 1500, distance_m: 3000, max_height_m: 80, max_distance_from_home_m: 400,
        takeoff_lat: 46.5, takeoff_lon: 7.5, home_lat: 46.5001, home_lon: 7.5001, video_count: 2,
        local_time_zone: 'Europe/Zurich', local_start_time: '2024-09-02 00:30:00',
      },
      tags: [{ name: 'lake' }],
    });
    ids = { ...logbook.ids, f7 };
  });
  afterAll(async () => t.close());

  const overview = async (query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/overview${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as OverviewResponse;
  };

  it('adds up totals and records over every flight', async () => {
    const o = await overview();
    expect(o.totals).toEqual({ flights: 7, durationS: 8550, distanceM: 24300, photos: 3, videos: 2, aircraft: 4, batteries: 5 });
    expect(o.records.maxHeightM).toBe(500);
    expect(o.records.maxDistanceFromHomeM).toBe(400);
    expect(o.records.avgDurationS).toBeCloseTo(8550 / 7, 6);
    expect(o.records.avgDistanceM).toBeCloseTo(24300 / 6, 6); // f4 has no distance
    // Flights with both distance and duration: all but f4.
    expect(o.records.avgSpeedMps).toBeCloseTo(24300 / (8550 - 300), 6);
  });

  it('puts flights into the duration bands < 10, 10–20 (inclusive) and > 20 minutes', async () => {
    const o = await overview();
    expect(o.durationBands).toEqual([
      { band: 'under-10-min', minS: 0, maxS: 600, flights: 2, durationS: 750 },
      { band: '10-to-20-min', minS: 600, maxS: 1200, flights: 3, durationS: 2700 },
      { band: 'over-20-min', minS: 1200, maxS: null, flights: 2, durationS: 5100 },
    ]);
  });

  it('counts hours of day in local time where known and says how many fell back to UTC', async () => {
    const o = await overview();
    expect(o.hourOfDay.timeBasis).toBe('mixed');
    expect(o.hourOfDay.utcFallbackFlights).toBe(6);
    expect(o.hourOfDay.hours).toHaveLength(24);
    const byHour = Object.fromEntries(o.hourOfDay.hours.filter((h) => h.flights > 0).map((h) => [h.hour, [h.flights, h.durationS]]));
    expect(byHour).toEqual({ 0: [1, 1500], 8: [1, 1200], 10: [1, 3600], 12: [1, 300], 14: [1, 600], 23: [2, 1350] });
  });

  it('fills a 365-day activity calendar by local day, ending at activityTo', async () => {
    const o = await overview('?activityTo=2024-12-31');
    expect(o.activity.from).toBe('2024-01-02');
    expect(o.activity.to).toBe('2024-12-31');
    expect(o.activity.days).toHaveLength(365);
    expect(o.activity.days[0]!.date).toBe('2024-01-02');
    const active = o.activity.days.filter((d) => d.flights > 0);
    expect(active).toEqual([
      { date: '2024-09-01', flights: 2, durationS: 1500 },
      { date: '2024-09-02', flights: 2, durationS: 2700 },
      { date: '2024-10-15', flights: 1, durationS: 300 },
    ]);
  });

  it('ends the calendar at the `to` filter day by default', async () => {
    const o = await overview('?to=2024-09-30');
    expect(o.activity.to).toBe('2024-09-30');
    expect(o.activity.days.at(-1)).toEqual({ date: '2024-09-30', flights: 0, durationS: 0 });
  });

  it('breaks down by aircraft and battery, most flights first, with renamed equipment', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/equipment/aircraft/AC2', payload: { displayName: 'Ridge runner' } });
    expect(put.statusCode, put.body).toBe(200);
    const o = await overview();
    expect(o.byAircraft).toEqual([
      { serial: 'AC1', name: 'Minnie', model: 'Mini 4 Pro', flights: 3, durationS: 3000 },
      { serial: 'AC2', name: 'Ridge runner', model: 'Air 3', flights: 2, durationS: 1500 },
      { serial: 'AC3', name: 'AC3', model: 'Mini 3', flights: 1, durationS: 450 },
      { serial: 'AC4', name: 'AC4', model: 'Mavic 3', flights: 1, durationS: 3600 },
    ]);
    expect(o.byBattery.map((b) => [b.serial, b.flights, b.durationS])).toEqual([
      ['B1', 2, 2100],
      ['B3', 2, 1500],
      ['B2', 1, 900],
      ['B4', 1, 450],
      ['B5', 1, 3600],
    ]);
  });

  it('lists take-off points (take-off, else home), newest first, and the top flights', async () => {
    const o = await overview();
    expect(o.takeoffs).toEqual({ points: [[ids.f7, 46.5, 7.5], [ids.f1, 47.1, 8.1]], total: 2, limit: 5000, truncated: false });
    expect(o.topFlights.longest.map((f) => [f.id, f.value])).toEqual([[ids.f6, 3600], [ids.f7, 1500], [ids.f3, 1200]]);
    expect(o.topFlights.highest.map((f) => [f.id, f.value])).toEqual([[ids.f6, 500], [ids.f3, 300], [ids.f2, 120]]);
    expect(o.topFlights.furthest.map((f) => [f.id, f.value])).toEqual([[ids.f7, 400]]);
    expect(o.topFlights.longest[0]).toMatchObject({ name: 'Long survey', startTime: '2025-01-01T10:00:00.000Z' });
  });

  it('follows the list filters (aircraft, dates, tags, text)', async () => {
    const ac1 = await overview('?aircraft=AC1');
    expect(ac1.totals).toMatchObject({ flights: 3, durationS: 3000, distanceM: 6500, aircraft: 1, batteries: 2 });
    expect(ac1.durationBands.map((b) => b.flights)).toEqual([0, 2, 1]);
    const autumn = await overview('?from=2024-09-02&to=2024-12-31');
    expect(autumn.totals).toMatchObject({ flights: 2, durationS: 1500 });
    expect(autumn.byAircraft.map((a) => a.serial)).toEqual(['AC2']);
    const lake = await overview('?tag=lake');
    expect(lake.totals.flights).toBe(3);
    const none = await overview('?q=no-such-flight');
    expect(none.totals).toEqual({ flights: 0, durationS: 0, distanceM: 0, photos: 0, videos: 0, aircraft: 0, batteries: 0 });
    expect(none.records.maxHeightM).toBeNull();
    expect(none.activity.days.every((d) => d.flights === 0)).toBe(true);
    expect(none.takeoffs).toMatchObject({ points: [], total: 0 });
  });

  it('rejects invalid filters with the list endpoint\'s messages', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/overview?from=2024-13-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/from=2024-13-01/);
    const badDay = await t.app.inject({ method: 'GET', url: '/api/v1/overview?activityTo=2024-02-30' });
    expect(badDay.statusCode).toBe(400);
  });

  it('reads the flights table only: still answers with the telemetry table out of the way', async () => {
    await t.app.db.exclusive((c) => c.run('ALTER TABLE telemetry RENAME TO telemetry_hidden'));
    try {
      const o = await overview();
      expect(o.totals.flights).toBe(7);
    } finally {
      await t.app.db.exclusive((c) => c.run('ALTER TABLE telemetry_hidden RENAME TO telemetry'));
    }
  });
});
