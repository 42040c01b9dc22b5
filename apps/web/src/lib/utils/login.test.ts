import { describe, expect, it } from 'vitest';
import { isAuthFailure, loginHref, loginRedirect, newPasswordProblem, pageAfterSwitch, profileNameProblem, retryAtText, safeNext } from './login.js';

const at = (href: string) => new URL(href, 'http://127.0.0.1:8080');

describe('isAuthFailure', () => {
  it('is true only for 401 login-required and session-expired', () => {
    expect(isAuthFailure(401, 'login-required')).toBe(true);
    expect(isAuthFailure(401, 'session-expired')).toBe(true);
  });

  it('is false for a wrong password, a lockout or other errors (those are shown where they happen)', () => {
    expect(isAuthFailure(401, 'wrong-password')).toBe(false);
    expect(isAuthFailure(401, 'password-required')).toBe(false);
    expect(isAuthFailure(423, 'locked')).toBe(false);
    expect(isAuthFailure(403, 'login-required')).toBe(false);
    expect(isAuthFailure(500, 'http')).toBe(false);
  });
});

describe('safeNext', () => {
  it('keeps a path of this app with its query and hash', () => {
    expect(safeNext('/flights/12')).toBe('/flights/12');
    expect(safeNext('/?from=2018-06-01&to=2018-06-30')).toBe('/?from=2018-06-01&to=2018-06-30');
    expect(safeNext('/settings#profiles')).toBe('/settings#profiles');
  });

  it('falls back to the flight list for anything missing or empty', () => {
    expect(safeNext(null)).toBe('/');
    expect(safeNext(undefined)).toBe('/');
    expect(safeNext('')).toBe('/');
  });

  it('never leaves the app: absolute, protocol-relative and scheme URLs go to the list', () => {
    for (const evil of [
      'https://evil.example/',
      'http:evil.example',
      '//evil.example/path',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'flights/12',
      ' /flights',
    ]) {
      expect(safeNext(evil), evil).toBe('/');
    }
  });

  it('keeps encoded slashes as a path (they never become another host)', () => {
    const s = safeNext('/%2F%2Fevil.example');
    expect(s.startsWith('/')).toBe(true);
    expect(s.startsWith('//')).toBe(false);
    expect(new URL(s, 'http://app.local').host).toBe('app.local');
  });

  it('normalises dot segments and never answers with a path that starts with two slashes', () => {
    expect(safeNext('/a/../settings')).toBe('/settings');
    expect(safeNext('/./flights')).toBe('/flights');
    expect(safeNext('/.//evil.example')).toBe('/');
  });

  it('does not return to the login page (no loop) or to an API address', () => {
    expect(safeNext('/login')).toBe('/');
    expect(safeNext('/login?next=/settings')).toBe('/');
    expect(safeNext('/api/v1/backup')).toBe('/');
  });

  it('refuses overlong values', () => {
    expect(safeNext(`/${'a'.repeat(5000)}`)).toBe('/');
  });
});

describe('loginHref', () => {
  it('carries the page to come back to, encoded, and leaves it off for the list', () => {
    expect(loginHref(at('/flights/3?x=1'))).toBe('/login?next=%2Fflights%2F3%3Fx%3D1');
    expect(loginHref(at('/'))).toBe('/login');
    expect(loginHref(null)).toBe('/login');
  });

  it('can name the profile to log into', () => {
    expect(loginHref(at('/overview'), 'alice')).toBe('/login?profile=alice&next=%2Foverview');
  });

  it('round-trips through URLSearchParams and safeNext', () => {
    const href = loginHref(at('/report?from=2024-01-01#top'));
    const next = new URL(href, 'http://x').searchParams.get('next');
    expect(safeNext(next)).toBe('/report?from=2024-01-01#top');
  });
});

describe('loginRedirect (the 401 → /login decision)', () => {
  it('sends login-required and session-expired to /login with the page to return to', () => {
    expect(loginRedirect(401, 'login-required', at('/equipment'))).toBe('/login?next=%2Fequipment');
    expect(loginRedirect(401, 'session-expired', at('/'))).toBe('/login');
  });

  it('leaves other errors to the page', () => {
    expect(loginRedirect(401, 'wrong-password', at('/settings'))).toBeNull();
    expect(loginRedirect(404, 'not-found', at('/flights/9'))).toBeNull();
  });

  it('does nothing while already on (or going to) the login page', () => {
    expect(loginRedirect(401, 'login-required', at('/login?next=%2Fsettings'))).toBeNull();
  });
});

describe('pageAfterSwitch', () => {
  it('stays on list-like pages with their filters', () => {
    expect(pageAfterSwitch(at('/overview'))).toBe('/overview');
    expect(pageAfterSwitch(at('/?q=lake'))).toBe('/?q=lake');
    expect(pageAfterSwitch(at('/flights/new'))).toBe('/flights/new');
  });

  it('leaves a single flight (it belongs to the other profile) for the list', () => {
    expect(pageAfterSwitch(at('/flights/42'))).toBe('/');
  });
});

describe('form checks', () => {
  it('profile names follow the API rule', () => {
    expect(profileNameProblem('alice')).toBeNull();
    expect(profileNameProblem('  alice-2_b ')).toBeNull();
    expect(profileNameProblem('')).toMatch(/name/);
    expect(profileNameProblem('-alice')).toMatch(/letters, digits/);
    expect(profileNameProblem('a b')).toMatch(/letters, digits/);
    expect(profileNameProblem('x'.repeat(33))).toMatch(/1–32/);
  });

  it('new passwords are 8–256 characters and typed twice the same', () => {
    expect(newPasswordProblem('correct horse', 'correct horse')).toBeNull();
    expect(newPasswordProblem('short', 'short')).toMatch(/8–256/);
    expect(newPasswordProblem('x'.repeat(257), 'x'.repeat(257))).toMatch(/8–256/);
    expect(newPasswordProblem('correct horse', 'correct hose')).toMatch(/not the same/);
  });

  it('a lockout ends at the clock time Retry-After points to', () => {
    const now = new Date(2024, 8, 1, 14, 4, 30);
    expect(retryAtText(60, now, 'en-GB')).toBe('14:05:30');
    expect(retryAtText(-5, now, 'en-GB')).toBe('14:04:30');
  });
});
