import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cron } from 'croner';

/** apps/web/build, found from this file in src/config or dist/config. */
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/build', import.meta.url));

/**
 * The one place that reads the environment. Names follow Open DroneLog where it has them
 * (DATA_DIR, DJI_API_KEY, KEEP_UPLOADED_FILES, …) so an existing container env works unchanged.
 */
export interface Config {
  host: string;
  port: number;
  /** Root of everything the app writes: the DuckDB file, kept originals, temp uploads. */
  dataDir: string;
  databaseFile: string;
  /** DuckDB's memory limit, MiB (DUCKDB_MEMORY_LIMIT_MB): its buffer pool counts towards the pod's memory. */
  duckdbMemoryLimitMb: number;
  originalsDir: string;
  uploadTmpDir: string;
  /** Personal DJI developer key used to fetch keychains for v13+ logs. */
  djiApiKey: string | null;
  djiKeychainEndpoint: string;
  djiKeychainTimeoutMs: number;
  keepUploadedFiles: boolean;
  maxUploadBytes: number;
  maxFilesPerRequest: number;
  parseTimeoutMs: number;
  /** Parse workers running at once (each may take ~200 MB for a long flight); more files wait in a queue. */
  parseConcurrency: number;
  /** JS heap limit of one parse worker, MiB (PARSE_WORKER_MAX_HEAP_MB): a log needing more fails as 'out-of-memory'. */
  parseWorkerMaxHeapMb: number;
  /** Files one parse worker may parse before it is replaced (PARSE_WORKER_MAX_PARSES; 1: a fresh worker per file). */
  parseWorkerMaxParses: number;
  logLevel: string;
  /** Temp folder of backups being built and restores being unpacked (`<DATA_DIR>/tmp/backup`); emptied at start-up. */
  backupTmpDir: string;
  /** Largest backup archive POST /api/v1/backup/restore accepts (MAX_RESTORE_MB); its unpacked size may be 4× that. */
  maxRestoreBytes: number;
  /** Serve Prometheus metrics at GET /metrics (METRICS_ENABLED). */
  metricsEnabled: boolean;
  /** Folder of the built web app (adapter-static output); null disables static serving. */
  webDir: string | null;
  /** The sync folder (SYNC_LOGS_PATH); null when unset, which turns sync off. */
  sync: SyncConfig | null;
  /** Web hardening: origins, proxy, headers, limits (docs/security.md). */
  security: SecurityConfig;
  /**
   * A local Protomaps `.pmtiles` basemap (MAP_PMTILES_PATH), served by this server with its style; null = none.
   * Never set together with MAP_STYLE_URL, so the page has exactly one basemap and the CSP one extra origin at most.
   */
  mapPmtilesPath: string | null;
  /** Profiles, passwords and sessions (docs/security.md). */
  auth: AuthConfig;
  /**
   * Serve the opendronelog-sync uploader's calls under /api/ (ODL_COMPAT_API, default off): GET /api/profiles,
   * POST /api/profiles/switch, /api/allowed_log_extensions, /api/flights, /api/sync/blacklist, POST /api/import.
   */
  odlCompatApi: boolean;
}

/** Profiles, passwords and sessions; names and meanings follow Open DroneLog's. */
export interface AuthConfig {
  /** Master password needed to create or delete profiles (PROFILE_CREATION_PASS); null: anyone may. */
  profileCreationPass: string | null;
  /** Sets the default profile's password at start-up if it has none; never overwrites (DEFAULT_PROFILE_PASSWORD). */
  defaultProfilePassword: string | null;
  /** Sessions end after this long without use (SESSION_TTL_HOURS). */
  sessionTtlMs: number;
  /** Wrong passwords in a row before a lockout (LOGIN_MAX_FAILURES). */
  maxFailures: number;
  /** First lockout length; each further lockout doubles it, up to an hour (LOGIN_LOCKOUT_S). */
  lockoutMs: number;
  /**
   * Header a trusted reverse proxy sets to the signed-in user (TRUST_PROXY_AUTH_HEADER, e.g. X-authentik-username),
   * lower-cased; null (default): ignored. Read only from requests whose peer is a trusted proxy (TRUST_PROXY).
   */
  trustProxyAuthHeader: string | null;
}

