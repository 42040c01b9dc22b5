import fs from 'node:fs/promises';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MetricsRepository } from '../repositories/metrics.repository.js';
import { APP_VERSION } from '../version.js';

/** Statuses and sources pre-set to 0, so rate() works from the first import on. */
const IMPORT_STATUSES = ['imported', 'duplicate', 'awaiting-key', 'failed'] as const;
const IMPORT_SOURCES = ['upload', 'sync'] as const;
/** A parse is a worker start (~50 ms) up to the 60 s timeout; long flights take a few seconds. */
const PARSE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface Metrics {
  registry: Registry;
}

/**
 * Prometheus metrics on a Registry of this app (not prom-client's global one: tests boot several apps in one
 * process). Event metrics (imports, parse durations, HTTP requests) are counted as they happen; counters other
 * services keep (keychain cache, parse workers, sync runs, backups) and gauges (flights, DuckDB file size) are
 * read at scrape time by collect() callbacks. Registered before the routes so its hook sees every request.
 * GET /metrics itself is routes/metrics.
 */
export default fp(
  async (fastify) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const registers = [registry];
    const repo = new MetricsRepository(fastify.db);
    const log = fastify.log.child({ component: 'metrics' });

    new Gauge({ name: 'dronelog_build_info', help: 'Version of this Dronelog server (value always 1).', labelNames: ['version'], registers }).set(
      { version: APP_VERSION },
      1,
    );

    // --- events -------------------------------------------------------------------------------------------------
    const imports = new Counter({
      name: 'dronelog_imports_total',
      help: 'Files that finished importing, by outcome and by where they came from (upload, sync).',
      labelNames: ['status', 'source'] as const,
      registers,
    });
    for (const status of IMPORT_STATUSES) for (const source of IMPORT_SOURCES) imports.inc({ status, source }, 0);
    const parses = new Histogram({
      name: 'dronelog_parse_duration_seconds',
      help: 'Wall time of one log parse in a worker (queue wait and keychain look-ups included), by outcome (ok, error).',
      labelNames: ['outcome'] as const,
      buckets: PARSE_BUCKETS,
      registers,
    });
    const http = new Histogram({
      name: 'dronelog_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    });
    fastify.addHook('onResponse', async (request, reply) => {
      http.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    fastify.addHook('onReady', async () => {
      if (!fastify.hasDecorator('profileRegistry')) return;
      fastify.profileRegistry.observeImports({
        settled: (e) => imports.inc({ status: e.status, source: e.source }),
        parsed: (e) => parses.observe({ outcome: e.ok ? 'ok' : 'error' }, e.seconds),
      });
    });

    // --- counters kept elsewhere, read at scrape time ---------------------------------------------------------------
    // Every profile has its own services; counters are summed over them (parse workers are shared).
    const profiles = () => (fastify.hasDecorator('profileRegistry') ? fastify.profileRegistry.all().map((p) => p.services) : []);
    const importStats = () => {
      const all = profiles().map((p) => p.flightImport.stats);
      if (all.length === 0) return null;
      const sum = (k: 'hits' | 'misses' | 'fetches' | 'fetchFailures') => all.reduce((n, s) => n + s.keychains[k], 0);
      return { parser: all[0]!.parser, keychains: { hits: sum('hits'), misses: sum('misses'), fetches: sum('fetches'), fetchFailures: sum('fetchFailures') } };
    };
    const mirror = (name: string, help: string, read: () => number | undefined) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          const v = read();
          this.reset();
          if (v !== undefined) this.inc(v);
        },
      });
    mirror('dronelog_keychain_cache_hits_total', 'Keychain requests answered from the DuckDB cache.', () => importStats()?.keychains.hits);
    mirror('dronelog_keychain_cache_misses_total', 'Keychain requests not in the cache (fetched from DJI, or failed).', () => importStats()?.keychains.misses);
    mirror('dronelog_keychain_fetches_total', 'Keychain requests sent to DJI.', () => importStats()?.keychains.fetches);
    mirror('dronelog_keychain_fetch_errors_total', 'Keychain requests to DJI that failed (no key, rejected, unreachable, timeout).', () => importStats()?.keychains.fetchFailures);

    new Counter({
      name: 'dronelog_parse_workers_total',
      help: 'Parse worker threads by result: started, succeeded, failed (any error), timed_out, crashed.',
      labelNames: ['result'] as const,
      registers,
      collect() {
        const p = importStats()?.parser;
        this.reset();
        if (!p) return;
        for (const [result, v] of [['started', p.started], ['succeeded', p.succeeded], ['failed', p.failed], ['timed_out', p.timedOut], ['crashed', p.crashed]] as const) {
          this.inc({ result }, v);
        }
      },
    });

    new Counter({
      name: 'dronelog_sync_runs_total',
      help: 'Sync folder runs by status ("started" while the sync service only counts runs in total).',
      labelNames: ['status'] as const,
      registers,
      collect() {
        this.reset();
        for (const p of profiles()) for (const [status, v] of Object.entries(syncRuns(p.syncFolder))) this.inc({ status }, v);
      },
    });

    new Counter({
      name: 'dronelog_backups_total',
      help: 'Backups streamed (ok) or cut short / failed.',
      labelNames: ['status'] as const,
      registers,
      collect() {
        this.reset();
        for (const p of profiles()) {
          const b = p.backups.stats.backups;
          this.inc({ status: 'ok' }, b.ok);
          this.inc({ status: 'failed' }, b.failed);
        }
      },
    });
    new Counter({
      name: 'dronelog_restores_total',
      help: 'Restores by mode (replace, merge) and status (ok, failed: nothing changed).',
      labelNames: ['mode', 'status'] as const,
      registers,
      collect() {
        this.reset();
        for (const p of profiles()) {
          for (const mode of ['replace', 'merge'] as const) {
            const r = p.backups.stats.restores[mode];
            this.inc({ mode, status: 'ok' }, r.ok);
            this.inc({ mode, status: 'failed' }, r.failed);
          }
        }
      },
    });

    // --- gauges read at scrape time ----------------------------------------------------------------------------------
    const dbFile = fastify.config.databaseFile;
    new Gauge({
      name: 'dronelog_duckdb_file_bytes',
      help: 'Size of the DuckDB database file and of its write-ahead log.',
      labelNames: ['file'] as const,
      registers,
      async collect() {
        for (const [file, p] of [['database', dbFile], ['wal', `${dbFile}.wal`]] as const) {
          this.set({ file }, await fs.stat(p).then((s) => s.size, () => 0));
        }
      },
    });
    new Gauge({
      name: 'dronelog_flights',
      help: 'Flights in the logbook.',
      registers,
      async collect() {
        try {
          this.set(await repo.countFlights());
        } catch (err) {
          // A closing database must not fail the whole scrape; the series just has no fresh value.
          log.warn({ err }, 'could not count flights');
        }
      },
    });

    new Gauge({
      name: 'dronelog_duckdb_memory_bytes',
      help: "DuckDB's memory by tag (duckdb_memory()): its buffer pool and indexes, bounded by DUCKDB_MEMORY_LIMIT_MB.",
      labelNames: ['tag'] as const,
      registers,
      async collect() {
        this.reset();
        try {
          for (const { tag, bytes } of await repo.duckdbMemory()) this.set({ tag }, bytes);
        } catch (err) {
          log.warn({ err }, 'could not read DuckDB memory');
        }
      },
    });

    fastify.decorate('metrics', { registry } satisfies Metrics);
  },
  { name: 'metrics', dependencies: ['database'] },
);

/** Sync runs from the sync service's own counters, when it has them (`runsByStatus`, else the `runs` total). */
function syncRuns(syncFolder: { stats?: unknown }): Record<string, number> {
  const stats = syncFolder.stats as
    | { runsByStatus?: Record<string, unknown>; runs?: unknown }
    | undefined;
  if (!stats) return {};
  if (stats.runsByStatus && typeof stats.runsByStatus === 'object') {
    return Object.fromEntries(Object.entries(stats.runsByStatus).filter((e): e is [string, number] => typeof e[1] === 'number'));
  }
  return typeof stats.runs === 'number' ? { started: stats.runs } : {};
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}
