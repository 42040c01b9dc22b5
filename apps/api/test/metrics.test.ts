import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFlight, startFakeKeychainServer, writeDjiLog, type FakeKeychainServer } from '@dronelog/testkit';
import app from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { serverOptions } from '../src/server-options.js';
import { buildTestApp } from './helper.js';
import { upload, uploadOne } from './imports-helpers.js';

const API_KEY = 'metrics-test-api-key';

function log(seed: string, start: string, version: number) {
  return { name: `${seed}.txt`, bytes: writeDjiLog(demoFlight({ seed, durationS: 30, startTime: start }), { version }).bytes };
}

async function scrape(a: FastifyInstance): Promise<string> {
  const res = await a.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
}

/** The value of one sample, e.g. value(text, 'dronelog_imports_total{status="imported",source="upload"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

/** Checks the Prometheus text format line by line: HELP/TYPE comments, then samples of declared families. */
function checkExposition(text: string): void {
  const types = new Map<string, string>();
  const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$/;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const m = sample.exec(line);
    expect(m, `not a Prometheus sample line: ${line}`).not.toBeNull();
    const name = m![1]!;
    const family = [name, name.replace(/_(bucket|sum|count|total|created)$/, '')].find((n) => types.has(n));
    expect(family, `sample without a # TYPE: ${line}`).toBeDefined();
  }
}

/**
 * One app for metrics and logs, built like server.ts builds it (serverOptions: request ids, redaction), with its JSON
 * log lines captured.
 */
let server: FakeKeychainServer;
let t: { app: FastifyInstance };
let dataDir: string;
const lines: Array<Record<string, unknown>> = [];
const raw: string[] = [];

