import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { migrations } from './migrations.js';

/**
 * The one DuckDB instance of the process. DuckDB allows a single writing process per file,
 * and inside it we serialise every write through one connection (`write`) so transactions never
 * interleave; reads get their own connection and see committed data only (MVCC).
 */
export class Database {
  #instance: DuckDBInstance;
  #writer: DuckDBConnection;
  #reader: DuckDBConnection;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** Extra connections lent by `withConnection`, awaited on close. */
  readonly #lent = new Set<Promise<unknown>>();

  private constructor(instance: DuckDBInstance, writer: DuckDBConnection, reader: DuckDBConnection) {
    this.#instance = instance;
    this.#writer = writer;
    this.#reader = reader;
  }

  static async open(file: string, options: { memoryLimit?: string; threads?: number } = {}): Promise<Database> {
    if (file !== ':memory:') await fs.mkdir(path.dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file, {
      // Extensions must never be fetched at run time (no network in tests, egress-restricted in the cluster).
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // The pod has 512 MiB; leave room for Node and the parse worker.
      memory_limit: options.memoryLimit ?? '256MB',
      threads: String(options.threads ?? 2),
      // Keep the WAL small so a crash never leaves a huge replay at start-up.
      wal_autocheckpoint: '16MB',
    });
    const writer = await instance.connect();
    const reader = await instance.connect();
    const db = new Database(instance, writer, reader);
    await db.migrate();
    return db;
  }

  /** Connection for reads (SELECT only). */
  get reader(): DuckDBConnection {
    return this.#reader;
  }

  /**
   * Runs `fn` with exclusive use of the write connection inside one transaction.
   * Commits if it resolves, rolls back if it throws.
   */
  transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.exclusive(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        const result = await fn(conn);
        await conn.run('COMMIT');
        return result;
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /**
   * A fresh connection of its own for the duration of `fn`, closed afterwards. For long reads that need their own
   * transaction (a backup snapshot: one read transaction across many COPY statements) without holding `reader`,
   * whose other users would otherwise run inside that transaction. Never for writes: those go through `transaction`.
   */
  withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('database is closed'));
    const run = (async () => {
      const conn = await this.#instance.connect();
      try {
        return await fn(conn);
      } finally {
        conn.closeSync();
      }
    })();
    const tracked = run.catch(() => undefined);
    this.#lent.add(tracked);
    void tracked.then(() => this.#lent.delete(tracked));
    return run;
  }

  /** Exclusive use of the write connection without an explicit transaction (e.g. CHECKPOINT). */
  exclusive<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('database is closed'));
    const run = this.#queue.then(() => fn(this.#writer));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async migrate(): Promise<void> {
    await this.exclusive(async (conn) => {
      await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const applied = await conn.runAndReadAll('SELECT version FROM schema_migrations');
      const done = new Set(applied.getRowObjectsJS().map((r) => Number(r.version)));
      let appliedAny = false;
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        appliedAny = true;
        await conn.run('BEGIN TRANSACTION');
        try {
          await conn.run(m.sql);
          await conn.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await conn.run('COMMIT');
        } catch (err) {
          await conn.run('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
        }
      }
      // DuckDB 1.5 cannot replay a WAL holding ALTER TABLE ADD COLUMN on a table whose default is
      // nextval(): a crash before the first checkpoint would leave the file unopenable. Checkpoint now.
      if (appliedAny) await conn.run('CHECKPOINT');
    });
  }

  async schemaVersion(): Promise<number> {
    const r = await this.#reader.runAndReadAll('SELECT max(version) AS v FROM schema_migrations');
    return Number(r.getRowObjectsJS()[0]?.v ?? 0);
  }

  get isOpen(): boolean {
    return !this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.all([this.#queue, ...this.#lent]);
    this.#closed = true;
    await this.#writer.run('CHECKPOINT').catch(() => undefined);
    this.#writer.closeSync();
    this.#reader.closeSync();
    this.#instance.closeSync();
  }
}
