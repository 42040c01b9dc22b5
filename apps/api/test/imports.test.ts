import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { count, filesUnder, ledger, ledgerEntry, multipart, readRealLog, realLogsDir, sql, upload, uploadOne, type UploadFile } from './imports-helpers.js';

const dir = realLogsDir();

const V3 = 'wildellie_DJIFlightRecord_2015-06-10_[12-38-57].txt';
const V8 = 'chrisvm_phantom3_4.txt';
const V9_DF010 = 'vtolabs-droner_df010_Inspire1_DJIFlightRecord_2018-06-20_[09-16-53].txt';
const V10_TINY = 'vtolabs-droner_df006_Phantom4Pro_DJIFlightRecord_2017-06-29_[12-52-14].txt';
const V11 = 'chrisvm_mavic2_12.txt';
const V11_NO_GPS = 'vtolabs-droner_df060_Matrice210_275-DJIFlightRecord_2018-06-14_[17-01-39].txt';
const PRE_V13 = [V3, V8, V9_DF010, V10_TINY, V11, V11_NO_GPS];

describe.skipIf(!dir)('imports of real pre-v13 DJI logs', () => {
  let t: TestApp;
  const logs = new Map<string, UploadFile>();
  const entries = new Map(manifest().dji.map((e) => [e.file, e]));

  beforeAll(async () => {
    t = await buildTestApp();
    for (const f of PRE_V13) logs.set(f, await readRealLog(dir!, f));
  });
  afterAll(async () => t?.close());

  it('imports logs of format versions 3, 8, 9, 10 and 11 (incl. a no-GPS Matrice 210) in one request', async () => {
    const { res, results } = await upload(t.app, PRE_V13.map((f) => logs.get(f)!));
    expect(res.statusCode).toBe(200);
    expect(results.map((r) => [r.fileName, r.status, r.reason])).toEqual(PRE_V13.map((f) => [f, 'imported', undefined]));
    for (const r of results) {
      expect(r.flightId).toBeGreaterThan(0);
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.sha256.startsWith(entries.get(r.fileName)!.sha256Prefix)).toBe(true);
    }
  });

  it('stores metadata that matches the fixture MANIFEST, and one telemetry row per frame', async () => {
    for (const file of PRE_V13) {
      const m = entries.get(file)!;
      const [f] = await sql<Record<string, unknown>>(
        t.app,
        `SELECT id, file_name, aircraft_name, aircraft_serial, log_version, frame_count, gps_frame_count, epoch_ms(start_time) AS start_ms
         FROM flights WHERE file_name = $1`,
        [file],
      );
      expect(f, file).toBeDefined();
      expect(f!.log_version, file).toBe(m.version);
      expect(f!.aircraft_name ?? '', file).toBe(m.aircraftName);
      expect(f!.aircraft_serial ?? '', file).toBe(m.aircraftSn);
      expect(f!.frame_count, file).toBe(m.frames);
      expect(f!.gps_frame_count, file).toBe(m.gpsFrames);
      // Stored start = first frame's clock; the header's start time differs by well under a second.
      expect(Math.abs(Number(f!.start_ms) - Date.parse(m.startTime)), file).toBeLessThan(1000);
      expect(await count(t.app, 'telemetry', 'flight_id = $1', [f!.id as bigint]), file).toBe(m.frames);
    }
  });

  it('matches the PhantomHelp export of df010: max height 55.9 m, final battery 73 %', async () => {
    const [f] = await sql<{ id: bigint; max_height_m: number; battery_end_percent: number }>(
      t.app,
      'SELECT id, max_height_m, battery_end_percent FROM flights WHERE file_name = $1',
      [V9_DF010],
    );
    expect(f!.max_height_m).toBeCloseTo(55.9, 1);
    expect(f!.battery_end_percent).toBe(73);
    const [last] = await sql<{ battery_percent: number; height_m: number }>(
      t.app,
      'SELECT battery_percent FROM telemetry WHERE flight_id = $1 ORDER BY t_ms DESC LIMIT 1',
      [f!.id],
    );
    expect(last!.battery_percent).toBe(73);
    const [max] = await sql<{ h: number }>(t.app, 'SELECT max(height_m) AS h FROM telemetry WHERE flight_id = $1', [f!.id]);
    expect(max!.h).toBeCloseTo(55.9, 1);
  });

  it('stores NaN values as NULL, and messages with the flight', async () => {
    const [f] = await sql<{ id: bigint }>(t.app, 'SELECT id FROM flights WHERE file_name = $1', [V11_NO_GPS]);
    expect(await count(t.app, 'telemetry', 'flight_id = $1 AND latitude IS NOT NULL', [f!.id])).toBe(0);
    expect(await count(t.app, 'telemetry', "flight_id = $1 AND isnan(latitude)", [f!.id])).toBe(0);
    expect(await count(t.app, 'flight_messages', 'flight_id = $1', [f!.id])).toBeGreaterThan(0);
  });

  it('answers a re-upload of the same bytes with duplicate and the same flight id, without parsing', async () => {
    const [f] = await sql<{ id: bigint }>(t.app, 'SELECT id FROM flights WHERE file_name = $1', [V8]);
    const started = t.app.flightImport.stats.parser.started;
    const r = await uploadOne(t.app, logs.get(V8)!);
    expect(r).toMatchObject({ status: 'duplicate', reasonCode: 'duplicate-file', flightId: Number(f!.id) });
    expect(t.app.flightImport.stats.parser.started).toBe(started);
    expect(await count(t.app, 'flights')).toBe(PRE_V13.length);
  });

  it('recognises the same flight in different bytes (one trailing byte) as a duplicate by signature', async () => {
    const [f] = await sql<{ id: bigint }>(t.app, 'SELECT id FROM flights WHERE file_name = $1', [V8]);
    const original = logs.get(V8)!.bytes as Uint8Array;
    const changed = new Uint8Array(original.length + 1);
    changed.set(original);
    changed[original.length] = 0x0a;
    const r = await uploadOne(t.app, { name: 'renamed copy.txt', bytes: changed });
    expect(r).toMatchObject({ status: 'duplicate', reasonCode: 'duplicate-flight', flightId: Number(f!.id) });
    // The header was read (it is in the ledger), the frames were not decoded into a second flight.
    const entry = await ledgerEntry(t.app, r.importId);
    expect(entry.header).toMatchObject({ aircraftSerial: '03Z1437134', formatVersion: 8 });
    expect(await count(t.app, 'flights')).toBe(PRE_V13.length);
  });

  it('recognises the same flight without a battery serial (v3, all-zero serial) by aircraft serial + start time', async () => {
    const original = logs.get(V3)!.bytes as Uint8Array;
    const changed = Buffer.concat([Buffer.from(original), Buffer.from('xx')]);
    const r = await uploadOne(t.app, { name: 'v3 again.txt', bytes: changed });
    expect(r.status).toBe('duplicate');
    expect(r.reasonCode).toBe('duplicate-flight');
  });

  it('keeps originals content-addressed under originals/<sha[0..2]>/<sha>, never under the upload name', async () => {
    const [r] = await sql<{ file_hash: string; original_path: string }>(
      t.app,
      "SELECT file_hash, original_path FROM imports WHERE file_name = $1 AND status = 'imported'",
      [V9_DF010],
    );
    expect(r!.original_path).toBe(`${r!.file_hash.slice(0, 2)}/${r!.file_hash}`);
    const kept = await filesUnder(t.config.originalsDir);
    expect(kept.some((p) => p.endsWith(r!.file_hash))).toBe(true);
    expect(kept.some((p) => p.includes('DJIFlightRecord'))).toBe(false);
    expect(await filesUnder(t.config.uploadTmpDir)).toEqual([]);
  });

  it('lists the ledger newest first, filters by status and pages with offset and cursor', async () => {
    const all = await ledger(t.app);
    expect(all.total).toBe(PRE_V13.length + 3);
    const ids = all.items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const dups = await ledger(t.app, '?status=duplicate');
    expect(dups.total).toBe(3);
    expect(dups.items.every((i) => i.status === 'duplicate')).toBe(true);
    const page1 = await ledger(t.app, '?limit=4');
    expect(page1.items).toHaveLength(4);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = await ledger(t.app, `?limit=4&cursor=${page1.nextCursor}`);
    expect(page2.items[0]!.id).toBe(page1.items[3]!.id - 1);
    const byOffset = await ledger(t.app, '?limit=4&offset=4');
    expect(byOffset.items.map((i) => i.id)).toEqual(page2.items.map((i) => i.id));
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/imports?status=bogus' });
    expect(bad.statusCode).toBe(400);
  });

  it('answers an unknown import id with 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/imports/999999' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('999999');
  });
});

