import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlightEventsResponse } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { uploadOne } from './imports-helpers.js';
import { seedFlight } from './seed.js';

describe('GET /api/v1/flights/:id/events', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  const events = async (id: number) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${id}/events` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as FlightEventsResponse;
  };

  // Format version 6: app tips survive there (the parser loses them in v7–12, see @dronelog/testkit).
  it('shows the tip, the return-to-home segment and the automatic landing of a synthetic DJI log', async () => {
    const log = writeDjiLog(demoFlight({ seed: 'events', durationS: 90, startTime: '2024-06-01T09:30:00Z' }), { version: 6 });
    const r = await uploadOne(t.app, { name: 'events.txt', bytes: log.bytes });
    expect(r.status, r.reason).toBe('imported');
    const { events: list, truncated } = await events(r.flightId!);
    expect(truncated).toBe(false);
    const times = list.map((e) => e.tMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const tip = list.find((e) => e.type === 'message' && e.title.includes('Home Point recorded'));
    expect(tip).toMatchObject({ severity: 'info', detail: 'tip' });
    expect(list.find((e) => e.type === 'message' && e.detail === 'warning')).toMatchObject({ severity: 'warning', title: expect.stringMatching(/wind/i) });

    const rth = list.filter((e) => e.type === 'return-to-home');
    expect(rth).toHaveLength(1);
    expect(rth[0]).toMatchObject({ severity: 'warning', title: 'Return to home (GoHome)' });
    const landing = list.find((e) => e.type === 'landing');
    expect(landing).toMatchObject({ title: 'Landing (AutoLanding)', detail: 'from GoHome', severity: 'info' });
    // The return lasts until the landing mode starts.
    expect(rth[0]!.endMs).toBe(landing!.tMs);
    expect(rth[0]!.tMs).toBeGreaterThan(tip!.tMs);
    // Mode changes other than RTH/landing, e.g. the take-off; the app's "Flight mode changed to …" tips that repeat
    // them are left out.
    expect(list.some((e) => e.type === 'mode-change' && e.title === 'Flight mode AutoTakeoff')).toBe(true);
    expect(list.some((e) => e.title.startsWith('Flight mode changed to'))).toBe(false);
    expect(list.filter((e) => e.type === 'message').map((e) => e.title)).toEqual([
      'Home Point recorded. RTH altitude: 60 m.',
      'Strong wind. Fly with caution.',
    ]);
  });

  it('derives battery crossings, RC link losses and GPS weakness from the telemetry, merging flickers', async () => {
    //           t(s):   0    1    2    3    4    5    6    7    8    9   10   11   12   13
    const battery = [   0,  60,  45,  31,  29,  25,  20,  16,  14,  12,  11,  10,   9,   8];
    const sats =    [   0,   3,  12,  12,   4,   5,  12,  12,  12,   3,   3,   3,   3,   3];
    const uplink =  [ 100, 100,   0, 100, 100,   0,   0, 100, 100, 100,   0, 100,   0, 100];
    const n = battery.length;
    const id = await seedFlight(t.app.db, {
      flight: { start_time: '2024-07-01T10:00:00Z', duration_s: 13 },
      telemetry: {
        t_ms: Array.from({ length: n }, (_, i) => i * 1000),
        battery_percent: battery,
        satellites: sats,
        rc_uplink_percent: uplink,
        rc_downlink_percent: uplink.map(() => 90),
        flight_mode: ['GPS', 'GPS', 'GPS', 'GPS', 'GPS', 'GPS', 'GPS', 'GPS', 'GPS', 'GoHome', 'GoHome', 'GoHome', 'ForceLanding', 'ForceLanding'],
      },
    });
    const { events: list } = await events(id);
    const of = (type: string) => list.filter((e) => e.type === type).map((e) => [e.tMs, e.endMs, e.severity]);

    // 0 % before the first battery reading is ignored; first below 30 at 4 s, below 15 at 8 s.
    expect(of('low-battery')).toEqual([
      [4000, null, 'warning'],
      [8000, null, 'critical'],
    ]);
    // Satellites: 3 at 1 s is before the first good fix (12 at 2 s); 4–5 s weak, back at 6 s; weak from 9 s to the end.
    expect(of('gps-weak')).toEqual([
      [4000, 6000, 'warning'],
      [9000, null, 'warning'],
    ]);
    // RC link: lost at 2 s (back at 3 s) and 5–6 s (back at 7 s): the 2 s gap is not less than EVENT_MERGE_GAP_MS, so two
    // events; lost at 10 s and 12 s with 1 s of link between: one flicker, merged into 10–13 s.
    expect(of('rc-signal-lost')).toEqual([
      [2000, 3000, 'critical'],
      [5000, 7000, 'critical'],
      [10000, 13000, 'critical'],
    ]);
    expect(of('return-to-home')).toEqual([[9000, 12000, 'warning']]);
    expect(of('landing')).toEqual([[12000, null, 'critical']]);
    expect(list.filter((e) => e.type === 'mode-change').map((e) => [e.tMs, e.title])).toEqual([[0, 'Flight mode GPS']]);
    expect(list.find((e) => e.type === 'gps-weak')!.detail).toBe('lowest 4 satellites, for 2 s');
  });

  it('answers 404 for a missing flight', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/flights/999999/events' });
    expect(res.statusCode).toBe(404);
  });
});
