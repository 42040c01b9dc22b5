import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMART_TAG_TYPES as CONTRACT_TYPES, type FlightTag } from '@dronelog/contracts';
import { parseFlightLog, SMART_TAG_TYPES, writeDronelogCsv } from '@dronelog/flightlog';
import { fixturesDir } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { readRealLog, realLogsDir, sql, uploadOne, type UploadFile } from './imports-helpers.js';

const dir = realLogsDir();
const csvDir = dir === null ? null : path.join(fixturesDir()!, 'csv');

const DF010 = 'vtolabs-droner_df010_Inspire1_DJIFlightRecord_2018-06-20_[09-16-53].txt';
const NO_GPS = 'vtolabs-droner_df063_Inspire1_DJIFlightRecord_2018-06-15_[11-17-44].txt';
const MAVIC2_SHORT = 'chrisvm_mavic2_12.txt';
const LITCHI = 'acuasi_litchi_2018-02-16_12-15-26_v2_Mavic_Litchi.csv';
const AIRDATA = 'robbrennan_mini2_Sep-5th-2021-07-23PM-Flight-Airdata.csv';
const PHANTOMHELP_DF010 = 'vtolabs-droner_df010_Inspire1_DJIFlightRecord_2018-06-20_[09-16-53].phantomhelp-verbose.csv';

async function readCsv(file: string): Promise<UploadFile> {
  return { name: file, bytes: new Uint8Array(await fs.readFile(path.join(csvDir!, file))) };
}