describe.skipIf(!dir)('imports of files that are not readable flight logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  it.each([
    ['an empty file', 'empty.txt', () => new Uint8Array(0), 'empty-file'],
    ['50 random bytes', 'random50.txt', () => new Uint8Array(randomBytes(50)), null],
    ['100 KB of random bytes', 'random100k.txt', () => new Uint8Array(randomBytes(100 * 1024)), null],
    ['a text file', 'notes.txt', () => 'Flight notes\nBattery 3 felt warm.\n'.repeat(40), 'not-a-flight-log'],
  ])('fails %s with a readable reason and writes no flight', async (_label, name, make, code) => {
    const r = await uploadOne(t.app, { name, bytes: make() });
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/\w+ \w+/);
    expect(r.reason).not.toMatch(/RuntimeError|unreachable|Error:/);
    if (code) expect(r.reasonCode).toBe(code);
    expect(await count(t.app, 'flights')).toBe(0);
    expect(await count(t.app, 'telemetry')).toBe(0);
    expect(await count(t.app, 'flight_messages')).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('fails a real log truncated to 25 % and stays healthy', async () => {
    const full = (await readRealLog(dir!, V9_DF010)).bytes as Uint8Array;
    const r = await uploadOne(t.app, { name: 'truncated.txt', bytes: full.subarray(0, Math.floor(full.length / 4)) });
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/not a readable DJI flight log|damaged|truncated/i);
    expect(await count(t.app, 'flights')).toBe(0);
    expect(await count(t.app, 'telemetry')).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('imports the good files of a request that also holds a bad one', async () => {
    const good1 = await readRealLog(dir!, V10_TINY);
    const good2 = await readRealLog(dir!, V11);
    const { res, results } = await upload(t.app, [good1, { name: 'junk.bin', bytes: new Uint8Array(randomBytes(4096)) }, good2]);
    expect(res.statusCode).toBe(200);
    expect(results.map((r) => r.status)).toEqual(['imported', 'failed', 'imported']);
    expect(await count(t.app, 'flights')).toBe(2);
    const failed = await ledger(t.app, '?status=failed');
    expect(failed.items.every((i) => i.reason && !i.retryable)).toBe(true);
  });

  it('answers 400 when the request holds no file part', async () => {
    const body = await multipart([], { note: 'no file here' });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('no-file');
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: { a: 1 } });
    expect(json.statusCode).toBe(400);
  });
});

