/**
 * The web-hardening rules as pure functions (no Fastify, no I/O), so each can be tested on its own:
 * the cross-site request check (CSRF), the Content-Security-Policy of the app and of /api/docs, the hashes of
 * the web app's inline scripts, and which routes get which rate limit. security.ts wires them. docs/security.md
 * explains the reasoning.
 */
import { createHash } from 'node:crypto';

/** Methods that change state. Every one of them passes the cross-site check. */
export const STATE_CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type CrossSiteVerdict = { ok: true; browser: boolean } | { ok: false; reason: string };

export interface CrossSiteInput {
  method: string;
  /** `Sec-Fetch-Site`, as sent (browsers since 2020–2023 send it on every request). */
  secFetchSite: string | undefined;
  /** `Origin`, as sent (browsers send it on every POST/PUT/PATCH/DELETE, same-origin included). */
  origin: string | undefined;
  /** The Host the request was sent to (`request.host`: the Host header, or X-Forwarded-Host behind a trusted proxy). */
  host: string | undefined;
}

/** `Origin`'s host vs. the request's Host, both normalised the way URL does it (lowercase, default port dropped). */
function sameHost(origin: URL, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(`${origin.protocol}//${host}`).host === origin.host;
  } catch {
    return false;
  }
}

/**
 * Decides whether a state-changing request may run. Browsers are the only CSRF vector, and every browser that
 * runs Dronelog's web app marks its requests: `Origin` on every non-GET request and `Sec-Fetch-Site` on every
 * request. So:
 *
 * - `Sec-Fetch-Site: cross-site` or `same-site` → refused, unless `Origin` is allow-listed (CORS_ALLOWED_ORIGINS);
 *   `same-site` is refused too because a sibling sub-domain (another app on the same home-lab domain) is a
 *   different security boundary.
 * - `Origin` present → it must be this server (same host as the request) or allow-listed; `Origin: null`
 *   (sandboxed frames, file:// pages, privacy redirects) is refused.
 * - Neither header → allowed: the request did not come from a browser (curl, the opendronelog-sync uploader,
 *   scripts), and a non-browser client cannot be tricked into sending the user's ambient credentials.
 *
 * Safe methods (GET, HEAD, OPTIONS) are not checked here: they change nothing, and the same-origin policy (no
 * CORS headers unless allow-listed) keeps other sites from reading the answers.
 */
export function checkCrossSite(input: CrossSiteInput, allowedOrigins: ReadonlySet<string>): CrossSiteVerdict {
  if (!STATE_CHANGING_METHODS.has(input.method.toUpperCase())) return { ok: true, browser: false };
  const site = input.secFetchSite?.trim().toLowerCase();
  const rawOrigin = input.origin?.trim();
  if (site === undefined && rawOrigin === undefined) return { ok: true, browser: false };

  let origin: URL | null = null;
  if (rawOrigin !== undefined) {
    if (rawOrigin === 'null') return refuse('it came from a page without an origin (Origin: null)');
    try {
      origin = new URL(rawOrigin);
    } catch {
      return refuse(`its Origin header is not an origin ("${clip(rawOrigin)}")`);
    }
  }
  // URL#origin is "null" for non-web schemes (an app's tauri://localhost): compare those as scheme://host.
  const allowListed = origin !== null && allowedOrigins.has(origin.origin !== 'null' ? origin.origin : `${origin.protocol}//${origin.host}`.toLowerCase());

  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    // 'cross-site', 'same-site', or a value we do not know: only an allow-listed origin may go on.
    if (!allowListed) {
      return refuse(
        origin
          ? `it came from another site (${origin.origin})`
          : `the browser marked it as coming from another site (Sec-Fetch-Site: ${clip(site)})`,
      );
    }
  }
  if (origin !== null && !allowListed && !sameHost(origin, input.host)) {
    return refuse(`it came from ${origin.origin}, which is not this server`);
  }
  return { ok: true, browser: true };
}

function refuse(why: string): CrossSiteVerdict {
  return {
    ok: false,
    reason:
      `Refused: ${why}. Dronelog accepts changes only from its own pages. ` +
      'To use it from another web origin, add that origin to CORS_ALLOWED_ORIGINS.',
  };
}

function clip(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 100 ? `${clean.slice(0, 97)}...` : clean;
}

// ---------------------------------------------------------------------------------------------------------------
// Host check (DNS rebinding)

