import type { AuthConfig } from '../config/config.js';
import { ConflictError, ForbiddenError, InvalidError, LockedError, NotFoundError, UnauthorizedError } from '../errors.js';
import { DEFAULT_PROFILE, type ProfileContext, type ProfileRegistry } from '../profiles/profile-registry.js';
import { failureSubject, type ProfileRepository, type ProfileRow } from '../repositories/profile.repository.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
import type { Session, SessionService } from './session.service.js';

/** Letters, digits, '-' and '_', starting with a letter or digit: the name also names folders. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const MASTER_SUBJECT = 'master';
const MAX_LOCKOUT_MS = 3_600_000;

export interface ProfileSummary {
  name: string;
  hasPassword: boolean;
  createdAt: string;
}

export interface ProfileLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * Profiles and their passwords. Every path that checks a password (login, delete, change or remove a password, the
 * master password) counts wrong answers per profile (and for the master password) in DuckDB: LOGIN_MAX_FAILURES in a
 * row lock it for LOGIN_LOCKOUT_S, doubling per further lockout up to an hour, across restarts. Changing who may
 * do what needs being logged into that profile; creating or deleting profiles needs PROFILE_CREATION_PASS when set.
 */
export class ProfileService {
  #masterHash: string | null = null;
  /** Password checks of one subject run one after another, so parallel guesses cannot overtake the counter. */
  readonly #checks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly repo: ProfileRepository,
    private readonly registry: ProfileRegistry,
    private readonly sessions: SessionService,
    private readonly config: AuthConfig,
    private readonly log: ProfileLogger,
  ) {}

  /** Start-up: hashes the master password (the plain one is then dropped) and applies DEFAULT_PROFILE_PASSWORD once. */
  async start(): Promise<void> {
    if (this.config.profileCreationPass !== null) this.#masterHash = await hashPassword(this.config.profileCreationPass);
    if (this.config.defaultProfilePassword !== null) {
      const set = await this.repo.initialisePassword(DEFAULT_PROFILE, await hashPassword(this.config.defaultProfilePassword));
      if (set) this.log.info({ profile: DEFAULT_PROFILE }, 'DEFAULT_PROFILE_PASSWORD set as the default profile password');
    }
    for (const row of await this.repo.list()) await this.registry.open(row);
  }

  get masterPasswordRequired(): boolean {
    return this.#masterHash !== null;
  }

  async list(): Promise<ProfileSummary[]> {
    return (await this.repo.list()).map(summary);
  }

  async find(name: string): Promise<ProfileRow | null> {
    return this.repo.find(name);
  }

  async create(input: { name: string; password?: string; masterPassword?: string }): Promise<ProfileSummary> {
    const name = input.name.trim();
    if (!PROFILE_NAME.test(name)) {
      throw new InvalidError('A profile name is 1–32 letters, digits, "-" or "_", starting with a letter or digit.', 'invalid-profile-name');
    }
    await this.#requireMaster(input.masterPassword);
    if (input.password !== undefined) checkNewPassword(input.password);
    const hash = input.password === undefined ? null : await hashPassword(input.password);
    const row = await this.repo.create(name, hash);
    if (!row) throw new ConflictError(`A profile named "${name}" already exists.`, 'profile-exists');
    try {
      await this.registry.open(row);
    } catch (err) {
      // No half-made profile: drop its row (and whatever of its schema exists) again.
      await this.repo.delete(row.name);
      await this.registry.close(row.name).catch(() => undefined);
      throw err;
    }
    this.log.info({ profile: row.name }, 'profile created');
    return summary(row);
  }

  /** Deletes a profile and all its data (flights, settings, kept originals); never the default profile. */
  async delete(name: string, input: { password?: string; masterPassword?: string }): Promise<void> {
    const row = await this.#require(name);
    if (row.name.toLowerCase() === DEFAULT_PROFILE) throw new ForbiddenError('The default profile cannot be deleted.', 'default-profile');
    await this.#requireMaster(input.masterPassword);
    if (row.passwordHash !== null) await this.#check(failureSubject(row.name), row.passwordHash, input.password, `profile "${row.name}"`);
    const ctx = this.registry.get(row.name);
    await this.registry.close(row.name);
    await this.repo.delete(row.name);
    if (ctx && ctx.schema !== 'main') await ctx.db.dropSchema(ctx.schema);
    await this.registry.removeFolders(row.name);
    this.log.info({ profile: row.name }, 'profile deleted');
  }

  /** Checks the password (none needed for an unprotected profile) and opens a session. */
  async login(name: string, password: string | undefined, userAgent: string | null): Promise<{ profile: ProfileContext; token: string; expiresAt: Date }> {
    const row = await this.#require(name);
    if (row.passwordHash !== null) await this.#check(failureSubject(row.name), row.passwordHash, password, `profile "${row.name}"`);
    const profile = this.registry.get(row.name);
    if (!profile) throw new NotFoundError(`There is no profile named "${name}".`);
    const { token, expiresAt } = await this.sessions.create(row.name, userAgent);
    return { profile, token, expiresAt };
  }

  /**
   * Sets or changes the password of the profile the session is logged into. A protected profile needs its current
   * password; an unprotected one the master password when one is configured (else anyone on the network who can
   * reach the instance could lock the owner out).
   */
  async setPassword(name: string, session: Session | null, input: { newPassword: string; currentPassword?: string; masterPassword?: string }): Promise<void> {
    const row = await this.#requireSessionFor(name, session);
    checkNewPassword(input.newPassword);
    if (row.passwordHash !== null) await this.#check(failureSubject(row.name), row.passwordHash, input.currentPassword, `profile "${row.name}"`);
    else await this.#requireMaster(input.masterPassword);
    await this.repo.setPassword(row.name, await hashPassword(input.newPassword), session!.tokenHash);
    this.log.info({ profile: row.name }, 'profile password set');
  }

  async removePassword(name: string, session: Session | null, input: { currentPassword?: string }): Promise<void> {
    const row = await this.#requireSessionFor(name, session);
    if (row.passwordHash === null) return;
    await this.#check(failureSubject(row.name), row.passwordHash, input.currentPassword, `profile "${row.name}"`);
    await this.repo.setPassword(row.name, null, session!.tokenHash);
    this.log.info({ profile: row.name }, 'profile password removed');
  }

  async #require(name: string): Promise<ProfileRow> {
    const row = PROFILE_NAME.test(name) ? await this.repo.find(name) : null;
    if (!row) throw new NotFoundError(`There is no profile named "${name}".`);
    return row;
  }

  async #requireSessionFor(name: string, session: Session | null): Promise<ProfileRow> {
    const row = await this.#require(name);
    if (!session || session.profile.toLowerCase() !== row.name.toLowerCase()) {
      throw new UnauthorizedError(`Log in to profile "${row.name}" first.`, 'login-required');
    }
    return row;
  }

  async #requireMaster(given: string | undefined): Promise<void> {
    if (this.#masterHash === null) return;
    await this.#check(MASTER_SUBJECT, this.#masterHash, given, 'the master password');
  }

  /** One password check with lockout bookkeeping, serialised per subject. */
  #check(subject: string, hash: string, given: string | undefined, what: string): Promise<void> {
    const previous = this.#checks.get(subject) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#checkNow(subject, hash, given, what));
    this.#checks.set(subject, run);
    void run.catch(() => undefined).then(() => {
      if (this.#checks.get(subject) === run) this.#checks.delete(subject);
    });
    return run;
  }

  async #checkNow(subject: string, hash: string, given: string | undefined, what: string): Promise<void> {
    const f = await this.repo.failures(subject);
    const now = Date.now();
    if (f.lockedUntil && f.lockedUntil.getTime() > now) {
      const s = Math.ceil((f.lockedUntil.getTime() - now) / 1000);
      throw new LockedError(`Too many wrong passwords for ${what}. Try again in ${s} s.`, s);
    }
    if (given === undefined || given === '') throw new UnauthorizedError(`The password for ${what} is required.`, 'password-required');
    if (given.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(hash, given))) {
      if (f.failures > 0 || f.lockouts > 0) await this.repo.clearFailures(subject);
      return;
    }
    const failures = f.failures + 1;
    if (failures >= this.config.maxFailures) {
      const lockouts = f.lockouts + 1;
      const ms = Math.min(this.config.lockoutMs * 2 ** (lockouts - 1), MAX_LOCKOUT_MS);
      await this.repo.saveFailures(subject, { failures: 0, lockouts, lockedUntil: new Date(now + ms) });
      this.log.warn({ subject, lockouts }, 'too many wrong passwords: locked');
      throw new LockedError(`Too many wrong passwords for ${what}. Try again in ${Math.ceil(ms / 1000)} s.`, Math.ceil(ms / 1000));
    }
    await this.repo.saveFailures(subject, { failures, lockouts: f.lockouts, lockedUntil: null });
    throw new UnauthorizedError(`Wrong password for ${what}.`, 'wrong-password');
  }
}

function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new InvalidError(`A password is ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters long.`, 'weak-password');
  }
}

function summary(row: ProfileRow): ProfileSummary {
  return { name: row.name, hasPassword: row.passwordHash !== null, createdAt: row.createdAt };
}
