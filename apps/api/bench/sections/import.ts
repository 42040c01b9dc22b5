/**
 * 1. Import and 2. Memory: the real API process imports a ~33-minute 10 Hz log, the largest real fixture and a
 * batch of logs, each import paired with the bare dji-log-parser-js parse of the same bytes in a fresh worker.
 * The server's RSS is read from /proc before, during (sampled + VmHWM) and after.
 */
import path from 'node:path';
import type { Context } from '../lib/context.js';
import { BareParser, type BareParse } from '../lib/bare-parse.js';
import { mapLimit, shedCounter, uploadFile } from '../lib/http.js';
import { largestRealLog, writeLogSet, writeLongLog } from '../lib/logs.js';
import { atMost, type Row } from '../lib/report.js';
import { ApiServer, sampleRss, serverMemoryParts } from '../lib/server.js';
import { fmtInt, fmtMiB, fmtMs, fmtRatio, median, sleep, sum } from '../lib/stats.js';

const S = 'import';
const M = 'memory';
/** Settling time before an "after" RSS reading (sockets closed, worker gone, timers run). */
const SETTLE_MS = 2000;

interface PairedRuns {
  importMs: number[];
  bare: BareParse[];
  /** Our parseFlightLog() of the same bytes in a fresh worker (a breakdown, not the reference). */
  ownParse: BareParse[];
  cold: { importMs: number; bare: BareParse };
}

/** The server's own account of its memory, for the RSS rows: what of the growth is DuckDB's cache, what V8's. */
function partsText(p: Awaited<ReturnType<typeof serverMemoryParts>>): string {
  return `of it DuckDB ${fmtMiB(p.duckdbMiB)} (duckdb_memory(): its block cache, bounded by memory_limit), V8 heap ${fmtMiB(p.heapTotalMiB)} + external ${fmtMiB(p.externalMiB)}`;
}