async function tagsOf(t: TestApp, flightId: number): Promise<{ auto: string[]; manual: string[] }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${flightId}` });
  expect(res.statusCode).toBe(200);
  const tags = res.json().tags as FlightTag[];
  return { auto: tags.filter((x) => x.kind === 'auto').map((x) => x.name).sort(), manual: tags.filter((x) => x.kind === 'manual').map((x) => x.name).sort() };
}

it('contracts list the same smart-tag types as flightlog', () => {
  expect([...CONTRACT_TYPES]).toEqual([...SMART_TAG_TYPES]);
});

describe.skipIf(!dir)('CSV imports and their smart tags', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  it('imports the real Litchi, Airdata and PhantomHelp CSVs with their source tag and source format', async () => {
    const cases = [
      [LITCHI, 'litchi-csv', ['Litchi', 'North America', 'United States']],
      [AIRDATA, 'airdata-csv', ['Airdata', 'Low Battery', 'North America', 'United States']],
      [PHANTOMHELP_DF010, 'phantomhelp-csv', ['Aggressive Flying', 'High Speed', 'North America', 'PhantomHelp', 'United States']],
    ] as const;
    for (const [file, format, tags] of cases) {
      const r = await uploadOne(t.app, await readCsv(file));
      expect(r.status, `${file}: ${r.reason}`).toBe('imported');
      const [row] = await sql(t.app, 'SELECT source_format, log_version FROM flights WHERE id = $1', [r.flightId!]);
      expect(row).toMatchObject({ source_format: format, log_version: 0 });
      expect((await tagsOf(t, r.flightId!)).auto, file).toEqual([...tags].sort());
    }
  });

  it('stores the local take-off time: Litchi in Alaska at 12:15 AKST, Airdata near Seattle at 19:23 PDT', async () => {
    const rows = await sql<{ source_format: string; local_time_zone: string; local: string }>(
      t.app,
      `SELECT source_format, local_time_zone, strftime(local_start_time, '%Y-%m-%dT%H:%M:%S') AS local FROM flights ORDER BY id`,
    );
    expect(rows.slice(0, 2)).toEqual([
      { source_format: 'litchi-csv', local_time_zone: 'America/Anchorage', local: '2018-02-16T12:15:26' },
      { source_format: 'airdata-csv', local_time_zone: 'America/Los_Angeles', local: '2021-09-05T19:23:47' },
    ]);
  });

  it('finds the .txt of a flight imported from its PhantomHelp CSV as a duplicate (same aircraft, battery, start)', async () => {
    const r = await uploadOne(t.app, await readRealLog(dir!, DF010));
    expect(r).toMatchObject({ status: 'duplicate', reasonCode: 'duplicate-flight' });
  });

  it('tags a flight without GPS "No GPS" (and "Short Flight"), with no country and no local time', async () => {
    const r = await uploadOne(t.app, await readRealLog(dir!, NO_GPS));
    expect(r.status).toBe('imported');
    expect((await tagsOf(t, r.flightId!)).auto).toEqual(['No GPS', 'Short Flight']);
    const [row] = await sql(t.app, 'SELECT local_time_zone, local_start_time FROM flights WHERE id = $1', [r.flightId!]);
    expect(row).toEqual({ local_time_zone: null, local_start_time: null });
  });

  it('re-imports a Dronelog CSV export with its name, notes, colour and manual tags, and recomputes the auto tags', async () => {
    const flight = await parseFlightLog(new Uint8Array(await fs.readFile(path.join(dir!, MAVIC2_SHORT))));
    const csv = writeDronelogCsv(flight, { name: 'Garden hop', notes: 'Gusty, "short"', color: '#ff8800', tags: ['test', 'Short Flight'] });
    const r = await uploadOne(t.app, { name: 'export.csv', bytes: csv });
    expect(r.status, r.reason).toBe('imported');
    const [row] = await sql(t.app, 'SELECT source_format, name, notes, color, frame_count, log_version FROM flights WHERE id = $1', [r.flightId!]);
    expect(row).toEqual({ source_format: 'dronelog-csv', name: 'Garden hop', notes: 'Gusty, "short"', color: '#ff8800', frame_count: 251, log_version: 11 });
    // "Short Flight" is an auto tag of this 25 s flight: it is not duplicated as a manual one.
    expect(await tagsOf(t, r.flightId!)).toEqual({ auto: ['North America', 'Short Flight', 'United States'], manual: ['test'] });
  });

  it('applies the settings to new imports', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/settings/smart-tags', payload: { enabled: { source: false } } });
    expect(put.statusCode).toBe(200);
    // The Litchi flight again, as another aircraft (new serial: neither the same file nor the same flight).
    const text = new TextDecoder().decode((await readCsv(LITCHI)).bytes as Uint8Array).replaceAll('08RDEB7P01039H', '08RDEB7P01039X');
    const r2 = await uploadOne(t.app, { name: 'litchi-copy.csv', bytes: text });
    expect(r2.status, r2.reason).toBe('imported');
    expect((await tagsOf(t, r2.flightId!)).auto).toEqual(['North America', 'United States']);
  });
});

describe.skipIf(!dir)('smart-tag settings and regeneration', () => {
  let t: TestApp;
  let flightId: number;
  beforeAll(async () => {
    t = await buildTestApp();
    const r = await uploadOne(t.app, await readRealLog(dir!, DF010));
    expect(r.status).toBe('imported');
    flightId = r.flightId!;
  });
  afterAll(async () => t?.close());

  it('tags df010 (Colorado, 09:16 local): no Night Flight, United States, and stores the local time', async () => {
    expect((await tagsOf(t, flightId)).auto).toEqual(['Aggressive Flying', 'High Speed', 'North America', 'United States']);
    // The first frame's clock (15:16:53.076Z) as a Denver wall clock (MDT, UTC−6).
    const [row] = await sql(t.app, `SELECT local_time_zone, strftime(local_start_time, '%Y-%m-%dT%H:%M:%S.%g') AS local FROM flights WHERE id = $1`, [flightId]);
    expect(row).toEqual({ local_time_zone: 'America/Denver', local: '2018-06-20T09:16:53.076' });
  });

  it('answers the defaults when nothing is stored', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/settings/smart-tags' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.settings).toEqual(body.defaults);
    expect(body.settings.nightRule).toBe('civil-twilight');
    expect(body.settings.thresholds).toMatchObject({ highSpeedMps: 15, longFlightS: 1500, nightStartHour: 19, nightEndHour: 6 });
    expect(Object.values(body.settings.enabled).every((v) => v === true)).toBe(true);
  });

  it('refuses unknown fields, wrong types and out-of-range hours with 400, storing nothing', async () => {
    for (const payload of [
      { thresholds: { highSpeed: 20 } },
      { thresholds: { highSpeedMps: '20' } },
      { thresholds: { nightStartHour: 24 } },
      { enabled: { nightFlight: 'yes' } },
      { nightRule: 'sunset' },
      {},
    ]) {
      const res = await t.app.inject({ method: 'PUT', url: '/api/v1/settings/smart-tags', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/settings/smart-tags' });
    expect(res.json().settings).toEqual(res.json().defaults);
  });

  it('regenerates with changed thresholds and switched-off types, leaving manual tags alone', async () => {
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/flights/${flightId}`, payload: { tags: ['survey', 'United States'] } });
    expect(patch.statusCode).toBe(200);
    // Before: "United States" is an auto tag, so the manual one is not added twice.
    expect(await tagsOf(t, flightId)).toEqual({ auto: ['Aggressive Flying', 'High Speed', 'North America', 'United States'], manual: ['survey'] });

    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/smart-tags',
      payload: { enabled: { country: false }, nightRule: 'local-hour', thresholds: { highSpeedMps: 30, nightStartHour: 9, nightEndHour: 10 } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().settings).toMatchObject({ nightRule: 'local-hour', enabled: { country: false, continent: true }, thresholds: { highSpeedMps: 30, lowBatteryPercent: 15 } });

    const regen = await t.app.inject({ method: 'POST', url: '/api/v1/tags/regenerate' });
    expect(regen.statusCode).toBe(200);
    // 09:16 local falls in the 9–10 window (real local time: UTC 15:16 − 6 h); High Speed (22.9 m/s < 30) and the country go.
    expect(regen.json()).toEqual({ flights: 1, changed: 1, added: 1, removed: 2 });
    expect(await tagsOf(t, flightId)).toEqual({ auto: ['Aggressive Flying', 'Night Flight', 'North America'], manual: ['survey'] });

    const again = await t.app.inject({ method: 'POST', url: '/api/v1/tags/regenerate' });
    expect(again.json()).toEqual({ flights: 1, changed: 0, added: 0, removed: 0 });
  });

  it('keeps the settings across a restart, and regenerating with the defaults restores the import-time tags', async () => {
    await t.restart();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/settings/smart-tags' });
    expect(res.json().settings.thresholds.highSpeedMps).toBe(30);
    const defaults = res.json().defaults;
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/settings/smart-tags', payload: defaults });
    expect(put.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/tags/regenerate' })).json()).toMatchObject({ changed: 1 });
    expect(await tagsOf(t, flightId)).toEqual({ auto: ['Aggressive Flying', 'High Speed', 'North America', 'United States'], manual: ['survey'] });
  });

  it('fills a missing local time on start (flights imported before migration 6)', async () => {
    await t.app.db.transaction(async (conn) => {
      await conn.run('UPDATE flights SET local_time_zone = NULL, local_start_time = NULL');
    });
    await t.restart();
    const [row] = await sql(t.app, `SELECT local_time_zone, strftime(local_start_time, '%H:%M:%S') AS local FROM flights WHERE id = $1`, [flightId]);
    expect(row).toEqual({ local_time_zone: 'America/Denver', local: '09:16:53' });
  });
});
