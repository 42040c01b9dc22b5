/**
 * 3. Queries over HTTP on a logbook of 10 000 flights / ≥ 30 M telemetry rows (bench/lib/query-db.ts): the requests
 * the web app makes for the list, the filtered totals, the overview dashboard, a 60-minute flight's charts and its map
 * track. p50/p95 over `queryRuns` requests after `queryWarmup`, next to GET /healthz (the HTTP floor) in the same run.
 * The same server then serves the web benchmark (its 60-minute flight is the chart-paint subject).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../lib/context.js';
import { getJson } from '../lib/http.js';
import { paths } from '../lib/paths.js';
import { queryDatabase, type QueryDb } from '../lib/query-db.js';
import { atMost, type Row } from '../lib/report.js';
import { ApiServer } from '../lib/server.js';
import { fmtInt, fmtMs, percentile } from '../lib/stats.js';

const S = 'queries';

/** The fields the web app's flight page asks for (apps/web/src/lib/charts/panels.ts chartFields()). */
export const WEB_CHART_FIELDS = [
  'heightM', 'vpsHeightM', 'altitudeM', 'horizontalSpeedMps', 'verticalSpeedMps', 'batteryPercent', 'batteryVoltageV',
  'batteryTemperatureC', 'pitchDeg', 'rollDeg', 'yawDeg', 'gimbalPitchDeg', 'gimbalRollDeg', 'gimbalYawDeg', 'satellites',
  'gpsLevel', 'rcUplinkPercent', 'rcDownlinkPercent', 'distanceFromHomeM', 'cellVoltages',
];

export interface QueryServer {
  server: ApiServer;
  db: QueryDb;
}

interface Endpoint {
  figure: string;
  url: string;
  target: number | null;
  /** Checks the answer is what the figure claims (e.g. 2 000 points), so a broken endpoint never looks fast. */
  check(body: unknown): string | null;
}

function endpoints(db: QueryDb): Endpoint[] {
  const id = db.longFlightId;
  const f = db.filter;
  return [
    {
      figure: 'flight list, first page (50, newest first, with totals)',
      url: '/api/v1/flights?limit=50',
      target: 30,
      check: (b) => ((b as { items?: unknown[] }).items?.length === 50 ? null : 'not 50 items'),
    },
    {
      figure: `filtered list + totals (aircraft, ${f.from} – ${f.to}, tag)`,
      url: `/api/v1/flights?limit=50&aircraft=${f.aircraft}&from=${f.from}&to=${f.to}&tag=video`,
      target: 30,
      check: (b) => (((b as { totals?: { flights?: number } }).totals?.flights ?? 0) > 0 ? null : 'no flight matched'),
    },
    {
      figure: 'overview dashboard (whole logbook)',
      url: '/api/v1/overview',
      target: 150,
      check: (b) => ((b as { totals?: { flights?: number } }).totals?.flights === db.flights ? null : 'wrong flight count'),
    },
    {
      figure: `chart data, 60-min flight, ${WEB_CHART_FIELDS.length} series × 2 000 points`,
      url: `/api/v1/flights/${id}/telemetry?points=2000&fields=${WEB_CHART_FIELDS.join(',')}`,
      target: 25,
      check: (b) => {
        const n = (b as { points?: number }).points ?? 0;
        return n > 1500 && n <= 2000 ? null : `${n} points`;
      },
    },
    {
      figure: 'chart data, 60-min flight, 5 default series × 2 000 points',
      url: `/api/v1/flights/${id}/telemetry?points=2000`,
      target: 25,
      check: (b) => ((b as { points?: number }).points ? null : 'no points'),
    },
    {
      figure: 'map track, 60-min flight (3 000 points, as the web app asks)',
      url: `/api/v1/flights/${id}/track?points=3000`,
      target: null,
      check: (b) => ((b as { points?: number }).points ? null : 'no points'),
    },
    {
      figure: 'flight detail, 60-min flight',
      url: `/api/v1/flights/${id}`,
      target: null,
      check: (b) => ((b as { id?: number }).id === id ? null : 'wrong flight'),
    },
  ];
}

async function timeRuns(url: string, warmup: number, runs: number): Promise<{ ms: number[]; body: unknown; status: number }> {
  let last = { status: 0, body: undefined as unknown };
  for (let i = 0; i < warmup; i++) last = await getJson(url);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await getJson(url);
    ms.push(r.ms);
    last = r;
  }
  return { status: last.status, body: last.body, ms };
}

/** Builds (or takes from the cache) the database, copies it to a fresh DATA_DIR and starts the API with the web app. */
export async function startQueryServer(ctx: Context): Promise<QueryServer> {
  const db = await queryDatabase(ctx.profile.queryFlights, ctx.tmp, ctx.profile.maxOldSpaceMb, ctx.log);
  const dataDir = path.join(ctx.tmp, 'query-data');
  await fsp.mkdir(dataDir, { recursive: true });
  await fsp.copyFile(db.file, path.join(dataDir, 'dronelog.duckdb'));
  const server = await ApiServer.start({ dataDir, maxOldSpaceMb: ctx.profile.maxOldSpaceMb, webDir: paths.webBuild, startTimeoutMs: 300_000 });
  return { server, db };
}

export async function queriesSection(ctx: Context, qs: QueryServer, rows: Row[]): Promise<void> {
  const { server, db } = qs;
  const { queryWarmup: warmup, queryRuns: runs } = ctx.profile;
  rows.push(
    {
      section: S,
      figure: 'query database',
      value: `${fmtInt(db.flights)} flights, ${fmtInt(db.telemetryRows)} telemetry rows`,
      target: '—',
      verdict: 'info',
      reference: db.cached ? `cached (built in ${fmtMs(db.buildMs ?? NaN)} earlier)` : `built in ${fmtMs(db.buildMs ?? NaN)} by INSERT … SELECT`,
    },
  );
  const floor = await timeRuns(`${server.url}/healthz`, warmup, runs);
  const floorText = `GET /healthz p50 ${fmtMs(percentile(floor.ms, 50))}`;
  for (const e of endpoints(db)) {
    ctx.log(`timing ${e.url}`);
    const r = await timeRuns(`${server.url}${e.url}`, warmup, runs);
    const problem = r.status !== 200 ? `HTTP ${r.status}` : e.check(r.body);
    const p50 = percentile(r.ms, 50);
    const p95 = percentile(r.ms, 95);
    const bytes = JSON.stringify(r.body).length;
    rows.push({
      section: S,
      figure: e.figure,
      value: problem ? `broken: ${problem}` : `p50 ${fmtMs(p50)}, p95 ${fmtMs(p95)}`,
      target: e.target === null ? '—' : `p50 ≤ ${e.target} ms`,
      verdict: problem ? 'fail' : e.target === null ? 'info' : atMost(p50, e.target),
      reference: `${floorText}; ${runs} runs; ${(bytes / 1024).toFixed(0)} KB JSON`,
    });
  }
  ctx.note(S, `p50/p95 over ${runs} sequential requests after ${warmup} warm-up requests each, keep-alive, measured from the benchmark process (request → last byte parsed).`);
}
