import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { controlMigrations } from '../db/control-migrations.js';
import { UnauthorizedError } from '../errors.js';
import { SyncFolderJob } from '../jobs/sync-folder.job.js';
import { DEFAULT_PROFILE, ProfileRegistry, type ProfileContext } from '../profiles/profile-registry.js';
import { proxyIdentityReader } from '../profiles/proxy-identity.js';
import { clearSessionCookie, readSessionCookie } from '../profiles/session-cookie.js';
import { ProfileRepository } from '../repositories/profile.repository.js';
import { SessionRepository } from '../repositories/session.repository.js';
import { BackupService } from '../services/backup.service.js';
import type { FlightImportService } from '../services/flight-import.service.js';
import { OriginalStore } from '../services/original-store.service.js';
import { ProfileService } from '../services/profile.service.js';
import { SessionService, type Session } from '../services/session.service.js';
import type { SyncFolderService } from '../services/sync-folder.service.js';
import { DEFAULT_REUSE, ParseWorkerPool } from '../workers/parse-worker-pool.js';

/**
 * Profiles: the control schema (profiles, sessions, lockout counters), one set of services per profile on its own
 * schema, the shared parse workers, the sync schedule over all profiles, and `requireProfile`, the onRequest hook
 * that gives each logbook request its profile from the session cookie (or the open default profile).
 */
export default fp(
  async (fastify) => {
    const c = fastify.config;
    const control = await fastify.db.forSchema('control', controlMigrations);
    const parser = new ParseWorkerPool({
      concurrency: c.parseConcurrency,
      timeoutMs: c.parseTimeoutMs,
      maxHeapMb: c.parseWorkerMaxHeapMb,
      reuse: c.parseWorkerMaxParses > 1 ? { ...DEFAULT_REUSE, maxParses: c.parseWorkerMaxParses } : false,
    });
    fastify.addHook('onClose', async () => {
      await parser.close();
    });
    // Temp folders are shared by all profiles: a previous process's leftovers are garbage, cleared once.
    await new OriginalStore(c.originalsDir, c.uploadTmpDir).clearTemp();

    const registry = new ProfileRegistry(fastify.db, { config: c, parser, log: fastify.log });
    const sessions = new SessionService(new SessionRepository(control), c.auth.sessionTtlMs);
    const profileRepo = new ProfileRepository(control);
    const profiles = new ProfileService(profileRepo, registry, sessions, c.auth, fastify.log.child({ component: 'profiles' }));
    await profiles.start();
    await sessions.purgeExpired();
    const purge = setInterval(() => void sessions.purgeExpired().catch(() => undefined), 3_600_000);
    purge.unref();

    const defaultServices = registry.default.services;
    await defaultServices.backups.clearTemp();

    // --- sync schedule: one job for all profiles ---------------------------------------------------------------
    const sync = c.sync;
    let job: SyncFolderJob | null = null;
    if (sync) {
      const log = fastify.log.child({ component: 'sync' });
      const j = new SyncFolderJob(sync.schedule, { runScheduled: () => registry.runScheduledSync() }, log);
      job = j;
      registry.setNextRunSource(() => j.nextRun());
      fastify.addHook('onReady', async () => {
        j.start();
        log.info({ folder: sync.path, schedule: sync.schedule, nextRunAt: j.nextRun()?.toISOString() ?? null }, 'sync folder scheduled');
        if (sync.onStart) void registry.startupSync();
      });
    }
    fastify.addHook('preClose', async () => {
      clearInterval(purge);
      job?.stop();
      await registry.closeAll();
    });

    // --- per request: identity, session, profile --------------------------------------------------------------
    const identityOf = proxyIdentityReader(c);
    fastify.decorateRequest('identity', null);
    fastify.decorateRequest('session', null);
    fastify.decorateRequest('profile', null as unknown as ProfileContext);
    fastify.addHook('onRequest', async (request) => {
      request.identity = identityOf(request);
      const token = readSessionCookie(request);
      if (token) request.session = await sessions.resolve(token);
    });

    /** The profile of a logbook request: the session's, or the default profile when it has no password. */
    async function resolveProfile(request: FastifyRequest, reply: FastifyReply): Promise<ProfileContext> {
      if (request.session) {
        const ctx = registry.get(request.session.profile);
        if (ctx) return ctx;
      }
      if (readSessionCookie(request) !== null) {
        clearSessionCookie(request, reply);
        throw new UnauthorizedError('Your session has ended. Log in again.', 'session-expired');
      }
      const def = await profileRepo.find(DEFAULT_PROFILE);
      if (def && def.passwordHash === null) return registry.default;
      throw new UnauthorizedError('Log in to a profile first.', 'login-required');
    }

    fastify.decorate('profiles', profiles);
    fastify.decorate('profileRegistry', registry);
    fastify.decorate('sessions', sessions);
    fastify.decorate('requireProfile', async (request: FastifyRequest, reply: FastifyReply) => {
      request.profile = await resolveProfile(request, reply);
    });
    /** The profile a request would use, without failing (GET /session, GET /profiles). */
    fastify.decorate('currentProfile', async (request: FastifyRequest): Promise<string | null> => {
      if (request.session && registry.get(request.session.profile)) return registry.get(request.session.profile)!.name;
      if (readSessionCookie(request) !== null) return null;
      const def = await profileRepo.find(DEFAULT_PROFILE);
      return def && def.passwordHash === null ? DEFAULT_PROFILE : null;
    });
    // The default profile's services, for process-wide metrics and tests that drive the pipeline directly.
    fastify.decorate('flightImport', defaultServices.flightImport);
    fastify.decorate('syncFolder', defaultServices.syncFolder);
    fastify.decorate('backups', defaultServices.backups);
  },
  { name: 'profiles', dependencies: ['database'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    profiles: ProfileService;
    profileRegistry: ProfileRegistry;
    sessions: SessionService;
    /** onRequest hook of every logbook route: sets `request.profile` or answers 401. */
    requireProfile: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    currentProfile: (request: FastifyRequest) => Promise<string | null>;
    flightImport: FlightImportService;
    syncFolder: SyncFolderService;
    backups: BackupService;
  }
  interface FastifyRequest {
    /** Who the trusted proxy says is signed in (TRUST_PROXY_AUTH_HEADER), else null. */
    identity: string | null;
    /** The live session of the request's cookie, or null. */
    session: Session | null;
    /** Set by `requireProfile` on logbook routes; null elsewhere. */
    profile: ProfileContext;
  }
}