describe.skipIf(!dir)('parse worker heap limit (PARSE_WORKER_MAX_HEAP_MB)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ PARSE_WORKER_MAX_HEAP_MB: '48' });
  });
  afterAll(async () => t?.close());

  it('fails a log that needs more heap as a retryable out-of-memory, writes no flight and stays healthy', async () => {
    // 10 166 frames: ~45 MB of decoded frames alone, past a 48 MiB worker heap with the module code and the flight.
    const r = await uploadOne(t.app, await readRealLog(dir!, 'lvauv_pr11_test.txt'));
    expect(r).toMatchObject({ status: 'failed', reasonCode: 'out-of-memory' });
    expect(r.reason).toMatch(/ran out of memory/);
    const [entry] = (await ledger(t.app, '?status=failed')).items;
    expect(entry).toMatchObject({ reasonCode: 'out-of-memory', retryable: true });
    expect(await count(t.app, 'flights')).toBe(0);
    expect(await count(t.app, 'telemetry')).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // The limit is per parse: the next (small) log gets a fresh worker and imports.
    expect((await uploadOne(t.app, await readRealLog(dir!, V11))).status).toBe('imported');
  });
});

describe('upload limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ MAX_UPLOAD_MB: '1', MAX_FILES_PER_REQUEST: '3' });
  });
  afterAll(async () => t?.close());

  it('refuses a file over MAX_UPLOAD_MB with 413 naming the file and the limit, and stores nothing of the request', async () => {
    const small = { name: 'small.txt', bytes: 'not a log' };
    const big = { name: 'huge-flight.txt', bytes: new Uint8Array(1.5 * 1024 * 1024) };
    const { res } = await upload(t.app, [small, big]);
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toContain('huge-flight.txt');
    expect(res.json().message).toContain('1 MB');
    expect(await count(t.app, 'imports')).toBe(0);
    expect(await filesUnder(t.config.uploadTmpDir)).toEqual([]);
    expect(await filesUnder(t.config.originalsDir)).toEqual([]);
  });

  it('refuses more than MAX_FILES_PER_REQUEST files with 413 and a message', async () => {
    const files = Array.from({ length: 4 }, (_, i) => ({ name: `f${i}.txt`, bytes: `file ${i}` }));
    const { res } = await upload(t.app, files);
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toMatch(/at most 3/);
    expect(await count(t.app, 'imports')).toBe(0);
    expect(await filesUnder(t.config.uploadTmpDir)).toEqual([]);
  });

  it('answers a body that is not multipart with 400 not-multipart and stores nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { 'content-type': 'text/plain' }, payload: 'a log pasted as text' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'not-multipart', message: 'Send the log files as multipart/form-data.' });
    expect(await count(t.app, 'imports')).toBe(0);
  });

  it('still takes a file just under the limit', async () => {
    const r = await uploadOne(t.app, { name: 'almost.bin', bytes: new Uint8Array(1024 * 1024 - 1000) });
    expect(r.status).toBe('failed');
    expect(await count(t.app, 'imports')).toBe(1);
  });
});

describe('malformed uploads', () => {
  it('answers 400 (not 500) to a multipart body cut off mid-file, and stores nothing', async () => {
    const t = await buildTestApp();
    try {
      const body = await multipart([{ name: 'cut.txt', bytes: new Uint8Array(5000).fill(7) }]);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: body.payload.subarray(0, 3000), headers: body.headers });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toBe('malformed-upload');
      expect(await count(t.app, 'imports')).toBe(0);
    } finally {
      await t.close();
    }
  });
});
