import crypto from 'node:crypto';
import type { SessionRepository } from '../repositories/session.repository.js';

export interface Session {
  profile: string;
  tokenHash: string;
  expiresAt: Date;
}

/** A session's last-seen time is written at most this often (reads stay reads). */
const TOUCH_EVERY_MS = 5 * 60_000;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Server-side sessions: a 256-bit random token goes to the browser (HttpOnly cookie); only its sha256 is stored,
 * in DuckDB, so sessions survive a restart and a copy of the database grants nothing. A session ends after
 * SESSION_TTL_HOURS without use.
 */
export class SessionService {
  constructor(
    private readonly repo: SessionRepository,
    private readonly ttlMs: number,
  ) {}


  async create(profile: string, userAgent: string | null): Promise<{ token: string; expiresAt: Date }> {
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.repo.insert(hashToken(token), profile, expiresAt, userAgent?.slice(0, 200) ?? null);
    return { token, expiresAt };
  }

  /** The live session of a token, sliding its expiry forward; null when unknown or expired. */
  async resolve(token: string): Promise<Session | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const tokenHash = hashToken(token);
    const row = await this.repo.find(tokenHash);
    if (!row) return null;
    let expiresAt = row.expiresAt;
    if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      expiresAt = new Date(Date.now() + this.ttlMs);
      await this.repo.touch(tokenHash, expiresAt);
    }
    return { profile: row.profile, tokenHash, expiresAt };
  }

  async revoke(token: string): Promise<void> {
    await this.repo.delete(hashToken(token));
  }

  purgeExpired(): Promise<number> {
    return this.repo.deleteExpired();
  }
}
