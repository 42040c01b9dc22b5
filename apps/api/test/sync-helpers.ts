import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { SyncFileList, SyncRun, SyncStatus } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { sql } from './imports-helpers.js';

/** A synthetic DJI log; each `n` is a different flight (seed and start time differ). */
export function syntheticLog(n: number, version = 10): Uint8Array {
  const start = new Date(Date.UTC(2024, 5, 1, 9, 30) + n * 3_600_000);
  return writeDjiLog(demoFlight({ seed: `sync-${n}`, durationS: 30, startTime: start }), { version }).bytes;
}

export async function makeSyncDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-sync-'));
}

/** Writes a file (creating folders) and pins its mtime to a whole second, so tests can restore it exactly. */
export async function put(root: string, rel: string, bytes: Uint8Array | string, mtimeS = 1_717_000_000): Promise<string> {
  const abs = path.join(root, rel);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  await fs.writeFile(abs, bytes);
  await fs.utimes(abs, mtimeS, mtimeS);
  return abs;
}

export interface SyncTestApp extends TestApp {
  syncDir: string;
}

export async function buildSyncApp(env: Record<string, string> = {}, syncDir?: string): Promise<SyncTestApp> {
  const dir = syncDir ?? (await makeSyncDir());
  const t = await buildTestApp({ SYNC_LOGS_PATH: dir, SYNC_STABLE_MS: '20', ...env });
  return Object.assign(t, { syncDir: dir });
}

export async function closeSyncApp(t: SyncTestApp | undefined): Promise<void> {
  if (!t) return;
  await t.close();
  await fs.chmod(t.syncDir, 0o755).catch(() => undefined);
  await fs.rm(t.syncDir, { recursive: true, force: true });
}

export async function syncStatus(t: TestApp): Promise<SyncStatus> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/sync' });
  expect(res.statusCode).toBe(200);
  return res.json();
}

/** POST /api/v1/sync, wait for the run to end, and return it as GET /api/v1/sync lists it. */
export async function runSync(t: TestApp): Promise<SyncRun> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/sync' });
  expect(res.statusCode, res.body).toBe(202);
  const started = res.json() as SyncRun;
  await t.app.syncFolder.waitForIdle();
  const run = (await syncStatus(t)).lastRuns.find((r) => r.id === started.id);
  expect(run, `run ${started.id} in lastRuns`).toBeDefined();
  return run!;
}

export async function syncFiles(t: TestApp, query = ''): Promise<SyncFileList> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/sync/files${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, everyMs = 10): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function countRows(t: TestApp, table: string, where = '', params: Array<string | number | bigint | null> = []): Promise<number> {
  const rows = await sql<{ n: bigint }>(t.app, `SELECT count(*) AS n FROM ${table} ${where ? `WHERE ${where}` : ''}`, params);
  return Number(rows[0]!.n);
}

/** Names, sizes and mtimes of everything under a folder, to prove the sync never changes it. */
export async function snapshot(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const abs = path.join(e.parentPath, e.name);
    const st = await fs.lstat(abs, { bigint: true });
    out.push(`${path.relative(root, abs)}|${e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : st.size}|${st.mtimeNs}|${st.mode}`);
  }
  return out.sort();
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
