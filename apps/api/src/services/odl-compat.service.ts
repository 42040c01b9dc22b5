import type { Database } from '../db/database.js';
import { ConflictError, ForbiddenError, InvalidError, UnauthorizedError } from '../errors.js';
import { DEFAULT_PROFILE, type ProfileContext, type ProfileRegistry } from '../profiles/profile-registry.js';
import { OdlCompatRepository, type OdlFlightRow } from '../repositories/odl-compat.repository.js';
import type { UploadPart } from './flight-import.service.js';
import type { ProfileService } from './profile.service.js';
import type { SessionService } from './session.service.js';

// Shapes of Open DroneLog's web API (server.rs, models.rs), as its uploader opendronelog-sync reads them.

export interface OdlProfileInfo {
  name: string;
  hasPassword: boolean;
}

/** ODL's switch body; the uploader sends `name` and `password` (null for an open profile). */
export interface OdlSwitchRequest {
  name: string;
  create?: boolean;
  password?: string | null;
  new_password?: string | null;
  master_password?: string | null;
}

/** `session` is the token to send as X-Session; null for a profile without a password (X-Profile is enough). */
export interface OdlSwitchResponse {
  name: string;
  session: string | null;
}

export interface OdlFlightTag {
  tag: string;
  tagType: 'auto' | 'manual';
}

/** ODL's `Flight` (camelCase). The uploader reads `fileHash` only: sha256 of the file's bytes, lowercase hex. */
export interface OdlFlight {
  id: number;
  fileName: string;
  displayName: string;
  fileHash: string | null;
  droneModel: string | null;
  droneSerial: string | null;
  aircraftName: string | null;
  batterySerial: string | null;
  startTime: string | null;
  durationSecs: number | null;
  totalDistance: number | null;
  maxAltitude: number | null;
  maxSpeed: number | null;
  homeLat: number | null;
  homeLon: number | null;
  pointCount: number;
  photoCount: number;
  videoCount: number;
  cycleCount: number | null;
  rcSerial: string | null;
  batteryLife: number | null;
  tags: OdlFlightTag[];
  notes: string | null;
  color: string;
}

/** ODL's `ImportResult`: per-file outcomes are 200 answers; `success` is true only for a new flight. */
export interface OdlImportResult {
  success: boolean;
  flightId: number | null;
  message: string;
  pointCount: number;
  fileHash: string | null;
}

/** The profile headers of a request (X-Session, X-Profile), as sent. */
export interface OdlProfileHeaders {
  session?: string | undefined;
  profile?: string | undefined;
}

/** ODL's colour label for flights that have none. */
const ODL_DEFAULT_COLOR = '#7dd3fc';

/** What the sync folder and the web app's file picker take (sync-folder-walk.ts): DJI .txt and CSV logs. */
const ALLOWED_EXTENSIONS = ['csv', 'txt'];

export interface OdlCompatDeps {
  profiles: Pick<ProfileService, 'list' | 'find' | 'create' | 'login'>;
  sessions: Pick<SessionService, 'resolve'>;
  registry: Pick<ProfileRegistry, 'get'>;
}

/**
 * Open DroneLog's uploader API (ODL_COMPAT_API) mapped onto our own services: ProfileService logs in (argon2id,
 * counted wrong passwords, lockout) and creates profiles (PROFILE_CREATION_PASS), SessionService validates
 * X-Session (our session token), FlightImportService imports, the sync ignore list is ODL's blacklist.
 * Deliberately unlike ODL: switching never changes a server-wide profile (there is none), never sets a password,
 * an unknown X-Profile is refused instead of creating that profile, and X-Session must not name another profile
 * than X-Profile.
 */
export class OdlCompatService {
  readonly #repos = new WeakMap<Database, OdlCompatRepository>();

  constructor(private readonly deps: OdlCompatDeps) {}

  async listProfiles(): Promise<OdlProfileInfo[]> {
    return (await this.deps.profiles.list()).map((p) => ({ name: p.name, hasPassword: p.hasPassword }));
  }

  /**
   * Logs in to a profile, creating it first when it does not exist (as ODL does; the master password is needed
   * when PROFILE_CREATION_PASS is set). A protected profile gets a session; an open one needs none.
   */
  async switchProfile(input: OdlSwitchRequest, userAgent: string | null): Promise<OdlSwitchResponse> {
    const name = input.name.trim();
    if (input.new_password) {
      throw new InvalidError(
        'Dronelog does not set profile passwords through the Open DroneLog API; set it in the web app (Profiles) after logging in.',
        'password-not-settable',
      );
    }
    let row = await this.deps.profiles.find(name);
    if (row && input.create) throw new ConflictError(`Profile '${row.name}' already exists`, 'profile-exists');
    if (!row) {
      const master = input.master_password ?? undefined;
      try {
        await this.deps.profiles.create({ name, ...(master ? { masterPassword: master } : {}) });
      } catch (err) {
        // ODL answers 403 for a missing or wrong master password; ours counts it towards the lockout as well.
        if (err instanceof UnauthorizedError) {
          throw new ForbiddenError(master ? 'Invalid master password' : 'Master password is required to create profiles', 'master-password');
        }
        throw err;
      }
      row = await this.deps.profiles.find(name);
      if (!row) throw new ConflictError(`Profile '${name}' was deleted while it was being created; try again.`);
    }
    if (row.passwordHash === null) return { name: row.name, session: null };
    const { profile, token } = await this.deps.profiles.login(row.name, input.password ?? undefined, userAgent);
    return { name: profile.name, session: token };
  }