export interface SyncConfig {
  /** Absolute path of the folder to import from; only ever read. */
  path: string;
  /** 6-field cron with seconds (SYNC_INTERVAL), validated with croner; server time zone. */
  schedule: string;
  /** Start a run when the server starts (SYNC_ON_START). */
  onStart: boolean;
  /** Folder levels below `path` that are walked; 0 = only the folder itself (SYNC_MAX_DEPTH). */
  maxDepth: number;
  /** How long a new file's size and mtime must stay unchanged before it is imported (SYNC_STABLE_MS). */
  stableMs: number;
}

/** Web hardening settings; docs/security.md explains each. */
export interface SecurityConfig {
  /**
   * Origins (scheme://host[:port]) other than the app's own that may call the API from a browser
   * (CORS_ALLOWED_ORIGINS, comma list). Empty: no CORS headers at all, and cross-origin writes are refused.
   */
  corsAllowedOrigins: string[];
  /**
   * Host names (optionally with :port) the server answers to (ALLOWED_HOSTS, comma list); others get 421.
   * Guards against DNS rebinding. Empty: any Host is accepted.
   */
  allowedHosts: string[];
  /**
   * Fastify's trustProxy (TRUST_PROXY): false (default), true, a hop count, or a comma list of proxy IPs/CIDRs.
   * Set it behind a reverse proxy so client IPs (rate limits) and https (HSTS) are seen.
   */
  trustProxy: boolean | number | string[];
  /** Maplibre style URL of an optional basemap (MAP_STYLE_URL); its origin is allowed in the CSP. */
  mapStyleUrl: string | null;
  /** Longest time to receive one whole request, body included (REQUEST_TIMEOUT_S); also the socket idle limit. */
  requestTimeoutMs: number;
  /** Requests per minute per client; 0 turns a limit off. */
  rateLimits: {
    /** POST /api/v1/imports and /imports/retry (RATE_LIMIT_IMPORTS). */
    imports: number;
    /** Backup download and restore (RATE_LIMIT_BACKUP). */
    backup: number;
    /** Bulk exports and reports (RATE_LIMIT_EXPORTS). */
    exports: number;
    /** Login-like routes, applied by the auth routes through `fastify.rateLimits.auth` (RATE_LIMIT_AUTH). */
    auth: number;
  };
  /** Load shedding (503 + Retry-After): mean event-loop delay in ms (LOAD_SHED_EVENT_LOOP_DELAY_MS); 0 = off. */
  maxEventLoopDelayMs: number;
  /** Load shedding: V8 heap in use, bytes (LOAD_SHED_HEAP_MB); null = 90 % of the heap limit, 0 = off. */
  maxHeapUsedBytes: number | null;
}

/** Open DroneLog's default schedule: every 8 hours, on the hour. */
export const DEFAULT_SYNC_INTERVAL = '0 0 */8 * * *';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
  }
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}")`);
}

/**
 * A 6-field cron with seconds (or 7 with a year), like Open DroneLog's SYNC_INTERVAL. croner parses it here so
 * a typo stops the server at start-up instead of silently never syncing.
 */
function cron(env: Env, name: string, fallback: string): string {
  const raw = str(env, name) ?? fallback;
  const fields = raw.split(/\s+/).length;
  const example = `e.g. "${DEFAULT_SYNC_INTERVAL}" for every 8 hours or "0 */30 * * * *" for every 30 minutes`;
  if (fields !== 6 && fields !== 7) {
    throw new ConfigError(
      `${name} must be a cron expression with 6 fields (seconds first), ${example}; got "${raw}" (${fields} field${fields === 1 ? '' : 's'})`,
    );
  }
  try {
    new Cron(raw, { paused: true, mode: '6-or-7-parts' }).stop();
  } catch (err) {
    throw new ConfigError(`${name} is not a valid cron expression (${(err as Error).message}), ${example}; got "${raw}"`);
  }
  return raw;
}

function syncConfig(env: Env, cwd: string): SyncConfig | null {
  const dir = str(env, 'SYNC_LOGS_PATH');
  // Validated even when sync is off, so a wrong value is noticed before someone turns sync on.
  const schedule = cron(env, 'SYNC_INTERVAL', DEFAULT_SYNC_INTERVAL);
  const onStart = bool(env, 'SYNC_ON_START', false);
  const maxDepth = int(env, 'SYNC_MAX_DEPTH', 8, 0, 64);
  const stableMs = int(env, 'SYNC_STABLE_MS', 5_000, 0, 600_000);
  if (dir === undefined) return null;
  return { path: path.resolve(cwd, dir), schedule, onStart, maxDepth, stableMs };
}

