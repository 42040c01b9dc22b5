/**
 * 4. Sync folder: a folder of `syncKnown` logs (year/month sub-folders) is imported by a first run; then no-op runs
 * over it (nothing changed: every file is skipped by path + size + mtime) are timed against a plain walk + stat of the
 * same folder; then `syncNew` new logs are added and the run that imports them is timed against bare parses of them.
 * Runs are started with POST /api/v1/sync and followed with GET /api/v1/sync, as the web app does.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../lib/context.js';
import { BareParser } from '../lib/bare-parse.js';
import { writeLogSet } from '../lib/logs.js';
import { paths } from '../lib/paths.js';
import { schemaKey } from '../lib/query-db.js';
import { atMost, type Row } from '../lib/report.js';
import { ApiServer } from '../lib/server.js';
import { fmtInt, fmtMs, fmtRatio, median, sleep, sum } from '../lib/stats.js';

const S = 'sync';

/** The parts of the API's SyncRun read here (@dronelog/contracts). */
interface RunView {
  id: number;
  status: string;
  counts: { seen: number; unchanged: number; new: number; imported: number; failed: number };
}

/** Starts a run and polls until it has ended; wall time from the POST to the poll that sees it finished. */
async function syncOnce(server: ApiServer, pollMs = 5): Promise<{ ms: number; run: RunView }> {
  const t = performance.now();
  const res = await fetch(`${server.url}/api/v1/sync`, { method: 'POST' });
  if (res.status !== 202) throw new Error(`POST /api/v1/sync answered ${res.status}: ${await res.text()}`);
  const started = (await res.json()) as RunView;
  for (;;) {
    const status = (await (await fetch(`${server.url}/api/v1/sync`)).json()) as { current: RunView | null; lastRuns: RunView[] };
    const done = status.current?.id !== started.id ? status.lastRuns.find((r) => r.id === started.id) : undefined;
    if (done) return { ms: performance.now() - t, run: done };
    await sleep(pollMs);
  }
}

/** The floor of a no-op run: list every folder and stat every file, nothing else. */
async function walkAndStat(root: string): Promise<{ ms: number; files: number }> {
  const t = performance.now();
  let files = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        await fsp.stat(p, { bigint: true });
        files++;
      }
    }
  };
  await walk(root);
  return { ms: performance.now() - t, files };
}

export async function syncSection(ctx: Context, rows: Row[]): Promise<void> {
  const { profile } = ctx;
  const root = path.join(ctx.tmp, 'sync-logs');
  ctx.log(`writing ${profile.syncKnown} short logs into ${root} (year/month folders)`);
  const known = await writeLogSet(root, profile.syncKnown, { minS: 20, maxS: 45, seed: 'bench-sync', nest: true, fixedMtime: true });
  // The set-up (importing the folder once) is cached like the query database: same schema, same files, same mtimes.
  const { key } = await schemaKey();
  const cached = path.join(paths.cacheDir, `sync-${profile.syncKnown}-${key}.duckdb`);
  const dataDir = path.join(ctx.tmp, 'sync-data');
  await fsp.mkdir(dataDir, { recursive: true });
  const fromCache = fs.existsSync(cached);
  if (fromCache) await fsp.copyFile(cached, path.join(dataDir, 'dronelog.duckdb'));
  const env = { SYNC_LOGS_PATH: root, SYNC_STABLE_MS: '0', SYNC_INTERVAL: '0 0 3 1 1 *', SYNC_ON_START: 'false' };
  let server = await ApiServer.start({
    dataDir,
    maxOldSpaceMb: profile.maxOldSpaceMb,
    // No settling wait (it is a configured sleep, not work); no scheduled run during the benchmark.
    env,
  });
  const parser = await BareParser.start();
  try {
    if (!fromCache) {
      ctx.log(`first sync of the ${known.length} files (setting up the no-op runs; cached afterwards)`);
      const initial = await syncOnce(server, 50);
      if (initial.run.counts.imported !== known.length) throw new Error(`set-up sync imported ${initial.run.counts.imported} of ${known.length}`);
      rows.push({
        section: S,
        figure: `set-up: first sync of ${known.length} short logs (20–45 s)`,
        value: `${fmtMs(initial.ms)} (${(known.length / (initial.ms / 1000)).toFixed(1)} files/s)`,
        target: '—',
        verdict: 'info',
        reference: `${initial.run.counts.imported} imported; cached for later runs`,
      });
      await server.stop();
      await fsp.mkdir(paths.cacheDir, { recursive: true });
      for (const old of fs.readdirSync(paths.cacheDir)) {
        if (old.startsWith(`sync-${profile.syncKnown}-`)) fs.rmSync(path.join(paths.cacheDir, old), { force: true });
      }
      await fsp.copyFile(path.join(dataDir, 'dronelog.duckdb'), `${cached}.tmp`);
      await fsp.rename(`${cached}.tmp`, cached);
      server = await ApiServer.start({ dataDir, maxOldSpaceMb: profile.maxOldSpaceMb, env });
    }

    const noop: number[] = [];
    const floor: number[] = [];
    let last: RunView | null = null;
    for (let i = 0; i < profile.syncNoopRuns; i++) {
      floor.push((await walkAndStat(root)).ms);
      const r = await syncOnce(server);
      noop.push(r.ms);
      last = r.run;
    }
    const unchangedOk = last?.counts.unchanged === known.length && last.counts.new === 0;
    if (!unchangedOk && fromCache) ctx.note(S, `the cached set-up ${cached} did not match the folder; delete it and run again`);
    rows.push({
      section: S,
      figure: `no-op sync over ${fmtInt(known.length)} imported files (median of ${noop.length}, max ${fmtMs(Math.max(...noop))})`,
      value: unchangedOk ? fmtMs(median(noop)) : `broken: ${JSON.stringify(last)}`,
      target: '≤ 1 s',
      verdict: unchangedOk ? atMost(median(noop), 1000) : 'fail',
      reference: `walk + stat of the folder ${fmtMs(median(floor))}`,
    });

    ctx.log(`adding ${profile.syncNew} new logs and syncing them`);
    // 1–5 minute flights: what a phone's folder gains between two runs, and it keeps the full run short.
    const fresh = await writeLogSet(path.join(root, 'new'), profile.syncNew, {
      minS: 60,
      maxS: 300,
      seed: 'bench-sync-new',
      startIndex: 5000,
    });
    const first = await syncOnce(server, 20);
    const bare: number[] = [];
    for (const f of fresh) bare.push((await parser.parse(f.file)).wallMs);
    const bareMs = sum(bare);
    rows.push({
      section: S,
      figure: `first sync of ${fresh.length} new logs (${fmtInt(sum(fresh.map((f) => f.frames)))} frames)`,
      value: `${fmtMs(first.ms)} (${(fresh.length / (first.ms / 1000)).toFixed(1)} files/s)`,
      target: '—',
      verdict: first.run.counts.imported === fresh.length ? 'info' : 'fail',
      reference: `bare parse one after another ${fmtMs(bareMs)}; ratio ${fmtRatio(first.ms / bareMs)}; ${first.run.counts.imported} imported`,
    });
    ctx.note(S, 'SYNC_STABLE_MS=0 for the benchmark: the default 5 s settling wait is a sleep and would be added once per run with new files.');
  } finally {
    await parser.close();
    await server.stop();
  }
}
