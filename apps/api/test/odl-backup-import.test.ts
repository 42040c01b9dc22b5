import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquipmentListResponse, FlightDetail, FlightEventsResponse, FlightListResponse, OdlImportReport, OverviewResponse, TelemetryResponse } from '@dronelog/contracts';
import { demoFlight, syntheticOdlBackup, tarGz, writeDjiLog, type OdlBackupSpec, type TarEntry } from '@dronelog/testkit';
import { ODL_TABLE_NAMES, OdlBackupRepository } from '../src/repositories/odl-backup.repository.js';
import { keychainRequestHash } from '../src/services/keychain.service.js';
import { downloadBackup, tableDigests } from './backup-helpers.js';
import { buildTestApp, type TestApp } from './helper.js';
import { filesUnder, multipart, sql, uploadOne } from './imports-helpers.js';
import { ODL_IMPORT_URL, odlBackup, odlParquetFiles, postOdlBackup } from './odl-backup-helpers.js';

const spec = syntheticOdlBackup();
const [lake, harbour, club] = spec.flights as [OdlBackupSpec['flights'][number], OdlBackupSpec['flights'][number], OdlBackupSpec['flights'][number]];

async function getJson<T>(t: TestApp, url: string): Promise<T> {
  const res = await t.app.inject({ method: 'GET', url });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
}

/** Our flight id for an ODL flight, by start time (unique in the synthetic backup). */
async function flightIdOf(t: TestApp, startTime: string): Promise<number> {
  const rows = await sql<{ id: bigint }>(t.app, `SELECT id FROM flights WHERE start_time = $1::TIMESTAMPTZ`, [startTime]);
  expect(rows).toHaveLength(1);
  return Number(rows[0]!.id);
}

