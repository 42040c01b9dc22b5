import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse, FlightDetail } from '@dronelog/contracts';
import { migrations } from '../src/db/migrations.js';
import { buildTestApp, type TestApp } from './helper.js';
import { sql } from './imports-helpers.js';

const entry = {
  aircraftName: 'Minnie',
  aircraftModel: 'Mini 4 Pro',
  aircraftSerial: 'MAN-AC1',
  batterySerial: 'MAN-B1',
  startTime: '2024-09-01T16:55:00+02:00',
  durationS: 754.5,
  homeLat: 47.3769,
  homeLon: 8.5417,
};

describe('manual flight entry and the audit trail', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/flights/manual', payload: payload as object });
  const audit = async (id: number) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${id}/audit` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as AuditListResponse).items;
  };

  it('creates a flight with source "manual", no telemetry, the Manual Entry tag and local time', async () => {
    const res = await post({ ...entry, name: '  Evening hop ', distanceM: 1200, maxHeightM: 80, notes: 'Logged from paper.' });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json() as FlightDetail;
    expect(f).toMatchObject({
      sourceFormat: 'manual',
      name: 'Evening hop',
      aircraftName: 'Minnie',
      aircraftModel: 'Mini 4 Pro',
      aircraftSerial: 'MAN-AC1',
      batterySerial: 'MAN-B1',
      startTime: '2024-09-01T14:55:00.000Z',
      endTime: '2024-09-01T15:07:34.500Z',
      durationS: 754.5,
      homeLat: 47.3769,
      homeLon: 8.5417,
      takeoffLat: 47.3769,
      takeoffLon: 8.5417,
      distanceM: 1200,
      maxHeightM: 80,
      notes: 'Logged from paper.',
      frameCount: 0,
      fileName: null,
    });
    // Zürich, 12 min 34.5 s at 16:55 local in September: daylight, neither short nor long; Switzerland, Europe.
    expect(f.tags).toEqual([
      { name: 'Europe', kind: 'auto' },
      { name: 'Manual Entry', kind: 'auto' },
      { name: 'Switzerland', kind: 'auto' },
    ]);
    const [row] = await sql(t.app, 'SELECT local_time_zone, strftime(local_start_time, \'%H:%M\') AS local FROM flights WHERE id = $1', [f.id]);
    expect(row).toEqual({ local_time_zone: 'Europe/Zurich', local: '16:55' });
    const tel = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${f.id}/telemetry` });
    expect(tel.json()).toMatchObject({ points: 0, totalPoints: 0 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights?tag=Manual%20Entry' })).json().total).toBe(1);
    // Regenerating smart tags (which replaces every auto tag) computes the same tags from the stored row.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/tags/regenerate' })).statusCode).toBe(200);
    const again = (await t.app.inject({ method: 'GET', url: `/api/v1/flights/${f.id}` })).json() as FlightDetail;
    expect(again.tags).toEqual(f.tags);

    const trail = await audit(f.id);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ flightId: f.id, action: 'create', field: null, oldValue: null, actor: null });
    expect(JSON.parse(trail[0]!.newValue!)).toMatchObject({ aircraftSerial: 'MAN-AC1', startTime: '2024-09-01T14:55:00.000Z', durationS: 754.5 });
  });

  it('tags a manual entry with the rules its fields allow, with the stored thresholds', async () => {
    // 90 s just after midnight local time in Sydney, 1.2 km flown: short, night, aggressive (13.3 m/s average).
    const res = await post({
      ...entry,
      aircraftSerial: 'MAN-AC2',
      startTime: '2024-07-01T00:10:00+10:00',
      durationS: 90,
      homeLat: -33.8568,
      homeLon: 151.2153,
      distanceM: 1200,
    });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json() as FlightDetail;
    expect(f.tags.map((t) => [t.name, t.kind])).toEqual([
      ['Aggressive Flying', 'auto'],
      ['Australia', 'auto'],
      ['Manual Entry', 'auto'],
      ['Night Flight', 'auto'],
      ['Oceania', 'auto'],
      ['Short Flight', 'auto'],
    ]);
    // Settings apply: with short flights at 60 s and country tags off, a new entry gets neither; Manual Entry stays.
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/smart-tags',
      payload: { thresholds: { shortFlightS: 60 }, enabled: { country: false, source: false } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const second = (await post({ ...entry, aircraftSerial: 'MAN-AC3', startTime: '2024-07-01T00:10:00+10:00', durationS: 90, homeLat: -33.8568, homeLon: 151.2153 })).json() as FlightDetail;
    expect(second.tags.map((t) => t.name)).toEqual(['Manual Entry', 'Night Flight', 'Oceania']);
    // A manual tag edit neither removes it nor duplicates it as a manual tag.
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/flights/${second.id}`, payload: { tags: ['paper log'] } });
    expect((patched.json() as FlightDetail).tags).toContainEqual({ name: 'Manual Entry', kind: 'auto' });
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/settings/smart-tags', payload: { thresholds: { shortFlightS: 120 }, enabled: { country: true, source: true } } })).statusCode).toBe(200);
  });

  it('rejects a second entry for the same aircraft, battery and start time', async () => {
    const res = await post({ ...entry, startTime: '2024-09-01T14:55:01Z' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('duplicate-flight');
  });

  describe('validation', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['a missing required field', { ...entry, batterySerial: undefined }, /batterySerial/],
      ['an unknown field', { ...entry, pilot: 'me' }, /pilot/],
      ['a start time without offset', { ...entry, startTime: '2024-09-01T16:55:00' }, /offset/],
      ['a start day without time', { ...entry, startTime: '2024-09-01' }, /time of day/],
      ['a start time in the future', { ...entry, startTime: '2999-01-01T00:00:00Z' }, /future/],
      ['a latitude out of range', { ...entry, homeLat: 91 }, /homeLat/],
      ['the 0,0 of a GPS without fix', { ...entry, homeLat: 0, homeLon: 0 }, /0,0/],
      ['a zero duration', { ...entry, durationS: 0 }, /durationS/],
      ['a duration as text', { ...entry, durationS: '600' }, /durationS/],
      ['a blank serial', { ...entry, aircraftSerial: '   ' }, /aircraftSerial/],
      ['a negative distance', { ...entry, distanceM: -1 }, /distanceM/],
    ];
    for (const [title, body, message] of cases) {
      it(`rejects ${title}`, async () => {
        const res = await post(JSON.parse(JSON.stringify(body)));
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().message).toMatch(message);
      });
    }
  });

  it('records every field a PATCH changes, and a DELETE, and keeps the trail after the delete', async () => {
    const created = (await post({ ...entry, startTime: '2024-10-01T10:00:00Z', name: 'Before' })).json() as FlightDetail;
    const patch = (payload: object) => t.app.inject({ method: 'PATCH', url: `/api/v1/flights/${created.id}`, payload });
    expect((await patch({ name: 'After', notes: 'n1', tags: ['a', 'b'] })).statusCode).toBe(200);
    expect((await patch({ notes: 'n1' })).statusCode).toBe(200); // no change → no entry
    expect((await patch({ tags: ['b'], color: '#00FF00' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/flights/${created.id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/flights/${created.id}` })).statusCode).toBe(404);

    const trail = await audit(created.id);
    expect(trail.map((e) => [e.action, e.field, e.oldValue, e.newValue])).toEqual([
      ['create', null, null, expect.any(String)],
      ['update', 'name', 'Before', 'After'],
      ['update', 'notes', null, 'n1'],
      ['update', 'tags', null, 'a, b'],
      ['update', 'color', null, '#00ff00'],
      ['update', 'tags', 'a, b', 'b'],
      ['delete', null, expect.any(String), null],
    ]);
    expect(JSON.parse(trail.at(-1)!.oldValue!)).toMatchObject({ name: 'After', sourceFormat: 'manual', aircraftSerial: 'MAN-AC1' });
    expect(trail.every((e) => e.actor === null && !Number.isNaN(Date.parse(e.at)))).toBe(true);
    const ids = trail.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('answers 404 for the trail of a flight that never existed, and does not audit a failed edit', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights/424242/audit' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/flights/424242', payload: { name: 'x' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/flights/424242' })).statusCode).toBe(404);
    const [n] = await sql<{ n: bigint }>(t.app, 'SELECT count(*) AS n FROM audit_log WHERE flight_id = 424242');
    expect(Number(n!.n)).toBe(0);
  });
});

