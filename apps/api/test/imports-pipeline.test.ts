import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlightLog, type ParsedFlight } from '@dronelog/flightlog';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { FlightWriteRepository } from '../src/repositories/flight-write.repository.js';
import { ImportLedgerRepository } from '../src/repositories/import-ledger.repository.js';
import { KeychainRepository } from '../src/repositories/keychain.repository.js';
import { FlightImportService } from '../src/services/flight-import.service.js';
import { KeychainService } from '../src/services/keychain.service.js';
import { OriginalStore } from '../src/services/original-store.service.js';
import { ParseTimeoutError, ParseWorkerPool, RemoteParseError, WorkerCrashError } from '../src/workers/parse-worker-pool.js';
import { buildTestApp, type TestApp } from './helper.js';
import { count, filesUnder, ledger, ledgerEntry, sql, uploadOne } from './imports-helpers.js';

const TEST_WORKER = new URL('./imports-test-worker.mjs', import.meta.url);
const noop = { info() {}, warn() {}, error() {} };

function syntheticLog(seed: string, version: number, startTime = '2024-06-01T09:30:00Z') {
  return writeDjiLog(demoFlight({ seed, durationS: 30, startTime }), { version });
}

describe('parse worker pool', () => {
  const job = (fileName: string, extra: Partial<Parameters<ParseWorkerPool['parse']>[0]> = {}) => ({
    filePath: '/nonexistent',
    fileName,
    onHeader: async () => ({ proceed: true as const }),
    getKeychains: async () => [],
    ...extra,
  });

  it('terminates a parse that takes longer than its budget', async () => {
    const pool = new ParseWorkerPool({ concurrency: 1, timeoutMs: 300, workerFile: TEST_WORKER });
    const t0 = Date.now();
    await expect(pool.parse(job('hang'))).rejects.toBeInstanceOf(ParseTimeoutError);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(pool.stats).toMatchObject({ started: 1, timedOut: 1 });
    expect(pool.active).toBe(0);
    await pool.close();
  });

  it('does not count time spent waiting for the main thread against the budget', async () => {
    // Budgets are seconds, not milliseconds: starting a worker alone can take ~1 s on a loaded 2-core CI box.
    const pool = new ParseWorkerPool({ concurrency: 1, timeoutMs: 2500, workerFile: TEST_WORKER });
    const slowHeader = async () => {
      await new Promise((r) => setTimeout(r, 5000));
      return { proceed: true as const };
    };
    const err = await pool.parse(job('slow-main-then-hang', { onHeader: slowHeader })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteParseError);
    expect((err as RemoteParseError).code).toBe('test-answered');
    await pool.close();
  });

  it('reports a worker that exits or throws as a crash, and a posted WASM panic as a parser error', async () => {
    const pool = new ParseWorkerPool({ concurrency: 2, timeoutMs: 10_000, workerFile: TEST_WORKER });
    const [exit, thrown, panic] = await Promise.all(
      ['exit', 'throw-uncaught', 'post-panic'].map((m) => pool.parse(job(m)).catch((e: unknown) => e)),
    );
    expect(exit).toBeInstanceOf(WorkerCrashError);
    expect(thrown).toBeInstanceOf(WorkerCrashError);
    expect(panic).toBeInstanceOf(RemoteParseError);
    expect((panic as RemoteParseError).remoteName).toBe('RuntimeError');
    expect(pool.stats.started).toBe(3);
    await pool.close();
  });

  it('runs at most `concurrency` workers and queues the rest', async () => {
    const pool = new ParseWorkerPool({ concurrency: 1, timeoutMs: 250, workerFile: TEST_WORKER });
    const runs = [pool.parse(job('hang')), pool.parse(job('hang')), pool.parse(job('hang'))].map((p) => p.catch(() => 'done'));
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.active).toBe(1);
    expect(pool.queued).toBe(2);
    await Promise.all(runs);
    expect(pool.stats.timedOut).toBe(3);
    await pool.close();
  });
});