/** The synthetic backup's tables as tar entries (to add hostile entries or leave tables out). */
async function entries(doctor?: string[]): Promise<TarEntry[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'odl-entries-'));
  try {
    const files = await odlParquetFiles(dir, spec, doctor);
    return [...files].map(([table, data]) => ({ name: `${table}.parquet`, data }));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('Open DroneLog backup import: a full migration', () => {
  let t: TestApp;
  let backup: Buffer;
  let report: OdlImportReport;

  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_BACKUP: '0' });
    backup = await odlBackup();
    const res = await postOdlBackup(t.app, backup);
    expect(res.statusCode, res.body).toBe(200);
    report = res.json();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports what came over, and what did not', () => {
    expect(report.flights).toEqual({ inBackup: 3, imported: 3, alreadyPresent: 0 });
    expect(report.telemetryRows).toBe(lake.track!.points + harbour.track!.points);
    expect(report.messages).toBe(4);
    // Auto: 3 + 2 + "Manual Entry"; manual: client-a (flight_tags and customization, once), survey + harbour
    // (customization only), training.
    expect(report.tags).toEqual({ auto: 6, manual: 4 });
    expect(report.customizations).toEqual({ applied: 2, withoutFlight: 1 });
    expect(report.equipmentNames).toEqual({ imported: 2, alreadyPresent: 0 });
    expect(report.keychains).toEqual({ imported: 1, alreadyPresent: 0 });
    expect(report.warnings).toEqual([]);
    expect(report.notImported.join('\n')).toMatch(/settings\.parquet: 3 rows/);
    expect(report.notImported.join('\n')).toMatch(/flight_customizations\.parquet: 1 rows for flights no longer in the backup/);
  });

  it('lists the flights with the names, notes, colours and tags they had in Open DroneLog', async () => {
    const list = await getJson<FlightListResponse>(t, '/api/v1/flights?sort=startTime&order=asc');
    expect(list.items.map((f) => [f.name, f.customName, f.color])).toEqual([
      ['Sunset over the lake', 'Sunset over the lake', '#ef4444'],
      // The flights row had ODL's default name and colour; flight_customizations held the pilot's.
      ['Harbour survey', 'Harbour survey', '#3b82f6'],
      ['Training at the club field', 'Training at the club field', '#22c55e'],
    ]);
    const tags = list.items.map((f) => f.tags.map((g) => `${g.kind}:${g.name}`).sort());
    expect(tags).toEqual([
      ['auto:Europe', 'auto:High Speed', 'auto:Switzerland', 'manual:client-a'],
      ['auto:Europe', 'auto:United Kingdom', 'manual:harbour', 'manual:survey'],
      ['auto:Manual Entry', 'manual:training'],
    ]);
    const notes = await Promise.all(list.items.map((f) => getJson<FlightDetail>(t, `/api/v1/flights/${f.id}`).then((d) => d.notes)));
    expect(notes).toEqual(['Windy at the top.', 'Tide was low.', 'Logged by hand.']);
    expect(list.totals.flights).toBe(3);
  });

  it('maps every flights column: serials, times, units, home, and the aggregates computed from the telemetry', async () => {
    const d = await getJson<FlightDetail>(t, `/api/v1/flights/${await flightIdOf(t, lake.startTime)}`);
    expect(d).toMatchObject({
      fileName: lake.fileName,
      sourceFormat: 'dji-txt',
      aircraftName: 'Wendy',
      aircraftModel: 'DJI Mini 4 Pro',
      aircraftSerial: lake.droneSerial,
      batterySerial: lake.batterySerial,
      rcSerial: lake.rcSerial,
      startTime: '2024-06-01T09:30:00.000Z',
      endTime: '2024-06-01T09:31:00.000Z',
      durationS: 60,
      distanceM: 1256.4,
      homeLat: lake.home!.lat,
      homeLon: lake.home!.lon,
      homeSource: 'first-fix',
      photoCount: 2,
      videoCount: 1,
      batteryCycles: 42,
      // Row 0 is an ODL placeholder; row 1 is the first with a battery reading.
      batteryStartPercent: 95,
      batteryEndPercent: 55,
      frameCount: 601,
      gpsFrameCount: 599,
    });
    // Row 300 (the peak) is a placeholder, so the highest recorded row is just below 60 m.
    expect(d.maxHeightM).toBeCloseTo(60, 2);
    // Out and back on a 200 m circle: the furthest point is 200 m from home.
    expect(d.maxDistanceFromHomeM).toBeGreaterThan(199);
    expect(d.maxDistanceFromHomeM).toBeLessThan(201);
    expect(d.maxHorizontalSpeedMps).toBeCloseTo(8, 3);
    expect(d.takeoffLat).toBeCloseTo(lake.home!.lat, 4);
    expect(d.landingLon).toBeCloseTo(lake.home!.lon, 4);
    expect(d.messages.map((m) => [m.tMs, m.severity])).toEqual([
      [1000, 'tip'],
      [30_000, 'warning'],
      [55_000, 'caution'],
    ]);

    const [row] = await sql<Record<string, unknown>>(
      t.app,
      `SELECT local_time_zone, CAST(local_start_time AS VARCHAR) AS local_start, battery_full_capacity_mah, battery_start_voltage_v,
              battery_end_voltage_v, battery_start_temp_c, battery_end_temp_c, imported_at = '2024-06-02T10:00:00Z'::TIMESTAMPTZ AS kept_import_time
       FROM flights WHERE file_hash = $1`,
      [lake.fileHash],
    );
    expect(row).toMatchObject({ local_time_zone: 'Europe/Zurich', local_start: '2024-06-01 11:30:00', battery_full_capacity_mah: 2590, kept_import_time: true });
    // First and last rows with a voltage (row 0 is a placeholder): 17 − 2p V, 18 + 12p °C.
    expect(row!.battery_start_voltage_v).toBeCloseTo(17 - 2 / 600, 4);
    expect(row!.battery_end_voltage_v).toBe(15);
    expect(row!.battery_start_temp_c).toBeCloseTo(18 + 12 / 600, 4);
    expect(row!.battery_end_temp_c).toBe(30);

    const manual = await getJson<FlightDetail>(t, `/api/v1/flights/${await flightIdOf(t, club.startTime)}`);
    expect(manual).toMatchObject({ sourceFormat: 'manual', aircraftModel: 'My Avata', homeSource: 'manual', durationS: 600, maxHeightM: 40, frameCount: 0 });
    const zones = await sql<{ z: string }>(t.app, 'SELECT local_time_zone AS z FROM flights ORDER BY start_time');
    expect(zones.map((z) => z.z)).toEqual(['Europe/Zurich', 'Europe/London', 'Europe/Paris']);
  });

  it('serves the telemetry through GET /flights/:id/telemetry, with ODL placeholder rows as gaps', async () => {
    const id = await flightIdOf(t, lake.startTime);
    const tel = await getJson<TelemetryResponse>(t, `/api/v1/flights/${id}/telemetry?fields=latitude,heightM,batteryPercent,distanceFromHomeM,cellVoltages,flightMode,verticalSpeedMps&points=5000`);
    expect(tel.totalPoints).toBe(601);
    expect(tel.bucketMs).toBe(0);
    expect(tel.t[0]).toBe(0);
    expect(tel.t[600]).toBe(60_000);
    expect(tel.series.latitude![0]).toBeNull();
    expect(tel.series.latitude![300]).toBeNull();
    expect(tel.series.latitude![1]).toBeCloseTo(lake.home!.lat, 4);
    expect(tel.series.heightM![150]).toBeCloseTo(60 * Math.sin(Math.PI / 4), 3);
    expect(tel.series.batteryPercent![1]).toBe(95);
    expect(tel.series.distanceFromHomeM![450]).toBeCloseTo(200 * Math.sin((Math.PI * 3) / 4), 0);
    expect(tel.series.cellVoltages![1]).toHaveLength(4);
    expect(tel.series.cellVoltages![1]![0]).toBeCloseTo(4.25, 2);
    expect(tel.series.flightMode![2]).toBe('AutoTakeoff');
    // ODL's velocity_z is "down"; ours is up-positive: climbing early in the flight.
    expect(tel.series.verticalSpeedMps![10]).toBeGreaterThan(0);
  });

  it('turns the app messages into events', async () => {
    const id = await flightIdOf(t, lake.startTime);
    const ev = await getJson<FlightEventsResponse>(t, `/api/v1/flights/${id}/events`);
    const messages = ev.events.filter((e) => e.type === 'message').map((e) => [e.title, e.severity]);
    expect(messages).toEqual([
      ['Aircraft taking off.', 'info'],
      ['Strong wind. Fly with caution.', 'warning'],
      ['Low battery. Return to home.', 'critical'],
    ]);
  });

  it('adds up in the overview', async () => {
    const o = await getJson<OverviewResponse>(t, '/api/v1/overview');
    expect(o.totals).toMatchObject({ flights: 3, durationS: 780, photos: 2, videos: 1, aircraft: 3, batteries: 3 });
    expect(o.totals.distanceM).toBeCloseTo(1256.4 + 2410 + 3000, 6);
  });

  it('brings equipment names over; an ODL name with "[X]" is a retired battery', async () => {
    const eq = await getJson<EquipmentListResponse>(t, '/api/v1/equipment');
    const by = (serial: string) => eq.items.find((i) => i.serial === serial);
    expect(by('1581F6Z9C23A0001')).toMatchObject({ kind: 'aircraft', displayName: 'Wendy the Mini', retired: false, flights: 1 });
    expect(by('4ERPL6K00B0002')).toMatchObject({ kind: 'battery', displayName: 'Old pack', retired: true, flights: 1 });
  });

  it("caches ODL's keychains under the log file's SHA-256", async () => {
    const rows = await sql<{ request_hash: string; keychains: string }>(t.app, `SELECT request_hash, CAST(keychains AS VARCHAR) AS keychains FROM keychains`);
    expect(rows.map((r) => r.request_hash)).toEqual([`odl-file:${lake.fileHash}`]);
    expect(JSON.parse(rows[0]!.keychains)).toEqual(spec.keychains[0]!.keychains);
  });

  it('adds nothing when the same backup is imported again', async () => {
    const before = await tableDigests(t.app);
    const res = await postOdlBackup(t.app, backup);
    expect(res.statusCode, res.body).toBe(200);
    const again = res.json() as OdlImportReport;
    expect(again.flights).toEqual({ inBackup: 3, imported: 0, alreadyPresent: 3 });
    expect(again).toMatchObject({
      telemetryRows: 0,
      messages: 0,
      tags: { auto: 0, manual: 0 },
      customizations: { applied: 0, withoutFlight: 1 },
      equipmentNames: { imported: 0, alreadyPresent: 2 },
      keychains: { imported: 0, alreadyPresent: 1 },
    });
    expect(await tableDigests(t.app)).toEqual(before);
  });

  it('is documented in the OpenAPI document with its report and error answers', async () => {
    const doc = await getJson<{ paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } }>> }>(t, '/api/docs/json');
    const op = doc.paths[ODL_IMPORT_URL]?.post;
    expect(op).toBeDefined();
    expect(Object.keys(op!.responses).sort()).toEqual(['200', '400', '409', '413', '415']);
    expect(Object.keys(op!.requestBody!.content)).toContain('multipart/form-data');
  });

  it('leaves no temp files behind', async () => {
    expect(await filesUnder(t.config.backupTmpDir)).toEqual([]);
    expect(await filesUnder(t.config.uploadTmpDir)).toEqual([]);
  });

  describe('a bad or hostile archive is refused with 4xx and changes nothing', () => {
    let before: Record<string, string>;
    beforeAll(async () => {
      before = await tableDigests(t.app);
    });

    const cases: Array<{ name: string; bytes: () => Promise<Uint8Array>; status: number; message: RegExp }> = [
      { name: 'not gzip at all', bytes: async () => Buffer.from('PK\u0003\u0004 this is a zip, not a backup'), status: 400, message: /not gzip|damaged/i },
      { name: 'cut short', bytes: async () => backup.subarray(0, Math.floor(backup.length / 2)), status: 400, message: /damaged|cut short/i },
      { name: 'gzip of something that is not tar', bytes: async () => gzipSync(randomBytes(8192)), status: 400, message: /tar|damaged/i },
      { name: 'an empty archive', bytes: async () => tarGz([]), status: 400, message: /empty/ },
      {
        name: 'a ../ name (path traversal)',
        bytes: async () => tarGz([...(await entries()), { name: '../../escaped.parquet', data: Buffer.from('x') }]),
        status: 400,
        message: /not a safe name/,
      },
      {
        name: 'an absolute name',
        bytes: async () => tarGz([{ name: '/tmp/flights.parquet', data: Buffer.from('x') }, ...(await entries())]),
        status: 400,
        message: /not a safe name/,
      },
      {
        name: 'a symlink',
        bytes: async () => tarGz([{ name: 'flights.parquet', type: 'symlink', linkName: '/etc/passwd' }]),
        status: 400,
        message: /symlink/,
      },
      {
        name: 'a file that is not a table',
        bytes: async () => tarGz([...(await entries()), { name: 'notes/readme.txt', data: Buffer.from('hello') }]),
        status: 400,
        message: /does not belong in an Open DroneLog backup/,
      },
      {
        name: 'no telemetry table',
        bytes: async () => tarGz((await entries()).filter((e) => e.name !== 'telemetry.parquet')),
        status: 400,
        message: /no telemetry\.parquet/,
      },
      {
        name: 'flights.parquet that is not parquet',
        bytes: async () => tarGz((await entries()).map((e) => (e.name === 'flights.parquet' ? { ...e, data: randomBytes(2048) } : e))),
        status: 400,
        message: /^flights\.parquet is not readable parquet \([^/]*\)/,
      },
      {
        name: 'a flights id that is text',
        bytes: async () =>
          tarGz(await entries(['CREATE TABLE f2 AS SELECT CAST(id AS VARCHAR) AS id, * EXCLUDE (id) FROM flights', 'DROP TABLE flights', 'ALTER TABLE f2 RENAME TO flights'])),
        status: 400,
        message: /column "id" is VARCHAR/,
      },
      {
        name: 'telemetry without timestamp_ms',
        bytes: async () => tarGz(await entries(['ALTER TABLE telemetry DROP COLUMN timestamp_ms'])),
        status: 400,
        message: /telemetry\.parquet has no column "timestamp_ms"/,
      },
      {
        name: 'a table file twice',
        bytes: async () => {
          const e = await entries();
          return tarGz([...e, e.find((x) => x.name === 'settings.parquet')!]);
        },
        status: 400,
        message: /twice/,
      },
    ];

    for (const c of cases) {
      it(c.name, async () => {
        const res = await postOdlBackup(t.app, await c.bytes());
        expect(res.statusCode, res.body).toBe(c.status);
        expect(res.json().message).toMatch(c.message);
        expect(await tableDigests(t.app)).toEqual(before);
      });
    }

    it('a Dronelog backup: pointed to the restore route', async () => {
      const { bytes } = await downloadBackup(t.app);
      const res = await postOdlBackup(t.app, bytes);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/Dronelog backup.*backup\/restore/);
      expect(await tableDigests(t.app)).toEqual(before);
    });

    it('a multipart body without a file', async () => {
      const body = await multipart([], { note: 'no file here' });
      const res = await t.app.inject({ method: 'POST', url: ODL_IMPORT_URL, ...body });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('no-file');
    });

    it('nothing escaped the work folder and no temp files remain', async () => {
      const parent = path.dirname(t.config.backupTmpDir);
      expect((await filesUnder(parent)).filter((f) => f.includes('escaped'))).toEqual([]);
      expect(await filesUnder(t.config.backupTmpDir)).toEqual([]);
    });
  });

  it('rolls everything back when the transaction fails half-way (telemetry already written)', async () => {
    const other: OdlBackupSpec = {
      ...syntheticOdlBackup(),
      flights: syntheticOdlBackup().flights.map((f, i) => ({
        ...f,
        id: f.id + 1,
        fileHash: f.fileHash ? `${'e'.repeat(63)}${i}` : null,
        startTime: new Date(Date.parse(f.startTime) + 86_400_000).toISOString(),
      })),
      customizations: [],
      keychains: [],
    };
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'odl-atomic-'));
    try {
      await odlParquetFiles(dir, other);
      const repo = new OdlBackupRepository(t.app.db);
      const files = await repo.describe(ODL_TABLE_NAMES.map((table) => ({ table, path: path.join(dir, `${table}.parquet`), name: `${table}.parquet` })));
      const before = await tableDigests(t.app);
      await expect(
        repo.importBackup(files, () => {
          throw new Error('time-zone lookup failed');
        }),
      ).rejects.toThrow('time-zone lookup failed');
      expect(await tableDigests(t.app)).toEqual(before);
      // The write connection is clean afterwards (no temp tables left): the same files import fine.
      const counts = await repo.importBackup(files, () => null);
      expect(counts.flightsImported).toBe(3);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Open DroneLog backup import: size limits (MAX_RESTORE_MB)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_BACKUP: '0', MAX_RESTORE_MB: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses an archive over the limit with 413', async () => {
    const big = tarGz([{ name: 'flights.parquet', data: randomBytes(1_200_000) }]);
    const res = await postOdlBackup(t.app, big);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().message).toMatch(/MAX_RESTORE_MB/);
  });

  it('refuses an archive that unpacks to more than 4× the limit (a gzip bomb) with 413', async () => {
    const bomb = tarGz([{ name: 'flights.parquet', data: Buffer.alloc(5 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await postOdlBackup(t.app, bomb);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().message).toMatch(/unpacks to more than/);
    expect(await sql(t.app, 'SELECT 1 FROM flights')).toEqual([]);
    expect(await filesUnder(t.config.backupTmpDir)).toEqual([]);
  });

  it('refuses a header that promises more data than follows', async () => {
    const liar = tarGz([{ name: 'flights.parquet', data: Buffer.from('short'), declaredSize: 3 * 1024 * 1024 * 1024 }]);
    const res = await postOdlBackup(t.app, liar);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().message).toMatch(/cut short|damaged|unexpected end/i);
  });
});