async function deleteFlight(server: ApiServer, id: number): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/flights/${id}`, { method: 'DELETE' });
  if (res.status !== 204) throw new Error(`DELETE /api/v1/flights/${id} answered ${res.status}`);
}

/**
 * One cold import (first parse worker of the process), then `runs` imports of the same file, each after deleting
 * the flight it made, interleaved with the reference parse so drift hits both alike.
 */
async function pairedImports(server: ApiServer, parser: BareParser, file: string, runs: number): Promise<PairedRuns> {
  const coldBare = await parser.parse(file);
  const first = await uploadFile(server.url, file);
  if (first.result.status !== 'imported') throw new Error(`${path.basename(file)}: ${first.result.status} ${first.result.reason ?? ''}`);
  let flightId = first.result.flightId!;
  const importMs: number[] = [];
  const bare: BareParse[] = [];
  const ownParse: BareParse[] = [];
  for (let r = 0; r < runs; r++) {
    await deleteFlight(server, flightId);
    bare.push(await parser.parse(file));
    ownParse.push(await parser.parse(file, 'flightlog'));
    const { ms, result } = await uploadFile(server.url, file);
    if (result.status !== 'imported') throw new Error(`${path.basename(file)}: ${result.status} ${result.reason ?? ''}`);
    flightId = result.flightId!;
    importMs.push(ms);
  }
  return { importMs, bare, ownParse, cold: { importMs: first.ms, bare: coldBare } };
}

function importRows(label: string, frames: number, p: PairedRuns): Row[] {
  const imp = median(p.importMs);
  const ref = median(p.bare.map((b) => b.wallMs));
  const parseOnly = median(p.bare.map((b) => b.parseMs));
  const own = median(p.ownParse.map((b) => b.wallMs));
  return [
    {
      section: S,
      figure: `${label}: import wall time (median of ${p.importMs.length})`,
      value: fmtMs(imp),
      target: '—',
      verdict: 'info',
      reference: `bare parse ${fmtMs(ref)} (fresh worker; decode only ${fmtMs(parseOnly)}), ${fmtInt(frames)} frames`,
    },
    {
      section: S,
      figure: `${label}: our parse alone / bare parse (breakdown)`,
      value: fmtRatio(own / ref),
      target: '—',
      verdict: 'info',
      reference: `parseFlightLog() in a fresh worker with the API's limits ${fmtMs(own)}: decode + columns + battery records + normalisation, no server; ${
        imp >= own ? `the server around it adds ${fmtMs(imp - own)}` : `the import took ${fmtMs(own - imp)} less (its parse worker was already running)`
      }`,
    },
    {
      section: S,
      figure: `${label}: import / bare parse`,
      value: fmtRatio(imp / ref),
      target: '≤ 1.25×',
      verdict: atMost(imp / ref, 1.25),
      reference: `bare parse ${fmtMs(ref)}; cold first import ${fmtMs(p.cold.importMs)} vs ${fmtMs(p.cold.bare.wallMs)}`,
    },
  ];
}

export async function importSection(ctx: Context, rows: Row[]): Promise<void> {
  const { profile } = ctx;
  const logsDir = path.join(ctx.tmp, 'import-logs');
  ctx.log(`writing a ${profile.longLogS} s synthetic log and ${profile.batchLogs} batch logs`);
  const long = await writeLongLog(logsDir, profile.longLogS);
  const real = largestRealLog();
  const batch = await writeLogSet(path.join(logsDir, 'batch'), profile.batchLogs, {
    minS: profile.batchMinS,
    maxS: profile.batchMaxS,
    seed: 'bench-batch',
  });

  const parser = await BareParser.start();
  const server = await ApiServer.start({ dataDir: path.join(ctx.tmp, 'import-data'), maxOldSpaceMb: profile.maxOldSpaceMb });
  try {
    // Before: started, first requests served, idle.
    await fetch(`${server.url}/api/v1/flights`).then((r) => r.arrayBuffer());
    await fetch(`${server.url}/api/v1/overview`).then((r) => r.arrayBuffer());
    await sleep(SETTLE_MS);
    const before = server.memory().rssMiB;
    const partsBefore = await serverMemoryParts(server.url);

    // The long log: the first (cold) import is also the memory subject.
    ctx.log(`importing the ${fmtInt(long.frames)}-frame log (${profile.importRuns + 1}×, paired with bare parses)`);
    server.resetPeak();
    const sampler = sampleRss(server.pid);
    const coldBare = await (async () => {
      const b = await parser.parse(long.file);
      return b;
    })();
    const first = await uploadFile(server.url, long.file);
    const { peakMiB: peak, peakAnonMiB: peakAnon } = sampler.stop();
    if (first.result.status !== 'imported') throw new Error(`long log: ${first.result.status} ${first.result.reason ?? ''}`);
    await sleep(SETTLE_MS);
    const afterOne = server.memory().rssMiB;
    const partsAfterOne = await serverMemoryParts(server.url);
    await deleteFlight(server, first.result.flightId!);
    const longRuns = await pairedImports(server, parser, long.file, profile.importRuns);
    longRuns.cold = { importMs: first.ms, bare: coldBare };
    rows.push(...importRows(`${Math.round(profile.longLogS / 60)}-min synthetic v12`, long.frames, longRuns));

    if (real) {
      ctx.log(`importing the largest real log ${real.file} (${fmtInt(real.frames ?? 0)} frames)`);
      const realRuns = await pairedImports(server, parser, real.path, profile.importRuns);
      rows.push(...importRows(`real ${real.file.replace(/\.txt$/, '')} (v${real.version})`, real.frames ?? 0, realRuns));
    } else {
      ctx.note(S, 'Real fixtures not found (../shared/fixtures or DRONELOG_FIXTURES): the real-log rows are missing.');
    }

    // Throughput: the batch as the web app sends it (one file per request, 2 at a time), then the same files parsed bare.
    ctx.log(`importing ${batch.length} logs (2 uploads at a time, as the web app does)`);
    server.resetPeak();
    const batchSampler = sampleRss(server.pid);
    const t0 = performance.now();
    let batchPeak = Number.NaN;
    let batchPeakAnon = Number.NaN;
    let results: Awaited<ReturnType<typeof uploadFile>>[];
    try {
      results = await mapLimit(batch, 2, (l) => uploadFile(server.url, l.file));
    } finally {
      ({ peakMiB: batchPeak, peakAnonMiB: batchPeakAnon } = batchSampler.stop());
    }
    const batchMs = performance.now() - t0;
    const notImported = results.filter((r) => r.result.status !== 'imported');
    if (notImported.length > 0) ctx.note(S, `${notImported.length} batch logs were not imported: ${JSON.stringify(notImported[0]!.result)}`);
    await sleep(SETTLE_MS);
    const afterBatch = server.memory().rssMiB;
    const partsAfterBatch = await serverMemoryParts(server.url);
    const bareBatch: BareParse[] = [];
    for (const l of batch) bareBatch.push(await parser.parse(l.file));
    const bareMs = sum(bareBatch.map((b) => b.wallMs));
    const frames = sum(batch.map((l) => l.frames));
    rows.push({
      section: S,
      figure: `throughput, ${batch.length} logs (${fmtInt(frames)} frames)`,
      value: `${(batch.length / (batchMs / 1000)).toFixed(1)} logs/s (${fmtMs(batchMs)})`,
      target: '—',
      verdict: 'info',
      reference: `bare parse one after another ${(batch.length / (bareMs / 1000)).toFixed(1)} logs/s (${fmtMs(bareMs)}); ratio ${fmtRatio(batchMs / bareMs)}`,
    });

    const bareLongPeak = Math.max(coldBare.peakMiB, ...longRuns.bare.map((b) => b.peakMiB));
    rows.push(
      {
        section: M,
        figure: 'API RSS before (started, idle)',
        value: fmtMiB(before),
        target: '—',
        verdict: 'info',
        reference: `--max-old-space-size=${profile.maxOldSpaceMb}; ${partsText(partsBefore)}`,
      },
      {
        section: M,
        figure: `API peak RSS importing the ${Math.round(profile.longLogS / 60)}-min log`,
        value: fmtMiB(peak),
        target: '≤ 400 MiB',
        verdict: atMost(peak, 400),
        reference: `anonymous memory peak ${fmtMiB(peakAnon)} (the rest: file pages the kernel can drop); bare parse process peak ${fmtMiB(bareLongPeak)}`,
      },
      {
        section: M,
        figure: 'API RSS after that import',
        value: `${fmtMiB(afterOne)} (${fmtRatio(afterOne / before)})`,
        target: '≤ 1.2× before',
        verdict: atMost(afterOne / before, 1.2),
        reference: `before ${fmtMiB(before)}; ${partsText(partsAfterOne)}`,
      },
      {
        section: M,
        figure: `API peak RSS during the ${batch.length}-log batch`,
        value: fmtMiB(batchPeak),
        target: '≤ 400 MiB',
        verdict: atMost(batchPeak, 400),
        reference: `anonymous memory peak ${fmtMiB(batchPeakAnon)}; bare parse process peak ${fmtMiB(Math.max(...bareBatch.map((b) => b.peakMiB)))}`,
      },
      {
        section: M,
        figure: `API RSS after ${batch.length} more logs`,
        value: `${fmtMiB(afterBatch)} (${fmtRatio(afterBatch / before)})`,
        target: '≤ 1.2× before',
        verdict: atMost(afterBatch / before, 1.2),
        reference: `before ${fmtMiB(before)}; ${partsText(partsAfterBatch)}`,
      },
    );
    if (shedCounter.count > 0) {
      ctx.note(S, `the server shed load (503 overloaded) ${shedCounter.count} time(s); those uploads were retried after Retry-After (≤ 10 s) and the wait is in their time, as for the web app.`);
    }
    rows.push({
      section: M,
      figure: 'uploads answered 503 (load shedding) and retried',
      value: String(shedCounter.count),
      target: '0',
      verdict: shedCounter.count === 0 ? 'pass' : 'miss',
      reference: 'LOAD_SHED_* defaults: event-loop delay 1 s, heap 90 % of the limit',
    });
    const health = await fetch(`${server.url}/healthz`).then((r) => r.status).catch(() => 0);
    const imports = 1 + longRuns.importMs.length + (real ? profile.importRuns + 1 : 0) + batch.length;
    rows.push({
      section: M,
      figure: `survives ${imports} imports under --max-old-space-size=${profile.maxOldSpaceMb}`,
      value: server.alive && health === 200 ? 'yes' : `no (exit ${server.exitCode ?? server.exitSignal})`,
      target: 'alive, /healthz 200',
      verdict: server.alive && health === 200 && notImported.length === 0 ? 'pass' : 'fail',
      reference: 'container limit 512 MiB',
    });
  } finally {
    await server.stop();
    await parser.close();
  }
}