describe('parse worker reuse', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-reuse-'));
  });
  afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

  const realJob = (filePath: string) => ({
    filePath,
    fileName: path.basename(filePath),
    onHeader: async () => ({ proceed: true as const }),
    getKeychains: async () => [],
  });
  async function logFile(seed: string, version = 12): Promise<string> {
    const file = path.join(dir, `${seed}.txt`);
    await fs.writeFile(file, syntheticLog(seed, version).bytes);
    return file;
  }

  it('parses the next file in the same worker while it is small, at most maxParses files, and a fresh one after a failure', async () => {
    const pool = new ParseWorkerPool({ concurrency: 1, timeoutMs: 60_000, reuse: { maxParses: 3, maxMemoryMb: 400, idleMs: 60_000 } });
    try {
      const files = await Promise.all(['a', 'b', 'c', 'd'].map((s, i) => logFile(`reuse-${s}`, [12, 8, 11, 6][i])));
      for (const f of files) expect((await pool.parse(realJob(f))).telemetry.timeMs.length).toBeGreaterThan(0);
      // 4 files, at most 3 parses per worker: a, b, c in one worker, d in a second.
      expect(pool.stats).toMatchObject({ started: 2, reused: 2, succeeded: 4, failed: 0 });
      const junk = path.join(dir, 'junk.txt');
      await fs.writeFile(junk, 'not a log at all, but long enough to get past the empty-file check '.repeat(4));
      await expect(pool.parse(realJob(junk))).rejects.toBeInstanceOf(RemoteParseError);
      expect(pool.stats).toMatchObject({ started: 2, reused: 3, failed: 1 });
      await pool.parse(realJob(files[0]!));
      expect(pool.stats).toMatchObject({ started: 3, reused: 3, succeeded: 5 });
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('never reuses a worker whose memory is over the limit, nor when reuse is off', async () => {
    const file = await logFile('reuse-big');
    const tiny = new ParseWorkerPool({ concurrency: 1, timeoutMs: 60_000, reuse: { maxParses: 20, maxMemoryMb: 1, idleMs: 60_000 } });
    const off = new ParseWorkerPool({ concurrency: 1, timeoutMs: 60_000, reuse: false });
    try {
      for (const pool of [tiny, off]) {
        await pool.parse(realJob(file));
        await pool.parse(realJob(file));
        expect(pool.stats).toMatchObject({ started: 2, reused: 0, succeeded: 2 });
      }
    } finally {
      await Promise.all([tiny.close(), off.close()]);
    }
  }, 120_000);

  it('starts a fresh worker only once the one it replaces has exited (their heaps never add up)', async () => {
    const pool = new ParseWorkerPool({ concurrency: 1, timeoutMs: 60_000, reuse: false });
    try {
      const file = await logFile('reuse-exit');
      for (let i = 0; i < 3; i++) await pool.parse(realJob(file));
      // Uploads arrive together: each next parse is queued while the previous one runs.
      await Promise.all([0, 1, 2].map(() => pool.parse(realJob(file))));
      expect(pool.stats).toMatchObject({ started: 6, succeeded: 6, peakThreads: 1 });
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('a prewarmed worker takes the next parse; none starts while one is idle, and an unused one ends after idleMs', async () => {
    const pool = new ParseWorkerPool({ concurrency: 1, timeoutMs: 60_000, reuse: { maxParses: 20, maxMemoryMb: 400, idleMs: 200 } });
    try {
      const file = await logFile('prewarm');
      pool.prewarm();
      pool.prewarm(); // one is idle already
      expect(pool.stats).toMatchObject({ started: 1, prewarmed: 1 });
      expect((await pool.parse(realJob(file))).telemetry.timeMs.length).toBeGreaterThan(0);
      expect(pool.stats).toMatchObject({ started: 1, prewarmed: 1, reused: 0, succeeded: 1, peakThreads: 1 });
      // Its worker is idle after the parse: a prewarm adds nothing; once it has been ended, a prewarm starts one.
      pool.prewarm();
      expect(pool.stats).toMatchObject({ started: 1, prewarmed: 1 });
      await new Promise((r) => setTimeout(r, 600));
      pool.prewarm();
      expect(pool.stats).toMatchObject({ started: 2, prewarmed: 2, peakThreads: 1 });
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('ends an idle worker after idleMs', async () => {
    const pool = new ParseWorkerPool({ concurrency: 1, timeoutMs: 60_000, reuse: { maxParses: 20, maxMemoryMb: 400, idleMs: 50 } });
    try {
      const file = await logFile('reuse-idle');
      await pool.parse(realJob(file));
      await new Promise((r) => setTimeout(r, 300));
      await pool.parse(realJob(file));
      expect(pool.stats).toMatchObject({ started: 2, reused: 0 });
    } finally {
      await pool.close();
    }
  }, 120_000);
});

describe('import service with misbehaving parsers', () => {
  let t: TestApp;
  let service: FlightImportService;
  let pool: ParseWorkerPool;
  let inputDir: string;

  beforeAll(async () => {
    t = await buildTestApp();
    // A budget well above worker start-up time under load, so only the 'hang' worker ever times out.
    pool = new ParseWorkerPool({ concurrency: 1, timeoutMs: 3000, workerFile: TEST_WORKER });
    service = new FlightImportService(
      {
        ledger: new ImportLedgerRepository(t.app.db),
        flights: new FlightWriteRepository(t.app.db),
        keychains: new KeychainService(new KeychainRepository(t.app.db), { apiKey: null, endpoint: 'http://127.0.0.1:9/', timeoutMs: 500 }),
        originals: new OriginalStore(t.config.originalsDir, t.config.uploadTmpDir),
        parser: pool,
        log: noop,
      },
      { keepOriginals: true, maxUploadBytes: 1 << 20, maxFilesPerRequest: 10, concurrency: 1, parseTimeoutMs: 3000 },
    );
    inputDir = path.join(t.dataDir, 'input');
    await fs.mkdir(inputDir);
  });
  afterAll(async () => {
    await pool?.close();
    await t?.close();
  });

  async function importAs(mode: string, content: string) {
    const file = path.join(inputDir, `${mode}.bin`);
    await fs.writeFile(file, content);
    return service.importLocalFile(file, mode);
  }

  it('records a parse timeout as failed "took too long", retryable', async () => {
    const r = await importAs('hang', 'a');
    expect(r).toMatchObject({ status: 'failed', reasonCode: 'parse-timeout' });
    expect(r.reason).toMatch(/took too long/);
    expect((await ledgerEntry(t.app, r.importId)).retryable).toBe(true);
  });

  it('records a crashed worker and a WASM panic as "not a readable DJI flight log", not retryable', async () => {
    for (const mode of ['exit', 'throw-uncaught', 'post-panic']) {
      const r = await importAs(mode, mode);
      expect(r, mode).toMatchObject({ status: 'failed', reasonCode: 'unreadable', reason: 'This file is not a readable DJI flight log' });
      expect((await ledgerEntry(t.app, r.importId)).retryable, mode).toBe(false);
    }
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('retries only the retryable failure', async () => {
    const results = await service.retry();
    expect(results.map((r) => [r.fileName, r.status, r.reasonCode])).toEqual([['hang', 'failed', 'parse-timeout']]);
    const entry = await ledgerEntry(t.app, results[0]!.importId);
    expect(entry.attempts).toBe(2);
  });
});

describe('flight write transaction', () => {
  let t: TestApp;
  let flight: ParsedFlight;
  let repo: FlightWriteRepository;
  beforeAll(async () => {
    t = await buildTestApp();
    repo = new FlightWriteRepository(t.app.db);
    flight = await parseFlightLog(syntheticLog('tx', 11).bytes);
  });
  afterAll(async () => t?.close());

  it('leaves nothing behind when the telemetry append fails mid-flight', async () => {
    const broken: ParsedFlight = structuredClone(flight);
    const mid = Math.floor(broken.telemetry.length / 2);
    // A frame clock 35 days after the start does not fit t_ms (INTEGER): the Appender throws after half the
    // rows were appended (flightlog never produces this; it stands for any failure in the middle of a write).
    broken.telemetry.timeMs[mid] = 35 * 24 * 3600 * 1000;
    await expect(
      repo.insert({ fileHash: 'a'.repeat(64), fileName: 'broken.txt', fileSize: 1, flight: broken, signature: null, autoTags: ['test'] }),
    ).rejects.toThrow();
    expect(await count(t.app, 'flights')).toBe(0);
    expect(await count(t.app, 'telemetry')).toBe(0);
    expect(await count(t.app, 'flight_messages')).toBe(0);
    expect(Number((await sql<{ n: bigint }>(t.app, 'SELECT count(*) AS n FROM flight_tags'))[0]!.n)).toBe(0);
  });

  it('writes the same flight completely afterwards (the connection is usable again)', async () => {
    const r = await repo.insert({ fileHash: 'b'.repeat(64), fileName: 'good.txt', fileSize: 1, flight, signature: null, autoTags: [] });
    expect(r.kind).toBe('inserted');
    expect(await count(t.app, 'flights')).toBe(1);
    expect(await count(t.app, 'telemetry')).toBe(flight.telemetry.length);
    expect(await count(t.app, 'flight_messages')).toBe(flight.messages.length);
  });

  it('finds the same file and the same flight as duplicates inside the transaction', async () => {
    const byHash = await repo.insert({ fileHash: 'b'.repeat(64), fileName: 'again.txt', fileSize: 1, flight, signature: null, autoTags: [] });
    expect(byHash.kind).toBe('duplicate');
    const m = flight.metadata;
    const bySig = await repo.insert({
      fileHash: 'c'.repeat(64),
      fileName: 'copy.txt',
      fileSize: 1,
      flight,
      signature: { aircraftSerial: m.aircraftSerial!, batterySerial: m.batterySerial, startTime: new Date(Date.parse(m.startTime) + 1500).toISOString() },
      autoTags: [],
    });
    expect(bySig).toMatchObject({ kind: 'duplicate', by: 'signature' });
    expect(await count(t.app, 'flights')).toBe(1);
  });

  it('stores each numeric value at its column precision and NaN/±Infinity as NULL, across data chunks', async () => {
    // 260 s at 10 Hz: 2 600 rows, two data chunks of the Appender.
    const long = await parseFlightLog(writeDjiLog(demoFlight({ seed: 'tx-values', durationS: 260, startTime: '2024-07-01T09:30:00Z' }), { version: 12 }).bytes);
    const n = long.telemetry.length;
    expect(n).toBeGreaterThan(2048);
    const numeric = long.telemetry.numeric as Record<string, Float64Array>;
    // Gaps in a few columns: single values, around the chunk boundary, a whole chunk's worth, the last row.
    const holes: Array<[string, number, number]> = [
      ['heightM', 0, NaN], ['heightM', 2047, Infinity], ['heightM', 2048, -Infinity], ['heightM', n - 1, NaN],
      ['latitude', 5, NaN], ['batteryPercent', 1000, NaN],
    ];
    for (const [field, row, value] of holes) numeric[field]![row] = value;
    numeric['yawDeg']!.fill(NaN, 0, 2100);
    const r = await repo.insert({ fileHash: 'd'.repeat(64), fileName: 'values.txt', fileSize: 1, flight: long, signature: null, autoTags: [] });
    expect(r.kind).toBe('inserted');
    const id = r.flightId;
    const types = new Map(
      (await sql<{ column_name: string; data_type: string }>(t.app, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'telemetry'`)).map(
        (c) => [c.column_name, c.data_type],
      ),
    );
    const rows = await sql<Record<string, number | null>>(t.app, 'SELECT * FROM telemetry WHERE flight_id = $1 ORDER BY rowid', [BigInt(id)]);
    expect(rows).toHaveLength(n);
    for (const [field, column] of Object.entries(numeric)) {
      const name = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const type = types.get(name);
      if (type === undefined) continue; // a column the table does not store
      const expected = Array.from(column, (x) => (Number.isFinite(x) ? (type === 'FLOAT' ? Math.fround(x) : x) : null));
      expect(rows.map((row) => row[name]), name).toEqual(expected);
    }
    expect(rows.filter((row) => row['yaw_deg'] === null)).toHaveLength(2100);
  });
});

describe('KEEP_UPLOADED_FILES=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ KEEP_UPLOADED_FILES: 'false' });
  });
  afterAll(async () => t?.close());

  it('drops the original of an imported and of a failed file, and keeps nothing in the temp dir', async () => {
    const ok = await uploadOne(t.app, { name: 'synthetic.txt', bytes: syntheticLog('keep-false', 10).bytes });
    expect(ok.status).toBe('imported');
    const bad = await uploadOne(t.app, { name: 'junk.txt', bytes: 'hello' });
    expect(bad.status).toBe('failed');
    expect(await filesUnder(t.config.originalsDir)).toEqual([]);
    expect(await filesUnder(t.config.uploadTmpDir)).toEqual([]);
    const { items } = await ledger(t.app);
    expect(items.every((i) => !i.originalKept)).toBe(true);
  });

  it('keeps the original of an encrypted log that awaits its key, so it can be retried', async () => {
    const r = await uploadOne(t.app, { name: 'v14.txt', bytes: syntheticLog('keep-false-v14', 14).bytes });
    expect(r.status).toBe('awaiting-key');
    expect(r.reason).toBe('no DJI API key configured (set DJI_API_KEY)');
    const entry = await ledgerEntry(t.app, r.importId);
    expect(entry.originalKept).toBe(true);
    expect(await filesUnder(t.config.originalsDir)).toHaveLength(1);
  });
});

describe('restart after an interrupted import', () => {
  it('marks entries left pending as failed and retryable, and clears stale temp uploads', async () => {
    const t = await buildTestApp();
    try {
      await t.app.db.exclusive((conn) =>
        conn.run(`INSERT INTO imports (file_hash, file_name, file_size, source, status, original_path)
                  VALUES ('${'d'.repeat(64)}', 'half.txt', 10, 'upload', 'pending', 'dd/${'d'.repeat(64)}')`),
      );
      await fs.mkdir(t.config.uploadTmpDir, { recursive: true });
      await fs.writeFile(path.join(t.config.uploadTmpDir, 'stale.upload'), 'x');
      await t.restart();
      const { items } = await ledger(t.app);
      expect(items[0]).toMatchObject({ status: 'failed', reasonCode: 'interrupted', retryable: true });
      expect(await filesUnder(t.config.uploadTmpDir)).toEqual([]);
      // Its original is gone (never written here): a retry says so instead of failing obscurely.
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/retry' });
      expect(res.json().results[0]).toMatchObject({ status: 'failed', reasonCode: 'original-missing' });
    } finally {
      await t.close();
    }
  });
});
