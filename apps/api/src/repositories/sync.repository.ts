import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../db/database.js';

export type SyncRunStatus = 'running' | 'completed' | 'failed' | 'interrupted';
export type SyncTrigger = 'schedule' | 'manual' | 'startup';
export type SyncFileStatus = 'imported' | 'duplicate' | 'awaiting-key' | 'failed' | 'ignored';

export interface SyncCounts {
  seen: number;
  unchanged: number;
  new: number;
  waiting: number;
  imported: number;
  duplicate: number;
  awaitingKey: number;
  failed: number;
  ignored: number;
}

export interface SyncRunRow {
  id: number;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  startedAt: string;
  finishedAt: string | null;
  counts: SyncCounts;
  error: string | null;
}

/** A sync file as shown: status, reason and flight follow the linked ledger entry (a retry there updates it). */
export interface SyncFileRow {
  id: number;
  relPath: string;
  size: number;
  mtimeNs: bigint;
  sha256: string | null;
  status: SyncFileStatus;
  reason: string | null;
  reasonCode: string | null;
  importId: number | null;
  flightId: number | null;
  /** As recorded by the sync (the ledger's `retryable` when the file was handled). */
  retryable: boolean;
  attempts: number;
  runId: number | null;
  firstSeenAt: string;
  updatedAt: string;
}

export interface SyncFileOutcome {
  relPath: string;
  size: number;
  mtimeNs: bigint;
  sha256: string | null;
  status: SyncFileStatus;
  reasonCode: string | null;
  reason: string | null;
  importId: number | null;
  flightId: number | null;
  retryable: boolean;
  runId: number | null;
}

export interface SyncIgnoreRow {
  id: number;
  sha256: string;
  relPath: string | null;
  flightId: number | null;
  reason: string;
  createdAt: string;
}

/** Files with a retryable failure are looked at again by this many runs (same path, size and mtime), then left alone. */
export const MAX_AUTO_ATTEMPTS = 3;

/** Key of a file version in the "seen" set: relative path, size and mtime (ns). */
export function seenKey(relPath: string, size: number | bigint, mtimeNs: bigint): string {
  return `${relPath}\u0000${size}\u0000${mtimeNs}`;
}

const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const big = (n: number | null): bigint | null => (n === null ? null : BigInt(n));

const RUN_COLUMNS = `id, trigger, status, epoch_ms(started_at) AS started_ms, epoch_ms(finished_at) AS finished_ms,
  files_seen, files_unchanged, files_new, files_waiting, files_imported, files_duplicate, files_awaiting_key, files_failed,
  files_ignored, error`;

function toRun(r: Record<string, unknown>): SyncRunRow {
  return {
    id: Number(r.id),
    trigger: String(r.trigger) as SyncTrigger,
    status: String(r.status) as SyncRunStatus,
    startedAt: iso(r.started_ms),
    finishedAt: r.finished_ms === null || r.finished_ms === undefined ? null : iso(r.finished_ms),
    counts: {
      seen: Number(r.files_seen),
      unchanged: Number(r.files_unchanged),
      new: Number(r.files_new),
      waiting: Number(r.files_waiting),
      imported: Number(r.files_imported),
      duplicate: Number(r.files_duplicate),
      awaitingKey: Number(r.files_awaiting_key),
      failed: Number(r.files_failed),
      ignored: Number(r.files_ignored),
    },
    error: (r.error as string | null) ?? null,
  };
}

/**
 * sync_files joined with the import ledger: once a file went through the importer, the ledger entry is the truth
 * for its status (e.g. an awaiting-key file retried with POST /api/v1/imports/retry shows up as imported here).
 */
const FILE_VIEW = `
  SELECT f.id, f.rel_path, f.file_size, f.mtime_ns, f.sha256, f.import_id, f.retryable, f.attempts, f.run_id,
    epoch_ms(f.first_seen_at) AS first_seen_ms, epoch_ms(f.updated_at) AS updated_ms,
    (f.status <> 'ignored' AND i.status IS NOT NULL AND i.status <> 'pending') AS from_ledger,
    CASE WHEN from_ledger THEN i.status ELSE f.status END AS status,
    CASE WHEN from_ledger THEN i.reason ELSE f.reason END AS reason,
    CASE WHEN from_ledger THEN i.reason_code ELSE f.reason_code END AS reason_code,
    CASE WHEN from_ledger THEN i.flight_id ELSE f.flight_id END AS flight_id
  FROM sync_files f LEFT JOIN imports i ON i.id = f.import_id`;

function toFile(r: Record<string, unknown>): SyncFileRow {
  return {
    id: Number(r.id),
    relPath: String(r.rel_path),
    size: Number(r.file_size),
    mtimeNs: BigInt(r.mtime_ns as bigint),
    sha256: (r.sha256 as string | null) ?? null,
    status: String(r.status) as SyncFileStatus,
    reason: (r.reason as string | null) ?? null,
    reasonCode: (r.reason_code as string | null) ?? null,
    importId: num(r.import_id),
    flightId: num(r.flight_id),
    retryable: r.retryable === true,
    attempts: Number(r.attempts),
    runId: num(r.run_id),
    firstSeenAt: iso(r.first_seen_ms),
    updatedAt: iso(r.updated_ms),
  };
}

