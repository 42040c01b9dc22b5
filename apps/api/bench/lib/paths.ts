import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repo = path.resolve(apiDir, '../..');

/** Where things are, resolved from this file (works from any cwd). */
export const paths = {
  repo,
  apiDir,
  serverJs: path.join(apiDir, 'dist/server.js'),
  migrationsJs: path.join(apiDir, 'dist/db/migrations.js'),
  webDir: path.join(repo, 'apps/web'),
  webBuild: path.join(repo, 'apps/web/build'),
  docs: path.join(repo, 'docs/benchmarks.md'),
  refRunner: path.join(apiDir, 'bench/ref/bare-parse-runner.mjs'),
  /** Generated query databases, keyed by schema; BENCH_CACHE_DIR overrides. */
  cacheDir: process.env.BENCH_CACHE_DIR ? path.resolve(process.env.BENCH_CACHE_DIR) : path.join(os.tmpdir(), 'dronelog-bench-cache'),
};