function list(env: Env, name: string): string[] {
  return (str(env, name) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

const APP_SCHEME = /^(?!(?:https?|file|data|javascript|blob|about|ftp|ws|wss|filesystem):)[a-z][a-z0-9+.-]*:$/;

/** scheme://host[:port], exactly as a browser sends it in `Origin` (lowercase, default port dropped). */
function origins(env: Env, name: string): string[] {
  return list(env, name).map((raw) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new ConfigError(`${name}: "${raw}" is not an origin; write it as scheme://host[:port], e.g. https://logbook.example.org`);
    }
    // An app's own scheme (the opendronelog-sync uploader's macOS/Linux web view is tauri://localhost) is an origin
    // too; schemes that are no site at all (file:, data:, javascript:, blob:) never are.
    if (APP_SCHEME.test(u.protocol) && u.host !== '' && !u.port && !u.username && !u.password && !u.search && !u.hash && (u.pathname === '' || u.pathname === '/') && !raw.endsWith('/')) {
      return `${u.protocol}//${u.host}`.toLowerCase();
    }
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || raw.endsWith('/')) {
      throw new ConfigError(`${name}: "${raw}" is not an origin; write it as scheme://host[:port] without a path, e.g. https://logbook.example.org`);
    }
    return u.origin;
  });
}

function trustProxy(env: Env): boolean | number | string[] {
  const raw = str(env, 'TRUST_PROXY');
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 1, 1, 32);
  const hops = list(env, 'TRUST_PROXY');
  for (const h of hops) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(h) && !['loopback', 'linklocal', 'uniquelocal'].includes(h)) {
      throw new ConfigError(`TRUST_PROXY must be true, false, a hop count or a comma list of proxy IPs/CIDRs (got "${raw}")`);
    }
  }
  return hops;
}