describe('Open DroneLog backup import: profiles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_BACKUP: '0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function total(cookie: string | null): Promise<number> {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: cookie ? { cookie } : {} });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as FlightListResponse).total;
  }

  it("goes into the logged-in profile's tables only; each profile has its own duplicates", async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/profiles', payload: { name: 'alice', password: 'correct horse' } });
    expect(created.statusCode, created.body).toBe(201);
    const session = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { profile: 'alice', password: 'correct horse' } });
    expect(session.statusCode, session.body).toBe(200);
    const alice = String(session.headers['set-cookie']).split(';')[0]!;

    const backup = await odlBackup();
    const body = await multipart([{ name: 'open-dronelog.db.backup', bytes: backup }]);
    const res = await t.app.inject({ method: 'POST', url: ODL_IMPORT_URL, payload: body.payload, headers: { ...body.headers, cookie: alice } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as OdlImportReport).flights.imported).toBe(3);
    expect(await total(alice)).toBe(3);
    expect(await total(null)).toBe(0);
    // The default profile (schema main) got nothing, not even the keychain or the equipment names.
    expect(await sql(t.app, 'SELECT 1 FROM keychains UNION ALL SELECT 1 FROM equipment')).toEqual([]);

    const intoDefault = await postOdlBackup(t.app, backup);
    expect(intoDefault.statusCode, intoDefault.body).toBe(200);
    expect((intoDefault.json() as OdlImportReport).flights).toEqual({ inBackup: 3, imported: 3, alreadyPresent: 0 });
    expect(await total(null)).toBe(3);
    expect(await total(alice)).toBe(3);
  });
});