  /**
   * The profile a request reads and writes, as ODL resolves it: a valid X-Session names it; else X-Profile, which
   * selects a profile without a password only; else the default profile when it has none. Anything else is 401,
   * the answer on which the uploader shows its login again.
   */
  async resolve(headers: OdlProfileHeaders): Promise<ProfileContext> {
    const token = headers.session?.trim();
    const wanted = headers.profile?.trim();
    if (token) {
      const session = await this.deps.sessions.resolve(token);
      const ctx = session ? this.deps.registry.get(session.profile) : undefined;
      if (!ctx) throw new UnauthorizedError('Session expired or invalid — please re-authenticate', 'session-expired');
      if (wanted && wanted.toLowerCase() !== ctx.name.toLowerCase()) {
        throw new UnauthorizedError(`This session belongs to profile '${ctx.name}', not '${wanted}' — please re-authenticate`, 'session-other-profile');
      }
      return ctx;
    }
    const name = wanted || DEFAULT_PROFILE;
    const row = await this.deps.profiles.find(name);
    // 401 rather than 404 for a profile that is gone: the uploader then offers the profile list again.
    if (!row) throw new UnauthorizedError(`There is no profile named '${name}' — please log in again`, 'unknown-profile');
    if (row.passwordHash !== null) {
      throw new UnauthorizedError('This profile is password-protected — please authenticate first', 'login-required');
    }
    const ctx = this.deps.registry.get(row.name);
    if (!ctx) throw new UnauthorizedError(`There is no profile named '${row.name}' — please log in again`, 'unknown-profile');
    return ctx;
  }

  /** Extensions without the dot, sorted, as ODL lists them. */
  allowedExtensions(): { extensions: string[] } {
    return { extensions: [...ALLOWED_EXTENSIONS] };
  }

  async flights(ctx: ProfileContext): Promise<OdlFlight[]> {
    return (await this.#repo(ctx).flights()).map(toOdlFlight);
  }

  /** ODL's sync blacklist is our sync ignore list: files whose flight was deleted, never imported again. */
  async blacklist(ctx: ProfileContext): Promise<{ hashes: string[] }> {
    const { items } = await ctx.services.syncFolder.listIgnore();
    return { hashes: items.map((i) => i.sha256.toLowerCase()) };
  }

  /** One uploaded log through the profile's import pipeline (the one every upload and the sync folder use). */
  async importUpload(ctx: ProfileContext, parts: AsyncIterable<UploadPart>): Promise<OdlImportResult> {
    const [result] = await ctx.services.flightImport.importUploads(parts);
    if (!result) throw new InvalidError('No file uploaded', 'no-file');
    const facts = result.flightId === undefined ? null : await this.#repo(ctx).flightFacts(result.flightId);
    const matches = facts?.displayName ?? `flight ${result.flightId}`;
    switch (result.status) {
      case 'imported':
        return {
          success: true,
          flightId: result.flightId ?? null,
          message: `Successfully imported ${facts?.frameCount ?? 0} telemetry points`,
          pointCount: facts?.frameCount ?? 0,
          fileHash: result.sha256,
        };
      case 'duplicate':
        return {
          success: false,
          flightId: null,
          message:
            result.reasonCode === 'duplicate-flight'
              ? `Duplicate flight: matches '${matches}' (same drone, battery, and start time)`
              : `This flight log has already been imported (matches: ${matches})`,
          pointCount: 0,
          fileHash: result.sha256,
        };
      case 'awaiting-key':
        return { success: false, flightId: null, message: result.reason ?? 'This log waits for a DJI key.', pointCount: 0, fileHash: null };
      case 'failed':
        return { success: false, flightId: null, message: `Failed to parse log: ${result.reason ?? 'unknown error'}`, pointCount: 0, fileHash: null };
    }
  }

  #repo(ctx: ProfileContext): OdlCompatRepository {
    let repo = this.#repos.get(ctx.db);
    if (!repo) {
      repo = new OdlCompatRepository(ctx.db);
      this.#repos.set(ctx.db, repo);
    }
    return repo;
  }
}

function toOdlFlight(f: OdlFlightRow): OdlFlight {
  return {
    id: f.id,
    fileName: f.fileName ?? '',
    displayName: f.displayName,
    fileHash: f.fileHash,
    droneModel: f.aircraftModel,
    droneSerial: f.aircraftSerial,
    aircraftName: f.aircraftName,
    batterySerial: f.batterySerial,
    startTime: f.startTime,
    durationSecs: f.durationS,
    totalDistance: f.distanceM,
    maxAltitude: f.maxHeightM,
    maxSpeed: f.maxHorizontalSpeedMps,
    homeLat: f.homeLat,
    homeLon: f.homeLon,
    pointCount: f.frameCount,
    photoCount: f.photoCount,
    videoCount: f.videoCount,
    cycleCount: f.batteryCycles,
    rcSerial: f.rcSerial,
    batteryLife: null,
    tags: f.tags.map((t) => ({ tag: t.name, tagType: t.kind })),
    notes: f.notes,
    color: f.color ?? ODL_DEFAULT_COLOR,
  };
}