function securityConfig(env: Env): SecurityConfig {
  const mapStyleUrl = str(env, 'MAP_STYLE_URL') ?? null;
  if (mapStyleUrl !== null) {
    let ok = false;
    try {
      ok = ['https:', 'http:'].includes(new URL(mapStyleUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigError(`MAP_STYLE_URL must be an http(s) URL of a maplibre style (got "${mapStyleUrl}")`);
  }
  const heapMb = str(env, 'LOAD_SHED_HEAP_MB') === undefined ? null : int(env, 'LOAD_SHED_HEAP_MB', 0, 0, 1_048_576);
  return {
    corsAllowedOrigins: origins(env, 'CORS_ALLOWED_ORIGINS'),
    allowedHosts: list(env, 'ALLOWED_HOSTS').map((h) => h.toLowerCase()),
    trustProxy: trustProxy(env),
    mapStyleUrl,
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_S', 3600, 10, 86_400) * 1000,
    rateLimits: {
      imports: int(env, 'RATE_LIMIT_IMPORTS', 120, 0, 1_000_000),
      backup: int(env, 'RATE_LIMIT_BACKUP', 10, 0, 1_000_000),
      exports: int(env, 'RATE_LIMIT_EXPORTS', 60, 0, 1_000_000),
      auth: int(env, 'RATE_LIMIT_AUTH', 10, 0, 1_000_000),
    },
    maxEventLoopDelayMs: int(env, 'LOAD_SHED_EVENT_LOOP_DELAY_MS', 1000, 0, 600_000),
    maxHeapUsedBytes: heapMb === null ? null : heapMb * 1024 * 1024,
  };
}

function pmtilesPath(env: Env, cwd: string): string | null {
  const file = str(env, 'MAP_PMTILES_PATH');
  if (file === undefined) return null;
  if (str(env, 'MAP_STYLE_URL') !== undefined) {
    throw new ConfigError('Set MAP_STYLE_URL or MAP_PMTILES_PATH, not both: the map uses one basemap');
  }
  return path.resolve(cwd, file);
}

export const DEFAULT_DJI_KEYCHAIN_ENDPOINT = 'https://dev.dji.com/openapi/v1/flight-records/keychains';

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const dataDir = path.resolve(cwd, str(env, 'DATA_DIR') ?? 'data');
  const endpoint = str(env, 'DJI_KEYCHAIN_ENDPOINT') ?? DEFAULT_DJI_KEYCHAIN_ENDPOINT;
  try {
    const u = new URL(endpoint);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
  } catch {
    throw new ConfigError(`DJI_KEYCHAIN_ENDPOINT must be an http(s) URL (got "${endpoint}")`);
  }
  const webDirEnv = str(env, 'WEB_DIR');
  return {
    host: str(env, 'HOST') ?? '0.0.0.0',
    port: int(env, 'PORT', 8080, 0, 65535),
    dataDir,
    databaseFile: path.join(dataDir, 'dronelog.duckdb'),
    duckdbMemoryLimitMb: int(env, 'DUCKDB_MEMORY_LIMIT_MB', 256, 64, 65_536),
    originalsDir: path.join(dataDir, 'originals'),
    uploadTmpDir: path.join(dataDir, 'tmp'),
    djiApiKey: str(env, 'DJI_API_KEY') ?? null,
    djiKeychainEndpoint: endpoint,
    djiKeychainTimeoutMs: int(env, 'DJI_KEYCHAIN_TIMEOUT_MS', 15_000, 100, 300_000),
    keepUploadedFiles: bool(env, 'KEEP_UPLOADED_FILES', true),
    maxUploadBytes: int(env, 'MAX_UPLOAD_MB', 200, 1, 4096) * 1024 * 1024,
    maxFilesPerRequest: int(env, 'MAX_FILES_PER_REQUEST', 100, 1, 10_000),
    parseTimeoutMs: int(env, 'PARSE_TIMEOUT_MS', 60_000, 1_000, 600_000),
    parseConcurrency: int(env, 'PARSE_CONCURRENCY', 1, 1, 8),
    // ~4.5 KB of JS heap per decoded frame: 256 MiB parses ≈ 50 000 frames (≈ 80 min at 10 Hz; a 60-min flight needs
    // ≈ 190 MiB), and stops a pathological log long before it takes the 512 MiB pod down.
    parseWorkerMaxHeapMb: int(env, 'PARSE_WORKER_MAX_HEAP_MB', 256, 32, 8192),
    // A worker takes the next file only while it is small (WASM + JS heap < 160 MiB after its last parse).
    parseWorkerMaxParses: int(env, 'PARSE_WORKER_MAX_PARSES', 20, 1, 1000),
    logLevel: str(env, 'LOG_LEVEL') ?? 'info',
    backupTmpDir: path.join(dataDir, 'tmp', 'backup'),
    maxRestoreBytes: int(env, 'MAX_RESTORE_MB', 4096, 1, 1_048_576) * 1024 * 1024,
    metricsEnabled: bool(env, 'METRICS_ENABLED', true),
    webDir: webDirEnv === 'off' ? null : webDirEnv ? path.resolve(cwd, webDirEnv) : DEFAULT_WEB_DIR,
    sync: syncConfig(env, cwd),
    security: securityConfig(env),
    mapPmtilesPath: pmtilesPath(env, cwd),
    auth: authConfig(env),
    odlCompatApi: bool(env, 'ODL_COMPAT_API', false),
  };
}

function authConfig(env: Env): AuthConfig {
  const header = str(env, 'TRUST_PROXY_AUTH_HEADER');
  if (header !== undefined && !/^[A-Za-z0-9-]+$/.test(header)) {
    throw new ConfigError(`TRUST_PROXY_AUTH_HEADER must be an HTTP header name such as X-authentik-username (got "${header}")`);
  }
  const trustProxy = str(env, 'TRUST_PROXY');
  if (header !== undefined && (trustProxy === undefined || ['0', 'false', 'no', 'off'].includes(trustProxy.toLowerCase()))) {
    throw new ConfigError('TRUST_PROXY_AUTH_HEADER needs TRUST_PROXY (the proxy addresses whose header is believed)');
  }
  // Taken raw (not trimmed): a password may start or end with a space.
  const secret = (name: string) => (env[name] === undefined || env[name] === '' ? null : env[name]!);
  return {
    profileCreationPass: secret('PROFILE_CREATION_PASS'),
    defaultProfilePassword: secret('DEFAULT_PROFILE_PASSWORD'),
    sessionTtlMs: int(env, 'SESSION_TTL_HOURS', 24, 1, 24 * 365) * 3_600_000,
    maxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
    lockoutMs: int(env, 'LOGIN_LOCKOUT_S', 60, 1, 86_400) * 1000,
    trustProxyAuthHeader: header?.toLowerCase() ?? null,
  };
}
