import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../db/database.js';

export type LedgerStatus = 'pending' | 'imported' | 'duplicate' | 'awaiting-key' | 'failed';

/** What the ledger keeps of a log's header (readable without keys), for the UI. */
export interface LedgerHeader {
  formatVersion: number;
  encrypted: boolean;
  aircraftName: string | null;
  aircraftModel: string | null;
  productType: string | null;
  aircraftSerial: string | null;
  batterySerial: string | null;
  startTime: string | null;
  durationS: number | null;
  app: string | null;
}

export interface LedgerEntry {
  id: number;
  fileHash: string;
  fileName: string;
  fileSize: number;
  source: string;
  status: LedgerStatus;
  reason: string | null;
  reasonCode: string | null;
  flightId: number | null;
  /** Relative path under the originals store, or null when the original is not kept. */
  originalPath: string | null;
  header: LedgerHeader | null;
  retryable: boolean;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerOutcome {
  status: Exclude<LedgerStatus, 'pending'>;
  reason: string | null;
  reasonCode: string | null;
  flightId: number | null;
  retryable: boolean;
}

const COLUMNS = `id, file_hash, file_name, file_size, source, status, reason, reason_code, flight_id, original_path,
  CAST(header AS VARCHAR) AS header, coalesce(retryable, false) AS retryable, coalesce(attempts, 1) AS attempts, epoch_ms(created_at) AS created_ms, epoch_ms(updated_at) AS updated_ms`;

function toEntry(r: Record<string, unknown>): LedgerEntry {
  const header = typeof r.header === 'string' ? (JSON.parse(r.header) as LedgerHeader) : null;
  return {
    id: Number(r.id),
    fileHash: String(r.file_hash),
    fileName: String(r.file_name),
    fileSize: Number(r.file_size),
    source: String(r.source),
    status: String(r.status) as LedgerStatus,
    reason: (r.reason as string | null) ?? null,
    reasonCode: (r.reason_code as string | null) ?? null,
    flightId: r.flight_id === null || r.flight_id === undefined ? null : Number(r.flight_id),
    originalPath: (r.original_path as string | null) ?? null,
    header,
    retryable: r.retryable === true,
    attempts: Number(r.attempts ?? 0),
    createdAt: new Date(Number(r.created_ms)).toISOString(),
    updatedAt: new Date(Number(r.updated_ms)).toISOString(),
  };
}

/** The import ledger (`imports` table): one row per file handed to the import pipeline. */
export class ImportLedgerRepository {
  constructor(private readonly db: Database) {}

  async create(input: { fileHash: string; fileName: string; fileSize: number; source: string }): Promise<number> {
    return this.db.exclusive(async (conn) => {
      const r = await conn.runAndReadAll(
        `INSERT INTO imports (file_hash, file_name, file_size, source, status, retryable, attempts)
         VALUES ($1, $2, $3, $4, 'pending', false, 1) RETURNING id`,
        [input.fileHash, input.fileName, input.fileSize, input.source],
      );
      return Number(r.getRowObjectsJS()[0]!.id);
    });
  }

  /** Marks an existing entry as being processed again (a retry). */
  async beginAttempt(id: number): Promise<void> {
    await this.#update(`status = 'pending', reason = NULL, reason_code = NULL, attempts = coalesce(attempts, 1) + 1`, id, []);
  }

  async setHeader(id: number, header: LedgerHeader): Promise<void> {
    await this.#update('header = $2::JSON', id, [JSON.stringify(header)]);
  }

  async setOriginalPath(id: number, originalPath: string | null): Promise<void> {
    await this.#update('original_path = $2', id, [originalPath]);
  }

  async finish(id: number, o: LedgerOutcome): Promise<void> {
    await this.#update('status = $2, reason = $3, reason_code = $4, flight_id = $5, retryable = $6', id, [
      o.status,
      o.reason,
      o.reasonCode,
      o.flightId === null ? null : BigInt(o.flightId),
      o.retryable,
    ]);
  }

  async get(id: number): Promise<LedgerEntry | null> {
    const r = await this.db.reader.runAndReadAll(`SELECT ${COLUMNS} FROM imports WHERE id = $1`, [BigInt(id)]);
    const row = r.getRowObjectsJS()[0];
    return row ? toEntry(row) : null;
  }

  /** Newest first. `beforeId` pages by keyset (ids only grow). */
  async list(q: { status?: LedgerStatus; limit: number; offset: number; beforeId?: number }): Promise<{ items: LedgerEntry[]; total: number }> {
    const where: string[] = [];
    const params: DuckDBValue[] = [];
    if (q.status) {
      params.push(q.status);
      where.push(`status = $${params.length}`);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.db.reader.runAndReadAll(`SELECT count(*) AS n FROM imports ${filter}`, params);
    const pageWhere = [...where];
    const pageParams = [...params];
    if (q.beforeId !== undefined) {
      pageParams.push(BigInt(q.beforeId));
      pageWhere.push(`id < $${pageParams.length}`);
    }
    pageParams.push(q.limit, q.beforeId !== undefined ? 0 : q.offset);
    const page = await this.db.reader.runAndReadAll(
      `SELECT ${COLUMNS} FROM imports ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $${pageParams.length - 1} OFFSET $${pageParams.length}`,
      pageParams,
    );
    return { items: page.getRowObjectsJS().map(toEntry), total: Number(total.getRowObjectsJS()[0]!.n) };
  }

  /** Entries a retry should pick up, oldest first. */
  async listRetryable(): Promise<LedgerEntry[]> {
    const r = await this.db.reader.runAndReadAll(
      `SELECT ${COLUMNS} FROM imports
       WHERE (status = 'awaiting-key' OR (status = 'failed' AND coalesce(retryable, false))) AND original_path IS NOT NULL
       ORDER BY id`,
    );
    return r.getRowObjectsJS().map(toEntry);
  }

  /** Whether another entry still needs the kept original of this hash (so it must not be deleted). */
  async othersNeedOriginal(fileHash: string, exceptId: number): Promise<boolean> {
    const r = await this.db.reader.runAndReadAll(
      `SELECT count(*) AS n FROM imports
       WHERE file_hash = $1 AND id <> $2 AND original_path IS NOT NULL
         AND (status IN ('pending', 'awaiting-key') OR (status = 'failed' AND coalesce(retryable, false)))`,
      [fileHash, BigInt(exceptId)],
    );
    return Number(r.getRowObjectsJS()[0]!.n) > 0;
  }

  /** Entries left 'pending' by a previous process that stopped mid-import. Returns how many were marked. */
  async failInterrupted(reason: string): Promise<number> {
    return this.db.exclusive(async (conn) => {
      const r = await conn.runAndReadAll(
        `UPDATE imports SET status = 'failed', reason = $1, reason_code = 'interrupted', retryable = (original_path IS NOT NULL),
           updated_at = now()
         WHERE status = 'pending' RETURNING id`,
        [reason],
      );
      return r.getRowObjectsJS().length;
    });
  }

  async #update(set: string, id: number, params: DuckDBValue[]): Promise<void> {
    await this.db.exclusive((conn) => conn.run(`UPDATE imports SET ${set}, updated_at = now() WHERE id = $1`, [BigInt(id), ...params]));
  }
}