describe('migration 7 on a logbook from before it', () => {
  it('turns the Manual Entry tag of existing manual entries into an auto tag, and only theirs', async () => {
    const t = await buildTestApp();
    try {
      // A schema of the same file stopped at version 6, holding what version 6 wrote: Manual Entry as a manual tag,
      // and a logged flight that the pilot tagged "Manual Entry" by hand (which must stay manual).
      const legacy = await t.app.db.forSchema('p_907', migrations.filter((m) => m.version <= 6));
      expect(await legacy.schemaVersion()).toBe(6);
      await legacy.transaction(async (conn) => {
        await conn.run(`INSERT INTO flights (id, source_format, start_time) VALUES (1, 'manual', '2024-09-01T14:55:00Z'), (2, 'dji-txt', '2024-09-02T10:00:00Z')`);
        await conn.run(`INSERT INTO flight_tags (flight_id, tag, kind) VALUES (1, 'Manual Entry', 'manual'), (1, 'paper', 'manual'), (2, 'Manual Entry', 'manual')`);
      });
      await legacy.migrate(migrations);
      expect(await legacy.schemaVersion()).toBe(migrations.at(-1)!.version);
      const rows = await legacy.reader.runAndReadAll('SELECT flight_id, tag, kind FROM flight_tags ORDER BY flight_id, tag');
      expect(rows.getRowObjectsJS().map((r) => [Number(r.flight_id), r.tag, r.kind])).toEqual([
        [1, 'Manual Entry', 'auto'],
        [1, 'paper', 'manual'],
        [2, 'Manual Entry', 'manual'],
      ]);
      const cols = await legacy.reader.runAndReadAll(`SELECT count(battery_design_capacity_mah) AS n FROM flights`);
      expect(cols.getRowObjectsJS()).toEqual([{ n: 0n }]);
    } finally {
      await t.close();
    }
  });
});
