/** Benchmark profiles (full / smoke) and what every section gets. */
export interface Profile {
  name: 'full' | 'smoke';
  /** Heap limit of every API process (NODE_OPTIONS=--max-old-space-size): fits a 512 MiB container with DuckDB's 256 MB. */
  maxOldSpaceMb: number;
  /** The long import subject, seconds of flight at 10 Hz (2000 s ≈ 33 min ≈ 20 000 frames). */
  longLogS: number;
  /** Timed imports of the long log and of the real log (after one cold import), each paired with a bare parse. */
  importRuns: number;
  /** Logs of the throughput batch, and their length range in seconds. */
  batchLogs: number;
  batchMinS: number;
  batchMaxS: number;
  /** Flights of the query database (telemetry ≈ 3 300 rows per flight on average, plus one 60-minute flight). */
  queryFlights: number;
  queryWarmup: number;
  queryRuns: number;
  /** Files already imported for the no-op sync, and new files for the first sync. */
  syncKnown: number;
  syncNew: number;
  syncNoopRuns: number;
  /** Cold navigations to a flight page in chromium. */
  webRuns: number;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  full: {
    name: 'full',
    maxOldSpaceMb: 256,
    longLogS: 2000,
    importRuns: 5,
    batchLogs: 100,
    batchMinS: 120,
    batchMaxS: 900,
    queryFlights: 10_000,
    queryWarmup: 5,
    queryRuns: 40,
    syncKnown: 1000,
    syncNew: 200,
    syncNoopRuns: 10,
    webRuns: 5,
  },
  smoke: {
    name: 'smoke',
    maxOldSpaceMb: 256,
    longLogS: 2000,
    importRuns: 1,
    batchLogs: 6,
    batchMinS: 120,
    batchMaxS: 600,
    queryFlights: 300,
    queryWarmup: 2,
    queryRuns: 8,
    syncKnown: 40,
    syncNew: 6,
    syncNoopRuns: 3,
    webRuns: 1,
  },
};

export interface Context {
  profile: Profile;
  /** Scratch folder of this run (removed at the end unless --keep). */
  tmp: string;
  log(message: string): void;
  /** Lines for docs/benchmarks.md under the table (how a figure was taken, warnings). */
  note(section: string, text: string): void;
}