/** True when the request's Host is one of ALLOWED_HOSTS (entries with a port match exactly, without one any port). */
export function hostAllowed(host: string | undefined, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.length === 0) return true;
  if (!host) return false;
  const h = host.toLowerCase();
  let hostname: string;
  try {
    hostname = new URL(`http://${h}`).hostname;
  } catch {
    return false;
  }
  return allowedHosts.some((a) => a === h || a === hostname);
}

// ---------------------------------------------------------------------------------------------------------------
// Content-Security-Policy

export type CspDirectives = Record<string, string[]>;

/**
 * The web app's policy: everything from this server only. maplibre's worker is a same-origin file (the web app
 * calls setWorkerUrl, so no blob: worker is needed — checked in chromium by security-csp-browser.test.ts);
 * maplibre/deck.gl draw from blob:/data: images; the inline scripts SvelteKit writes into the page (theme,
 * start-up) are allowed by hash. A configured basemap (MAP_STYLE_URL) adds its origin to connect-src and img-src
 * — the only third-party origin the page may ever talk to. Inline *style attributes* are allowed (Svelte renders
 * them); inline <script> and event-handler attributes are not.
 */
export function appCsp(opts: { scriptHashes: readonly string[]; mapOrigin: string | null; upgradeInsecure: boolean }): CspDirectives {
  const map = opts.mapOrigin ? [opts.mapOrigin] : [];
  const d: CspDirectives = {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'", ...opts.scriptHashes],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'style-src-elem': ["'self'"],
    'style-src-attr': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...map],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...map],
    'worker-src': ["'self'"],
    'child-src': ["'self'"],
    'manifest-src': ["'self'"],
    'media-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
  };
  if (opts.upgradeInsecure) d['upgrade-insecure-requests'] = [];
  return d;
}

/** /api/docs (swagger-ui): its own scripts and styles, inline styles and data: images; nothing third-party. */
export function docsCsp(): CspDirectives {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
  };
}

/** Serialises directives the way they go on the wire. */
export function cspHeader(d: CspDirectives): string {
  return Object.entries(d)
    .map(([k, v]) => (v.length ? `${k} ${v.join(' ')}` : k))
    .join('; ');
}

/** The origin of MAP_STYLE_URL (null when unset). */
export function mapOrigin(mapStyleUrl: string | null): string | null {
  return mapStyleUrl ? new URL(mapStyleUrl).origin : null;
}

/**
 * CSP hashes ('sha256-…') of the executable inline <script> elements of an HTML page (those without src and
 * without a data type such as application/json). The hash covers the exact text between the tags.
 */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    const attrs = m[1] ?? '';
    if (/\bsrc\s*=/i.test(attrs)) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase();
    if (type && type !== 'module' && type !== 'text/javascript' && type !== 'application/javascript') continue;
    out.push(`'sha256-${createHash('sha256').update(m[2] ?? '', 'utf8').digest('base64')}'`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Rate limits per route

export type LimiterName = 'imports' | 'backup' | 'exports' | 'auth';

/**
 * Which limiter guards which route, in one table (the routes themselves stay free of it). The auth routes are
 * not listed: they apply `fastify.rateLimits.auth` themselves when they land.
 */
export const ROUTE_LIMITS: ReadonlyArray<{ method: string; url: string; prefix?: boolean; limiter: LimiterName }> = [
  { method: 'POST', url: '/api/v1/imports', limiter: 'imports' },
  { method: 'POST', url: '/api/v1/imports/retry', limiter: 'imports' },
  { method: 'GET', url: '/api/v1/backup', limiter: 'backup' },
  { method: 'POST', url: '/api/v1/backup/restore', limiter: 'backup' },
  { method: 'GET', url: '/api/v1/exports', prefix: true, limiter: 'exports' },
  { method: 'POST', url: '/api/v1/exports', prefix: true, limiter: 'exports' },
  { method: 'GET', url: '/api/v1/report', prefix: true, limiter: 'exports' },
  { method: 'POST', url: '/api/v1/report', prefix: true, limiter: 'exports' },
];

/** The limiter for a route (method + full URL pattern as registered), or null. */
export function limiterFor(method: string, url: string): LimiterName | null {
  const m = method.toUpperCase();
  for (const r of ROUTE_LIMITS) {
    if (r.method !== m) continue;
    if (r.prefix ? url === r.url || url.startsWith(`${r.url}/`) || url.startsWith(`${r.url}.`) : url === r.url) return r.limiter;
  }
  return null;
}
