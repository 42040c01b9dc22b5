import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportEntry, ImportFileResult, ImportList } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { Database } from '../src/db/database.js';

/**
 * Crash safety of the BUILT server (`node apps/api/dist/server.js`, what the Docker image runs): SIGKILL while
 * a large log is being imported, restart on the same DATA_DIR → the database opens, no partial flight, the
 * ledger says the import was interrupted (retryable), and a retry imports it.
 */
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distServer = path.join(apiDir, 'dist', 'server.js');

/** Newest modification time of the files below `dir` (ms). */
function newest(dir: string): number {
  let max = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) max = Math.max(max, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return max;
}

/** Builds dist/ when it is missing or older than src/ (CI builds before testing; a developer may not have). */
async function ensureBuilt(): Promise<void> {
  if (fs.existsSync(distServer) && fs.statSync(distServer).mtimeMs >= newest(path.join(apiDir, 'src'))) return;
  await promisify(execFile)('pnpm', ['--filter', '@dronelog/api', 'build'], { cwd: apiDir, timeout: 240_000 });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [distServer], {
    cwd: apiDir,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      WEB_DIR: 'off',
      LOG_LEVEL: 'warn',
      PARSE_CONCURRENCY: '1',
      DJI_API_KEY: '',
      SYNC_LOGS_PATH: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${err}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become ready: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, stderr: () => err };
}

async function stop(s: Server, signal: NodeJS.Signals): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill(signal);
  await exited;
}

async function json<T>(res: Promise<Response>): Promise<T> {
  const r = await res;
  if (!r.ok) throw new Error(`${r.url} answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
}

/**
 * Row counts straight from the DuckDB file while the server is stopped: flights, telemetry per flight, orphans.
 * Opened the way the app opens it (Database.open, explicit CHECKPOINT on close): a plain DuckDBInstance that
 * replays a crashed WAL and checkpoints only on shutdown leaves the imports index broken for the next open
 * (DuckDB 1.5; see docs/security.md).
 */
async function dbState(file: string) {
  const db = await Database.open(file);
  const one = async (q: string) => (await db.reader.runAndReadAll(q)).getRowObjectsJS();
  try {
    return {
      flights: await one('SELECT id, file_hash, frame_count FROM flights'),
      telemetryMismatch: await one(
        'SELECT f.id FROM flights f WHERE f.frame_count <> (SELECT count(*) FROM telemetry t WHERE t.flight_id = f.id)',
      ),
      orphanTelemetry: Number((await one('SELECT count(*) AS n FROM telemetry WHERE flight_id NOT IN (SELECT id FROM flights)'))[0]!.n),
      orphanMessages: Number((await one('SELECT count(*) AS n FROM flight_messages WHERE flight_id NOT IN (SELECT id FROM flights)'))[0]!.n),
      imports: await one('SELECT id, status, reason_code, retryable FROM imports ORDER BY id'),
    };
  } finally {
    await db.close();
  }
}

describe('crash safety of the built server', () => {
  let dataDir: string;
  let server: Server | null = null;
  beforeAll(async () => {
    await ensureBuilt();
    dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'dronelog-crash-'));
  }, 300_000);
  afterAll(async () => {
    if (server) await stop(server, 'SIGKILL');
    await fsp.rm(dataDir, { recursive: true, force: true });
  });

  it('recovers from SIGKILL mid-import: database opens, no partial flight, ledger says interrupted, retry imports it', { timeout: 300_000 }, async () => {
    // ~6 MB, 24 000 frames: its parse takes seconds, a wide window to kill the server in.
    const big = writeDjiLog(demoFlight({ seed: 'crash-big', durationS: 2400 }), { version: 10 });
    server = await startServer(dataDir);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(big.bytes)]), 'big-flight.txt');
    const upload = fetch(`${server.url}/api/v1/imports`, { method: 'POST', body: form }).then(
      (r) => ({ answered: r.status }),
      () => ({ answered: null }),
    );

    // Wait until the ledger shows the import pending with its original kept (parsing), then kill -9.
    let pending: ImportEntry | undefined;
    const deadline = Date.now() + 60_000;
    while (!pending && Date.now() < deadline) {
      const list = await json<ImportList>(fetch(`${server.url}/api/v1/imports?status=pending`));
      pending = list.items.find((e) => e.originalKept);
      if (!pending) await new Promise((r) => setTimeout(r, 20));
    }
    expect(pending, 'the import never showed up as pending').toBeDefined();
    await stop(server, 'SIGKILL');
    expect((await upload).answered).toBeNull();

    // The file as the killed process left it: no flight, nothing orphaned.
    const afterKill = await dbState(path.join(dataDir, 'dronelog.duckdb'));
    expect(afterKill.flights).toEqual([]);
    expect(afterKill.orphanTelemetry).toBe(0);
    expect(afterKill.orphanMessages).toBe(0);

    // Restart on the same DATA_DIR: it opens, and start-up recovery marks the import interrupted and retryable.
    server = await startServer(dataDir);
    const entry = await json<ImportEntry>(fetch(`${server.url}/api/v1/imports/${pending!.id}`));
    expect(entry).toMatchObject({ status: 'failed', reasonCode: 'interrupted', retryable: true, originalKept: true });
    expect(entry.reason).toMatch(/stopped during this import; retry/);
    const flights = await json<{ items: unknown[] }>(fetch(`${server.url}/api/v1/flights`));
    expect(flights.items).toEqual([]);
    // No staged upload survives a crash.
    const tmp = path.join(dataDir, 'tmp');
    const leftovers = fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((n) => n.endsWith('.upload')) : [];
    expect(leftovers).toEqual([]);

    // A retry imports it, completely.
    const retry = await json<{ results: ImportFileResult[] }>(fetch(`${server.url}/api/v1/imports/retry`, { method: 'POST' }));
    expect(retry.results.map((r) => [r.importId, r.status])).toEqual([[pending!.id, 'imported']]);
    await stop(server, 'SIGTERM');
    server = null;

    const end = await dbState(path.join(dataDir, 'dronelog.duckdb'));
    expect(end.flights).toHaveLength(1);
    expect(end.flights[0]!.frame_count).toBe(big.frameCount);
    expect(end.telemetryMismatch).toEqual([]);
    expect(end.orphanTelemetry).toBe(0);
    expect(end.imports).toEqual([{ id: BigInt(pending!.id), status: 'imported', reason_code: null, retryable: false }]);
  });
});