function toIgnore(r: Record<string, unknown>): SyncIgnoreRow {
  return {
    id: Number(r.id),
    sha256: String(r.sha256),
    relPath: (r.rel_path as string | null) ?? null,
    flightId: num(r.flight_id),
    reason: String(r.reason),
    createdAt: iso(r.created_ms),
  };
}

/** sync_runs, sync_files and sync_ignore. Every write is one short transaction on the serialized writer. */
export class SyncRepository {
  constructor(private readonly db: Database) {}

  // --- runs ------------------------------------------------------------------------------------------------

  async createRun(trigger: SyncTrigger): Promise<SyncRunRow> {
    return this.db.transaction(async (conn) => {
      const r = await conn.runAndReadAll(`INSERT INTO sync_runs (trigger, status) VALUES ($1, 'running') RETURNING ${RUN_COLUMNS}`, [trigger]);
      return toRun(r.getRowObjectsJS()[0]!);
    });
  }

  async updateRunCounts(id: number, c: SyncCounts): Promise<void> {
    await this.db.transaction((conn) => conn.run(`UPDATE sync_runs SET ${COUNT_SET} WHERE id = $1`, [BigInt(id), ...countParams(c)]));
  }

  async finishRun(id: number, status: Exclude<SyncRunStatus, 'running'>, c: SyncCounts, error: string | null): Promise<SyncRunRow> {
    return this.db.transaction(async (conn) => {
      const r = await conn.runAndReadAll(
        `UPDATE sync_runs SET ${COUNT_SET}, status = $11, error = $12, finished_at = now() WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
        [BigInt(id), ...countParams(c), status, error],
      );
      return toRun(r.getRowObjectsJS()[0]!);
    });
  }

  /** Runs a previous process left 'running' (it stopped or crashed mid-run). Returns how many were marked. */
  async interruptRunning(error: string): Promise<number> {
    return this.db.transaction(async (conn) => {
      const r = await conn.runAndReadAll(
        `UPDATE sync_runs SET status = 'interrupted', error = $1, finished_at = now() WHERE status = 'running' RETURNING id`,
        [error],
      );
      return r.getRowObjectsJS().length;
    });
  }

  /** Finished runs, newest first. */
  async lastRuns(limit: number): Promise<SyncRunRow[]> {
    const r = await this.db.reader.runAndReadAll(
      `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE status <> 'running' ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return r.getRowObjectsJS().map(toRun);
  }

  // --- files -----------------------------------------------------------------------------------------------

  /**
   * Every (path, size, mtime) the sync is done with, in one query: a run loads this once and checks each walked
   * file against the Set, so unchanged files cost no query and no read. Files whose last attempt failed in a
   * retryable way are left out (looked at again) until they reached MAX_AUTO_ATTEMPTS.
   */
  async seenKeys(): Promise<Set<string>> {
    const r = await this.db.reader.runAndReadAll(
      `SELECT rel_path, file_size, mtime_ns FROM sync_files
       WHERE NOT (status = 'failed' AND retryable AND attempts < ${MAX_AUTO_ATTEMPTS})`,
    );
    const [paths = [], sizes = [], mtimes = []] = r.getColumnsJS();
    const keys = new Set<string>();
    for (let i = 0; i < paths.length; i++) keys.add(seenKey(String(paths[i]), sizes[i] as bigint, mtimes[i] as bigint));
    return keys;
  }

  /**
   * Records the outcome for a path (one row per path). Handling the same (size, mtime) again counts one more
   * attempt; a changed file starts again at 1.
   */
  async recordFile(o: SyncFileOutcome): Promise<number> {
    return this.db.transaction(async (conn) => {
      const r = await conn.runAndReadAll(
        `INSERT INTO sync_files (rel_path, file_size, mtime_ns, sha256, status, reason_code, reason, import_id, flight_id, retryable, attempts, run_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11)
         ON CONFLICT (rel_path) DO UPDATE SET
           attempts = CASE WHEN sync_files.file_size = excluded.file_size AND sync_files.mtime_ns = excluded.mtime_ns
                           THEN sync_files.attempts + 1 ELSE 1 END,
           file_size = excluded.file_size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, status = excluded.status,
           reason_code = excluded.reason_code, reason = excluded.reason, import_id = excluded.import_id,
           flight_id = excluded.flight_id, retryable = excluded.retryable,
           run_id = coalesce(excluded.run_id, sync_files.run_id), updated_at = now()
         RETURNING id`,
        [
          o.relPath,
          BigInt(o.size),
          o.mtimeNs,
          o.sha256,
          o.status,
          o.reasonCode,
          o.reason,
          big(o.importId),
          big(o.flightId),
          o.retryable,
          big(o.runId),
        ],
      );
      return Number(r.getRowObjectsJS()[0]!.id);
    });
  }

  async getFile(id: number): Promise<SyncFileRow | null> {
    const r = await this.db.reader.runAndReadAll(`SELECT * FROM (${FILE_VIEW}) WHERE id = $1`, [BigInt(id)]);
    const row = r.getRowObjectsJS()[0];
    return row ? toFile(row) : null;
  }

  /** Most recently handled first. */
  async listFiles(q: { status?: SyncFileStatus; limit: number; offset: number }): Promise<{ items: SyncFileRow[]; total: number }> {
    const params: DuckDBValue[] = [];
    let where = '';
    if (q.status) {
      params.push(q.status);
      where = 'WHERE status = $1';
    }
    const total = await this.db.reader.runAndReadAll(`SELECT count(*) AS n FROM (${FILE_VIEW}) ${where}`, params);
    const page = await this.db.reader.runAndReadAll(
      `SELECT * FROM (${FILE_VIEW}) ${where} ORDER BY updated_ms DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.limit, q.offset],
    );
    return { items: page.getRowObjectsJS().map(toFile), total: Number(total.getRowObjectsJS()[0]!.n) };
  }

  // --- ignore list -----------------------------------------------------------------------------------------

  /**
   * Puts on the ignore list every file the sync brought in (imported, or a duplicate of a flight) whose flight is
   * no longer in the logbook, i.e. was deleted, unless another flight with the same bytes exists again. Those
   * sync_files rows become 'ignored'. `flightId` limits it to one deleted flight. Returns the entries added.
   */
  async ignoreDeletedFlights(flightId?: number): Promise<number> {
    return this.db.transaction(async (conn) => {
      const params: DuckDBValue[] = flightId === undefined ? [] : [BigInt(flightId)];
      const gone = await conn.runAndReadAll(
        `SELECT v.id, v.sha256, v.rel_path, v.flight_id FROM (${FILE_VIEW}) v
         WHERE v.status IN ('imported', 'duplicate') AND v.flight_id IS NOT NULL AND v.sha256 IS NOT NULL
           ${flightId === undefined ? '' : 'AND v.flight_id = $1'}
           AND NOT EXISTS (SELECT 1 FROM flights fl WHERE fl.id = v.flight_id)
           AND NOT EXISTS (SELECT 1 FROM flights fl WHERE fl.file_hash = v.sha256)
         ORDER BY v.id`,
        params,
      );
      const rows = gone.getRowObjectsJS();
      let added = 0;
      for (const row of rows) {
        const ins = await conn.runAndReadAll(
          `INSERT INTO sync_ignore (sha256, rel_path, flight_id, reason) VALUES ($1, $2, $3, 'flight-deleted')
           ON CONFLICT (sha256) DO NOTHING RETURNING id`,
          [row.sha256 as string, row.rel_path as string, row.flight_id as bigint],
        );
        added += ins.getRowObjectsJS().length;
        await conn.run(
          `UPDATE sync_files SET status = 'ignored', reason_code = 'flight-deleted', retryable = false,
             reason = 'Its flight was deleted, so the sync does not import this file again (see the sync ignore list).',
             updated_at = now()
           WHERE id = $1`,
          [row.id as bigint],
        );
      }
      return added;
    });
  }

  /** All ignored hashes, in one query (loaded once per run). */
  async ignoredHashes(): Promise<Set<string>> {
    const r = await this.db.reader.runAndReadAll('SELECT sha256 FROM sync_ignore');
    return new Set((r.getColumnsJS()[0] ?? []).map(String));
  }

  async listIgnore(): Promise<SyncIgnoreRow[]> {
    const r = await this.db.reader.runAndReadAll(
      `SELECT id, sha256, rel_path, flight_id, reason, epoch_ms(created_at) AS created_ms FROM sync_ignore ORDER BY id DESC`,
    );
    return r.getRowObjectsJS().map(toIgnore);
  }

  /**
   * Takes a hash off the ignore list and forgets the sync files with that hash, so the next run imports them
   * again. Returns false when there was no such entry.
   */
  async removeIgnore(id: number): Promise<boolean> {
    return this.db.transaction(async (conn) => {
      const r = await conn.runAndReadAll('DELETE FROM sync_ignore WHERE id = $1 RETURNING sha256', [BigInt(id)]);
      const row = r.getRowObjectsJS()[0];
      if (!row) return false;
      await conn.run('DELETE FROM sync_files WHERE sha256 = $1', [row.sha256 as string]);
      return true;
    });
  }
}

const COUNT_SET = `files_seen = $2, files_unchanged = $3, files_new = $4, files_waiting = $5, files_imported = $6,
  files_duplicate = $7, files_awaiting_key = $8, files_failed = $9, files_ignored = $10`;

function countParams(c: SyncCounts): number[] {
  return [c.seen, c.unchanged, c.new, c.waiting, c.imported, c.duplicate, c.awaitingKey, c.failed, c.ignored];
}
