import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoFlight,
  keychainsFor,
  malformedKeychains,
  manifest,
  startFakeKeychainServer,
  wrongKeychains,
  writeDjiLog,
  type DjiLog,
  type FakeKeychainServer,
  type FakeKeychainServerMode,
} from '@dronelog/testkit';
import { parseFlightLog, writeDronelogCsv } from '@dronelog/flightlog';
import { keychainRequestHash } from '../src/services/keychain.service.js';
import { buildTestApp, type TestApp } from './helper.js';
import { count, filesUnder, ledger, ledgerEntry, readRealLog, realLogsDir, sql, upload, uploadOne } from './imports-helpers.js';

const API_KEY = 'test-api-key';

function v14(seed: string, startTime: string, version = 14): DjiLog {
  return writeDjiLog(demoFlight({ seed, durationS: 30, startTime }), { version });
}

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function flightIdOf(t: TestApp, fileName: string): Promise<number> {
  const [row] = await sql<{ id: bigint }>(t.app, 'SELECT id FROM flights WHERE file_name = $1', [fileName]);
  return Number(row!.id);
}

async function deleteFlight(t: TestApp, id: number): Promise<void> {
  const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/flights/${id}` });
  expect(res.statusCode).toBeLessThan(300);
  expect(await count(t.app, 'flights', 'id = $1', [BigInt(id)])).toBe(0);
}

describe('encrypted (v14) logs with a DJI keychain server', () => {
  let server: FakeKeychainServer;
  let t: TestApp;
  // Same seed → same key material (the keychain request is identical), different start → a different flight.
  const a = v14('same-keys', '2024-06-01T09:30:00Z');
  const b = v14('same-keys', '2024-06-02T10:00:00Z');
  const c = v14('same-keys', '2024-06-03T11:00:00Z');

  beforeAll(async () => {
    server = await startFakeKeychainServer({ apiKey: API_KEY });
    t = await buildTestApp({ DJI_API_KEY: API_KEY, DJI_KEYCHAIN_ENDPOINT: server.url, DJI_KEYCHAIN_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('imports a v14 log with exactly one keychain request, sent as DJI expects', async () => {
    server.requests.reset();
    const r = await uploadOne(t.app, { name: 'a.txt', bytes: a.bytes });
    expect(r).toMatchObject({ status: 'imported' });
    expect(server.requests.count).toBe(1);
    expect(server.requests.apiKeys[0]).toBe(API_KEY);
    expect(server.requests.bodies[0]).toEqual(a.request);
    expect(await count(t.app, 'keychains')).toBe(1);
    expect(await count(t.app, 'telemetry', 'flight_id = $1', [BigInt(r.flightId!)])).toBe(a.frameCount);
    // Decoded for real: the positions are where the synthetic flight flew, not zeros.
    const [pos] = await sql<{ lat: number; lon: number }>(
      t.app,
      'SELECT avg(latitude) AS lat, avg(longitude) AS lon FROM telemetry WHERE flight_id = $1',
      [BigInt(r.flightId!)],
    );
    expect(pos!.lat).toBeCloseTo(a.spec.home.latitude, 1);
    expect(pos!.lon).toBeCloseTo(a.spec.home.longitude, 1);
  });

  it('re-imports the same log after its flight was deleted from the cache, with no request', async () => {
    await deleteFlight(t, await flightIdOf(t, 'a.txt'));
    server.requests.reset();
    const hits = t.app.flightImport.stats.keychains.hits;
    const r = await uploadOne(t.app, { name: 'a.txt', bytes: a.bytes });
    expect(r.status).toBe('imported');
    expect(server.requests.count).toBe(0);
    expect(t.app.flightImport.stats.keychains.hits).toBe(hits + 1);
  });

  it('imports another log with the same key material from the cache, with no request', async () => {
    server.requests.reset();
    const r = await uploadOne(t.app, { name: 'b.txt', bytes: b.bytes });
    expect(r.status).toBe('imported');
    expect(server.requests.count).toBe(0);
  });

  it('keeps the cache across a restart', async () => {
    await t.restart();
    server.requests.reset();
    const r = await uploadOne(t.app, { name: 'c.txt', bytes: c.bytes });
    expect(r.status).toBe('imported');
    expect(server.requests.count).toBe(0);
    expect(await count(t.app, 'keychains')).toBe(1);
  });

  it('checks duplicates before asking for keys: a re-upload with changed bytes costs no request', async () => {
    server.requests.reset();
    const changed = new Uint8Array([...b.bytes, 0]);
    const r = await uploadOne(t.app, { name: 'b-copy.txt', bytes: changed });
    expect(r).toMatchObject({ status: 'duplicate', reasonCode: 'duplicate-flight' });
    expect(server.requests.count).toBe(0);
    expect(t.app.flightImport.stats.keychains.misses).toBe(0); // counters are per process (restarted above)
  });

  it('never asks for keys for pre-v13 logs', async () => {
    server.requests.reset();
    const { results } = await upload(t.app, [
      { name: 'v12.txt', bytes: v14('plain-12', '2024-07-01T08:00:00Z', 12).bytes },
      { name: 'v7.txt', bytes: v14('plain-7', '2024-07-02T08:00:00Z', 7).bytes },
    ]);
    expect(results.map((r) => r.status)).toEqual(['imported', 'imported']);
    expect(server.requests.count).toBe(0);
  });

  it('never asks for keys for CSV logs', async () => {
    server.requests.reset();
    const flight = await parseFlightLog(v14('csv-source', '2024-07-03T08:00:00Z', 10).bytes);
    const csv = writeDronelogCsv(flight);
    const r = await uploadOne(t.app, { name: 'flight.csv', bytes: new TextEncoder().encode(csv) });
    expect(r.status).toBe('imported');
    expect(server.requests.count).toBe(0);
  });

  const failures: Array<[FakeKeychainServerMode, RegExp, string]> = [
    ['forbidden', /DJI rejected the API key/, 'api-key-rejected'],
    ['error500', /answered HTTP 500/, 'keychain-error'],
    ['malformed', /not JSON|malformed/, 'keychain-error'],
    ['code-nonzero', /DJI refused the keychain request \(code \d+: Simulated DJI error/, 'keychain-error'],
    ['no-data', /malformed/, 'keychain-error'],
    ['hang', /did not answer within 1 s/, 'keychain-timeout'],
  ];
  for (const [mode, reason, code] of failures) {
    it(`leaves a log awaiting its key when DJI answers "${mode}", then imports it on retry`, async () => {
      const log = v14(`mode-${mode}`, '2024-08-01T12:00:00Z');
      server.setMode(mode);
      server.requests.reset();
      const r = await uploadOne(t.app, { name: `${mode}.txt`, bytes: log.bytes });
      expect(r.status).toBe('awaiting-key');
      expect(r.reason).toMatch(reason);
      expect(r.reasonCode).toBe(code);
      expect(server.requests.count).toBe(1);
      expect(await count(t.app, 'flights', 'file_hash = $1', [r.sha256])).toBe(0);
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

      server.setMode('ok');
      const retry = await t.app.inject({ method: 'POST', url: '/api/v1/imports/retry' });
      expect(retry.statusCode).toBe(200);
      const mine = retry.json().results.find((x: { importId: number }) => x.importId === r.importId);
      expect(mine).toMatchObject({ status: 'imported' });
      expect((await ledgerEntry(t.app, r.importId)).attempts).toBe(2);
    });
  }

  it('does not cache keys from DJI that decode garbage, and never stores a flight of zeros', async () => {
    const log = v14('bad-keys', '2024-09-01T12:00:00Z');
    server.setMode('bad-keys');
    const keychainsBefore = await count(t.app, 'keychains');
    const r = await uploadOne(t.app, { name: 'bad-keys.txt', bytes: log.bytes });
    expect(r).toMatchObject({ status: 'awaiting-key', reasonCode: 'keychain-rejected' });
    expect(await count(t.app, 'keychains')).toBe(keychainsBefore);
    expect(await count(t.app, 'flights', 'file_hash = $1', [r.sha256])).toBe(0);
    server.setMode('ok');
    const retry = await t.app.inject({ method: 'POST', url: '/api/v1/imports/retry' });
    expect(retry.json().results).toEqual([expect.objectContaining({ importId: r.importId, status: 'imported' })]);
  });

  async function cacheKeychain(log: DjiLog, keychains: unknown): Promise<void> {
    const hash = keychainRequestHash(log.request!);
    await t.app.db.exclusive((conn) =>
      conn.run('INSERT OR REPLACE INTO keychains (request_hash, request, keychains) VALUES ($1, $2::JSON, $3::JSON)', [
        hash,
        JSON.stringify(log.request),
        JSON.stringify(keychains),
      ]),
    );
  }

  it('discards a cached WRONG keychain, fetches the right one once and imports the flight correctly', async () => {
    const log = v14('cached-wrong', '2024-10-01T12:00:00Z');
    await cacheKeychain(log, wrongKeychains(keychainsFor(log), 'planted'));
    server.requests.reset();
    const r = await uploadOne(t.app, { name: 'cached-wrong.txt', bytes: log.bytes });
    expect(r.status).toBe('imported');
    expect(server.requests.count).toBe(1);
    const [pos] = await sql<{ lat: number }>(t.app, 'SELECT avg(latitude) AS lat FROM telemetry WHERE flight_id = $1', [BigInt(r.flightId!)]);
    expect(pos!.lat).toBeCloseTo(log.spec.home.latitude, 1);
    const [cached] = await sql<{ k: string }>(t.app, 'SELECT CAST(keychains AS VARCHAR) AS k FROM keychains WHERE request_hash = $1', [
      keychainRequestHash(log.request!),
    ]);
    expect(JSON.parse(cached!.k)).toEqual(keychainsFor(log));
  });

  it('never hands a malformed cached keychain to the parser (it would panic): dropped and fetched again', async () => {
    const log = v14('cached-malformed', '2024-11-01T12:00:00Z');
    await cacheKeychain(log, malformedKeychains(keychainsFor(log), 'short-key'));
    server.requests.reset();
    const r = await uploadOne(t.app, { name: 'cached-malformed.txt', bytes: log.bytes });
    expect(r.status).toBe('imported');
    expect(server.requests.count).toBe(1);
    expect(t.app.flightImport.stats.keychains.invalidCached).toBeGreaterThanOrEqual(1);
  });

  it('shows the ledger with the header of each encrypted log', async () => {
    const { items } = await ledger(t.app, '?limit=500');
    const a1 = items.find((i) => i.fileName === 'a.txt' && i.status === 'imported')!;
    expect(a1.header).toMatchObject({ formatVersion: 14, encrypted: true, startTime: expect.stringMatching(/^2024-06-01T09:30/) });
  });
});

const dir = realLogsDir();
const realV14 = manifest().dji.filter((e) => e.version >= 13);

describe.skipIf(!dir)('real v14 logs without keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ KEEP_UPLOADED_FILES: 'false' });
  });
  afterAll(async () => t?.close());

  it('leaves every real v14 log awaiting its key, with the header visible in the ledger and the original kept', async () => {
    expect(realV14.length).toBeGreaterThanOrEqual(8);
    const { res, results } = await upload(t.app, await Promise.all(realV14.map((e) => readRealLog(dir!, e.file))));
    expect(res.statusCode).toBe(200);
    for (const [i, r] of results.entries()) {
      const m = realV14[i]!;
      expect(r.fileName).toBe(m.file);
      expect(r, m.file).toMatchObject({ status: 'awaiting-key', reasonCode: 'no-api-key', reason: 'no DJI API key configured (set DJI_API_KEY)' });
      const entry = await ledgerEntry(t.app, r.importId);
      expect(entry.originalKept, m.file).toBe(true);
      expect(entry.retryable, m.file).toBe(true);
      expect(entry.header, m.file).toMatchObject({ formatVersion: m.version, encrypted: true });
      expect(Date.parse(entry.header!.startTime!), m.file).toBe(Date.parse(m.startTime));
      expect(entry.header!.aircraftSerial ?? '', m.file).toBe(m.aircraftSn);
      if (m.aircraftName) expect(entry.header!.aircraftName, m.file).toBe(m.aircraftName);
    }
    const listed = await ledger(t.app, '?status=awaiting-key&limit=100');
    expect(listed.total).toBe(realV14.length);
    expect(listed.items.every((i) => i.header?.startTime && i.header.aircraftModel !== undefined)).toBe(true);
    expect(await count(t.app, 'flights')).toBe(0);
    expect(await count(t.app, 'telemetry')).toBe(0);
    expect(await filesUnder(t.config.originalsDir)).toHaveLength(realV14.length);
  });

  it('retries them all on request; without a key they keep waiting', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/retry' });
    expect(res.statusCode).toBe(200);
    const results = res.json().results as Array<{ status: string; importId: number }>;
    expect(results).toHaveLength(realV14.length);
    expect(results.every((r) => r.status === 'awaiting-key')).toBe(true);
    expect((await ledgerEntry(t.app, results[0]!.importId)).attempts).toBe(2);
    expect(await filesUnder(t.config.originalsDir)).toHaveLength(realV14.length);
  });
});

describe.skipIf(!dir)('real v14 logs when DJI cannot be reached', () => {
  let t: TestApp;
  let server: FakeKeychainServer;
  const file = 'pydjirecord_DJIFlightRecord_2024-09-01_[14-55-49].txt';

  beforeAll(async () => {
    t = await buildTestApp({ DJI_API_KEY: API_KEY, DJI_KEYCHAIN_ENDPOINT: `http://127.0.0.1:${await closedPort()}/keychains` });
    server = await startFakeKeychainServer({ apiKey: API_KEY });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('waits for the key with a "could not reach DJI" reason, and the retry endpoint tries again', async () => {
    const r = await uploadOne(t.app, await readRealLog(dir!, file));
    expect(r).toMatchObject({ status: 'awaiting-key', reasonCode: 'keychain-unreachable' });
    expect(r.reason).toMatch(/could not reach DJI's keychain service \(127\.0\.0\.1:\d+\): ECONNREFUSED/);
    const fetches = t.app.flightImport.stats.keychains.fetches;
    const retry = await t.app.inject({ method: 'POST', url: '/api/v1/imports/retry' });
    expect(retry.json().results).toEqual([expect.objectContaining({ importId: r.importId, status: 'awaiting-key', reasonCode: 'keychain-unreachable' })]);
    expect(t.app.flightImport.stats.keychains.fetches).toBe(fetches + 1);
    expect((await ledgerEntry(t.app, r.importId)).attempts).toBe(2);
    expect(await count(t.app, 'telemetry')).toBe(0);
    const original = path.join(t.config.originalsDir, r.sha256.slice(0, 2), r.sha256);
    expect((await fs.stat(original)).size).toBeGreaterThan(0);
  });
});