beforeAll(async () => {
  server = await startFakeKeychainServer({ apiKey: API_KEY });
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-metrics-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    WEB_DIR: 'off',
    DJI_API_KEY: API_KEY,
    DJI_KEYCHAIN_ENDPOINT: server.url,
    DJI_KEYCHAIN_TIMEOUT_MS: '2000',
  });
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) {
        raw.push(l);
        lines.push(JSON.parse(l) as Record<string, unknown>);
      }
      done();
    },
  });
  t = { app: Fastify(serverOptions(config, { stream })) };
  await t.app.register(app, { config });
  await t.app.ready();
});
afterAll(async () => {
  await t?.app.close();
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('GET /metrics', () => {
  beforeAll(async () => {
    // Same seed → same keys: the second v14 log is decoded with the cached keychain.
    expect((await uploadOne(t.app, log('metrics-keys', '2024-02-01T10:00:00Z', 14))).status).toBe('imported');
    expect((await uploadOne(t.app, log('metrics-keys', '2024-02-02T10:00:00Z', 14))).status).toBe('imported');
    const plain = log('metrics-plain', '2024-02-03T10:00:00Z', 10);
    const { results } = await upload(t.app, [plain, { name: 'notes.txt', bytes: 'this is not a flight log at all, just text '.repeat(40) }]);
    expect(results.map((r) => r.status)).toEqual(['imported', 'failed']);
    expect((await uploadOne(t.app, plain)).status).toBe('duplicate');
  });

  it('counts imports, parses, keychain cache use and flights, in valid Prometheus text', async () => {
    const text = await scrape(t.app);
    checkExposition(text);
    expect(value(text, 'dronelog_imports_total{status="imported",source="upload"}')).toBe(3);
    expect(value(text, 'dronelog_imports_total{status="failed",source="upload"}')).toBe(1);
    expect(value(text, 'dronelog_imports_total{status="duplicate",source="upload"}')).toBe(1);
    expect(value(text, 'dronelog_imports_total{status="awaiting-key",source="sync"}')).toBe(0);
    expect(value(text, 'dronelog_parse_duration_seconds_count{outcome="ok"}')).toBe(3);
    expect(value(text, 'dronelog_parse_duration_seconds_count{outcome="error"}')).toBe(1);
    expect(value(text, 'dronelog_parse_duration_seconds_bucket{le="+Inf",outcome="ok"}')).toBe(3);
    expect(value(text, 'dronelog_parse_duration_seconds_sum{outcome="ok"}')).toBeGreaterThan(0);
    expect(value(text, 'dronelog_keychain_cache_hits_total')).toBe(1);
    expect(value(text, 'dronelog_keychain_cache_misses_total')).toBe(1);
    expect(value(text, 'dronelog_keychain_fetches_total')).toBe(1);
    expect(value(text, 'dronelog_keychain_fetch_errors_total')).toBe(0);
    expect(value(text, 'dronelog_parse_workers_total{result="succeeded"}')).toBe(3);
    expect(value(text, 'dronelog_flights')).toBe(3);
    expect(value(text, 'dronelog_duckdb_file_bytes{file="database"}')).toBeGreaterThan(0);
    expect(value(text, 'dronelog_duckdb_file_bytes{file="wal"}')).toBeGreaterThanOrEqual(0);
    // Three flights' telemetry is held in DuckDB's memory (buffer pool or not yet checkpointed rows).
    const duckdbBytes = [...text.matchAll(/^dronelog_duckdb_memory_bytes\{tag="([a-z_]+)"\} (\d+)$/gm)];
    expect(duckdbBytes.map((m) => m[1])).toContain('base_table');
    expect(duckdbBytes.reduce((s, m) => s + Number(m[2]), 0)).toBeGreaterThan(0);
    expect(value(text, 'dronelog_sync_runs_total{status="started"}')).toBe(0);
    expect(text).toMatch(/^dronelog_build_info\{version="\d+\.\d+\.\d+[^"]*"\} 1$/m);
    expect(text).toMatch(/^dronelog_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/imports",status_code="200"\} 4$/m);
    // Default process metrics, on this app's registry.
    expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
  });

  it('counts backups and restores', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/backup' })).statusCode).toBe(200);
    const text = await scrape(t.app);
    expect(value(text, 'dronelog_backups_total{status="ok"}')).toBe(1);
    expect(value(text, 'dronelog_restores_total{mode="replace",status="ok"}')).toBe(0);
    // Every profile's backups count, not only the default profile's.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/profiles', payload: { name: 'metrics-other' } })).statusCode).toBe(201);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { profile: 'metrics-other' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/backup', headers: { cookie } })).statusCode).toBe(200);
    expect(value(await scrape(t.app), 'dronelog_backups_total{status="ok"}')).toBe(2);
  });

  it('keeps a registry per app: a second app in the same process starts from zero', async () => {
    const other = await buildTestApp();
    try {
      const text = await scrape(other.app);
      checkExposition(text);
      expect(value(text, 'dronelog_imports_total{status="imported",source="upload"}')).toBe(0);
      expect(value(text, 'dronelog_flights')).toBe(0);
      expect(value(await scrape(t.app), 'dronelog_flights')).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('is off with METRICS_ENABLED=false', async () => {
    const off = await buildTestApp({ METRICS_ENABLED: 'false' });
    try {
      const res = await off.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('structured logs', () => {
  const a = () => t.app;

  it('honours a safe x-request-id, echoes it, and puts it on the request log lines', async () => {
    const res = await a().inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123.XYZ:9' } });
    expect(res.headers['x-request-id']).toBe('abc-123.XYZ:9');
    expect(lines.filter((l) => l.reqId === 'abc-123.XYZ:9').map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  });

  it('replaces an unsafe or long x-request-id with a fresh one', async () => {
    for (const bad of ['has spaces in it', 'x'.repeat(65), '<script>', 'new\\nline']) {
      const res = await a().inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      const id = res.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(raw.some((l) => l.includes(bad))).toBe(false);
    }
    // Error answers carry it too.
    const missing = await a().inject({ method: 'GET', url: '/api/v1/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs each import with its id and sha256, and never a key, a cookie or the file', async () => {
    // The imports of the metrics tests above.
    const finished = lines.filter((l) => l.msg === 'import finished');
    expect(finished.map((l) => l.status)).toEqual(['imported', 'imported', 'imported', 'failed', 'duplicate']);
    for (const l of finished) {
      expect(l).toMatchObject({ component: 'import', source: 'upload', importId: expect.any(Number) });
      expect(l.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // Secrets in headers, as a proxy might forward them, are redacted wherever headers get logged.
    await a().inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'api-key': 'SECRET-DJI-KEY', authorization: 'Bearer SECRET-TOKEN', cookie: 'sid=SECRET-COOKIE' },
    });
    a().log.info({ headers: { 'api-key': 'SECRET-DJI-KEY', authorization: 'Bearer SECRET-TOKEN', cookie: 'sid=SECRET-COOKIE' } }, 'headers');
    a().log.info({ req: { headers: { 'api-key': 'SECRET-DJI-KEY' } } }, 'request headers');
    const all = raw.join('\n');
    expect(all).not.toMatch(/SECRET-/);
    expect(all).toContain('[redacted]');
    // No log line carries file bytes: each stays short.
    expect(Math.max(...raw.map((l) => l.length))).toBeLessThan(2_000);
  });
});