describe("Open DroneLog backup import: ODL's cached keychains decrypt its logs here", () => {
  let t: TestApp;
  beforeAll(async () => {
    // No DJI_API_KEY: without a cached keychain a v14 log would wait as "awaiting key".
    t = await buildTestApp({ RATE_LIMIT_BACKUP: '0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports a v14 log with the keys ODL cached for that file, then caches them under their request', async () => {
    const log = writeDjiLog(demoFlight({ seed: 'odl-keys', durationS: 30, startTime: '2025-01-05T12:00:00Z' }), { version: 14 });
    const fileSha = createHash('sha256').update(log.bytes).digest('hex');
    const backup = await odlBackup({ ...syntheticOdlBackup(), keychains: [{ fileHash: fileSha, keychains: log.keychains, fetchedAt: '2025-01-05T13:00:00Z' }] });
    const res = await postOdlBackup(t.app, backup);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as OdlImportReport).keychains.imported).toBe(1);

    const result = await uploadOne(t.app, { name: 'DJIFlightRecord_2025-01-05_[12-00-00].txt', bytes: log.bytes });
    expect(result.status, result.reason).toBe('imported');
    const keys = await sql<{ request_hash: string }>(t.app, 'SELECT request_hash FROM keychains ORDER BY request_hash');
    expect(keys.map((k) => k.request_hash).sort()).toEqual([keychainRequestHash(log.request!), `odl-file:${fileSha}`].sort());
  });
});

describe('Open DroneLog backup import: an older backup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_BACKUP: '0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('without display_name, rc_serial, battery_life, cell voltages, RC link, customizations and equipment names: imported, with what is missing reported', async () => {
    const tar = await entries([
      'CREATE TABLE f2 AS SELECT * EXCLUDE (display_name, rc_serial, battery_life) FROM flights',
      'DROP TABLE flights',
      'ALTER TABLE f2 RENAME TO flights',
      'ALTER TABLE telemetry DROP COLUMN cell_voltages',
      'ALTER TABLE telemetry DROP COLUMN rc_uplink',
      'ALTER TABLE telemetry DROP COLUMN rc_downlink',
    ]);
    const res = await postOdlBackup(t.app, tarGz(tar.filter((e) => e.name !== 'flight_customizations.parquet' && e.name !== 'equipment_names.parquet')));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as OdlImportReport;
    expect(report.flights).toEqual({ inBackup: 3, imported: 3, alreadyPresent: 0 });
    expect(report.telemetryRows).toBe(lake.track!.points + harbour.track!.points);
    expect(report.warnings.filter((w) => /has no (equipment_names|flight_customizations)\.parquet/.test(w))).toHaveLength(2);
    const list = await getJson<FlightListResponse>(t, '/api/v1/flights?sort=startTime&order=asc');
    // Without display_name every flight gets Dronelog's default name; the harbour flight's colour was only a customization.
    expect(list.items.map((f) => [f.customName, f.color])).toEqual([
      [null, '#ef4444'],
      [null, null],
      [null, '#22c55e'],
    ]);
    const tel = await getJson<TelemetryResponse>(t, `/api/v1/flights/${list.items[0]!.id}/telemetry?fields=cellVoltages,rcUplinkPercent,batteryPercent&points=5000`);
    expect(tel.series.cellVoltages![1]).toBeNull();
    // rc_uplink missing: ODL's rc_signal stands in for it.
    expect(tel.series.rcUplinkPercent![1]).toBe(100);
    expect(tel.series.batteryPercent![1]).toBe(95);
  });
});
