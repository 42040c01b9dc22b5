/**
 * Profiles and logging in, the pure part: when a 401 sends the browser to /login, the `next` page to come back to
 * (only ever a path of this app: no open redirect), and the checks the forms make before asking the server.
 * Nothing here stores anything: the session is an HttpOnly cookie the page never sees.
 */

export const LOGIN_PATH = '/login';

/** The API's 401 codes that mean "this browser has no usable profile" (not a wrong password). */
const AUTH_CODES: ReadonlySet<string> = new Set(['login-required', 'session-expired']);

/** Whether an API error means the browser must log in (again) before it can see the logbook. */
export function isAuthFailure(status: number, code: string): boolean {
  return status === 401 && AUTH_CODES.has(code);
}

/** Any origin will do: only used to parse a relative path and check that it stays on it. */
const BASE = 'http://dronelog.invalid';

/**
 * `next` as a path of this app (path, query and hash), or '/' when it is anything else: absolute and
 * protocol-relative URLs (`https://x`, `//x`, `/\x`), backslashes, control characters (browsers drop tabs and
 * new lines, `/\t/x` would become `//x`), the API, or the login page itself (no loop).
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || raw.length > 2048) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || /[\u0000-\u001f\u007f]/.test(raw)) return '/';
  let u: URL;
  try {
    u = new URL(raw, BASE);
  } catch {
    return '/';
  }
  if (u.origin !== BASE || !u.pathname.startsWith('/') || u.pathname.startsWith('//')) return '/';
  if (isLoginPath(u.pathname) || u.pathname === '/api' || u.pathname.startsWith('/api/')) return '/';
  return `${u.pathname}${u.search}${u.hash}`;
}

export function isLoginPath(pathname: string): boolean {
  return pathname === LOGIN_PATH || pathname.startsWith(`${LOGIN_PATH}/`);
}

/** The login page that comes back to `target` afterwards (no `next` for the flight list), optionally with a profile chosen. */
export function loginHref(target?: Pick<URL, 'pathname' | 'search' | 'hash'> | null, profile?: string | null): string {
  const p = new URLSearchParams();
  if (profile) p.set('profile', profile);
  const next = target ? safeNext(`${target.pathname}${target.search}${target.hash}`) : '/';
  if (next !== '/') p.set('next', next);
  const s = p.toString();
  return s ? `${LOGIN_PATH}?${s}` : LOGIN_PATH;
}

/**
 * The 401 → login decision: where to send the browser after an API error while it shows (or goes to) `target`;
 * null when the error is not about logging in, or when the browser is already on (or going to) the login page.
 */
export function loginRedirect(status: number, code: string, target: Pick<URL, 'pathname' | 'search' | 'hash'>): string | null {
  if (!isAuthFailure(status, code) || isLoginPath(target.pathname)) return null;
  return loginHref(target);
}

/**
 * Where to stay after switching profiles: the same page, except a single flight (it belongs to the profile just
 * left; the other one has its own ids), which goes back to the list.
 */
export function pageAfterSwitch(url: Pick<URL, 'pathname' | 'search' | 'hash'>): string {
  if (/^\/flights\/[^/]+/.test(url.pathname) && url.pathname !== '/flights/new') return '/';
  return safeNext(`${url.pathname}${url.search}${url.hash}`);
}

/** The API's rule for profile names (packages/contracts ProfileName); a message for the pilot, or null. */
export function profileNameProblem(name: string): string | null {
  const n = name.trim();
  if (n === '') return 'Give the profile a name.';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(n)) return 'A profile name is 1–32 letters, digits, "-" or "_", starting with a letter or digit.';
  return null;
}

export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 256;

/** A new password and its repetition; a message for the pilot, or null when both are fine. */
export function newPasswordProblem(password: string, repeat: string): string | null {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) return `A password is ${MIN_PASSWORD}–${MAX_PASSWORD} characters long.`;
  if (password !== repeat) return 'The two passwords are not the same.';
  return null;
}

/** When a lockout ends, as the pilot's clock time ("14:05:30"), from the API's Retry-After seconds. */
export function retryAtText(retryAfterS: number, now: Date = new Date(), locale?: string): string {
  const at = new Date(now.getTime() + Math.max(0, retryAfterS) * 1000);
  return at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
