import type { Database } from '../db/database.js';

export interface CachedKeychain {
  requestHash: string;
  /** The keychains JSON as stored; the service validates it before use. */
  keychains: unknown;
}

/**
 * Key of a keychain cached by Open DroneLog (brought over with its backup): ODL keys its cache by the log file's
 * SHA-256 and keeps no request, so such rows are looked up by file.
 */
export function odlFileKeychainKey(fileSha256: string): string {
  return `odl-file:${fileSha256}`;
}

/** The keychain cache (`keychains` table), keyed by the SHA-256 of the canonical keychain request. */
export class KeychainRepository {
  constructor(private readonly db: Database) {}

  async get(requestHash: string): Promise<CachedKeychain | null> {
    const r = await this.db.reader.runAndReadAll(
      'SELECT request_hash, CAST(keychains AS VARCHAR) AS keychains FROM keychains WHERE request_hash = $1',
      [requestHash],
    );
    const row = r.getRowObjectsJS()[0];
    if (!row) return null;
    let keychains: unknown = null;
    try {
      keychains = JSON.parse(String(row.keychains));
    } catch {
      keychains = null; // unparseable JSON is treated like any other invalid entry by the service
    }
    return { requestHash: String(row.request_hash), keychains };
  }

  /** Stores (or replaces) keychains that decoded a plausible flight. */
  async put(requestHash: string, request: unknown, keychains: unknown): Promise<void> {
    await this.db.exclusive((conn) =>
      conn.run(
        `INSERT INTO keychains (request_hash, request, keychains, fetched_at, last_used_at, use_count)
         VALUES ($1, $2::JSON, $3::JSON, now(), now(), 1)
         ON CONFLICT (request_hash) DO UPDATE SET
           request = excluded.request, keychains = excluded.keychains, fetched_at = now(), last_used_at = now(), use_count = 1`,
        [requestHash, JSON.stringify(request), JSON.stringify(keychains)],
      ),
    );
  }

  async markUsed(requestHash: string): Promise<void> {
    await this.db.exclusive((conn) =>
      conn.run('UPDATE keychains SET last_used_at = now(), use_count = use_count + 1 WHERE request_hash = $1', [requestHash]),
    );
  }

  async delete(requestHash: string): Promise<void> {
    await this.db.exclusive((conn) => conn.run('DELETE FROM keychains WHERE request_hash = $1', [requestHash]));
  }

  async count(): Promise<number> {
    const r = await this.db.reader.runAndReadAll('SELECT count(*) AS n FROM keychains');
    return Number(r.getRowObjectsJS()[0]!.n);
  }
}
