/**
 * `pnpm bench` — measures import, memory, queries, sync and the web app against the real API process, each figure
 * next to its reference measured in the same run; prints a table and writes docs/benchmarks.md.
 *
 *   pnpm bench                       full run (≈ 10–15 min on 2 cores; the query database is cached)
 *   pnpm bench --quick               smoke run (≤ 2 min; also BENCH_PROFILE=smoke); writes to a temp file
 *   pnpm bench --only=import,sync    some sections (import, queries, sync, web)
 *   pnpm bench --out=FILE            where to write the results block (default docs/benchmarks.md, smoke: temp)
 *   pnpm bench --keep                keep the scratch folder
 *   pnpm bench --quick --strict      exit 1 when a section broke (an error, a dead server, a log not imported);
 *                                    missed targets never fail it. CI runs this after the tests.
 *
 * Needs `pnpm build` (the built server and web app are measured, as production runs them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROFILES, type Context, type Profile } from './lib/context.js';
import { paths } from './lib/paths.js';
import { consoleTable, machine, markdownTable, writeResults, type Row } from './lib/report.js';
import { fmtMs } from './lib/stats.js';
import { importSection } from './sections/import.js';
import { queriesSection, startQueryServer, type QueryServer } from './sections/queries.js';
import { syncSection } from './sections/sync.js';
import { webSection } from './sections/web.js';

const SECTIONS = ['import', 'queries', 'sync', 'web'] as const;
type Section = (typeof SECTIONS)[number];

function args(argv: string[]) {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const quick = flag('quick') || process.env.BENCH_PROFILE === 'smoke';
  const only = value('only')?.split(',').map((s) => s.trim()) ?? [...SECTIONS];
  for (const s of only) if (!SECTIONS.includes(s as Section)) throw new Error(`--only: unknown section "${s}" (${SECTIONS.join(', ')})`);
  return { profile: PROFILES[quick ? 'smoke' : 'full'], only: only as Section[], out: value('out'), keep: flag('keep'), strict: flag('strict') };
}

/** Exit code of the run: 1 under --strict when a row failed (never for a missed target). */
async function main(): Promise<number> {
  const opts = args(process.argv.slice(2));
  const profile: Profile = opts.profile;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dronelog-bench-'));
  const started = performance.now();
  const loadBefore = os.loadavg()[0]!;
  const notes = new Map<string, string[]>();
  const ctx: Context = {
    profile,
    tmp,
    log: (m) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}`),
    note: (section, text) => notes.set(section, [...(notes.get(section) ?? []), text]),
  };
  ctx.log(`profile ${profile.name}, sections ${opts.only.join(', ')}, scratch ${tmp}`);
  const rows: Row[] = [];
  const run = async (name: Section, fn: (c: Context, out: Row[]) => Promise<void>) => {
    if (!opts.only.includes(name)) return;
    const t = performance.now();
    try {
      await fn(ctx, rows);
    } catch (err) {
      ctx.log(`${name} FAILED: ${(err as Error).stack ?? err}`);
      rows.push({ section: name, figure: 'section', value: 'error', target: '—', verdict: 'fail', reference: String((err as Error).message).slice(0, 200) });
    }
    ctx.log(`${name} took ${fmtMs(performance.now() - t)}`);
  };
  const shared: { qs: QueryServer | null } = { qs: null };
  try {
    await run('import', importSection);
    // Queries and the chart-paint part of web share one server on the 10 000-flight database.
    if (opts.only.includes('queries') || opts.only.includes('web')) {
      try {
        shared.qs = await startQueryServer(ctx);
      } catch (err) {
        ctx.log(`query server FAILED: ${(err as Error).stack ?? err}`);
        rows.push({ section: 'queries', figure: 'query server', value: 'error', target: '—', verdict: 'fail', reference: String((err as Error).message).slice(0, 200) });
      }
    }
    const qs = shared.qs;
    if (qs) await run('queries', (c, out) => queriesSection(c, qs, out));
    await run('web', (c, out) => webSection(c, qs, out));
    await qs?.server.stop();
    shared.qs = null;
    await run('sync', syncSection);
  } finally {
    await shared.qs?.server.stop();
    if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
  const totalMs = performance.now() - started;
  console.log(`\n${consoleTable(rows)}\n`);
  const misses = rows.filter((r) => r.verdict === 'miss' || r.verdict === 'fail');
  console.log(misses.length ? `${misses.length} target(s) missed or failed.` : 'Every target met.');

  const m = machine();
  const block = [
    `## Results (${profile.name} profile)`,
    '',
    `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; whole run ${fmtMs(totalMs)}; sections: ${opts.only.join(', ')}`,
    `- Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}`,
    `- Load average (1 min) at start / end: ${loadBefore.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)} — other work on the machine inflates every figure; the ratios to same-run references much less`,
    `- API: \`node apps/api/dist/server.js\` with \`NODE_OPTIONS=--max-old-space-size=${profile.maxOldSpaceMb}\`, PARSE_CONCURRENCY=1, DuckDB memory_limit 256 MB (app default, DUCKDB_MEMORY_LIMIT_MB)`,
    '',
    markdownTable(rows),
    '',
    ...[...notes].flatMap(([section, lines]) => lines.map((l) => `- ${section}: ${l}`)),
  ].join('\n');
  const out = opts.out ? path.resolve(opts.out) : profile.name === 'full' ? paths.docs : path.join(os.tmpdir(), 'dronelog-bench-smoke.md');
  writeResults(out, block);
  console.log(`Results written to ${out}`);
  const failed = rows.filter((r) => r.verdict === 'fail');
  if (opts.strict && failed.length > 0) {
    console.error(`--strict: ${failed.length} row(s) failed: ${failed.map((r) => `${r.section} / ${r.figure}: ${r.value}`).join('; ')}`);
    return 1;
  }
  return 0;
}

main().then(
  // Every server and helper process was stopped by its section; exit even if a stray handle is left.
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
