import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { loadConfig } from '../src/config/config.js';
import { checkCrossSite, hostAllowed, inlineScriptHashes, limiterFor } from '../src/plugins/security-policy.js';
import { JSON_BODY_LIMIT, securityServerOptions } from '../src/plugins/security.js';
import { count, multipart, sql } from './imports-helpers.js';
import { buildSecureApp, fakeWebBuild, filesBelow, rawMultipart, type SecureTestApp } from './security-helpers.js';

const EVIL = 'https://evil.example';
const CROSS_SITE = { origin: EVIL, 'sec-fetch-site': 'cross-site' };

function csp(res: { headers: Record<string, unknown> }): Map<string, string[]> {
  const raw = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    raw
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name!, values] as const;
      }),
  );
}

/** A small synthetic log, different for every seed. */
function syntheticLog(seed: string, version = 10): Uint8Array {
  return writeDjiLog(demoFlight({ seed, durationS: 20 }), { version }).bytes;
}

/** A concrete URL for a route pattern (params filled with harmless values). */
function concrete(url: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? '1' : name === 'kind' ? 'aircraft' : 'x')).replace(/\*/g, 'x');
}

describe('security headers', () => {
  let t: SecureTestApp;
  let webTmp: string;
  let inlineScript: string;
  beforeAll(async () => {
    webTmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-sec-web-'));
    const web = await fakeWebBuild(webTmp);
    inlineScript = web.inlineScript;
    t = await buildSecureApp({ WEB_DIR: web.dir });
  });
  afterAll(async () => {
    await t?.close();
    await fs.rm(webTmp, { recursive: true, force: true });
  });

  it('sends a same-origin-only CSP on the web app, with the inline script allowed by its hash', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/flights/1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const p = csp(res);
    const hash = `'sha256-${createHash('sha256').update(inlineScript).digest('base64')}'`;
    expect(p.get('default-src')).toEqual(["'self'"]);
    expect(p.get('script-src')).toEqual(["'self'", hash]);
    expect(p.get('script-src-attr')).toEqual(["'none'"]);
    expect(p.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(p.get('connect-src')).toEqual(["'self'"]);
    expect(p.get('worker-src')).toEqual(["'self'"]);
    expect(p.get('object-src')).toEqual(["'none'"]);
    expect(p.get('frame-ancestors')).toEqual(["'none'"]);
    expect(p.get('base-uri')).toEqual(["'self'"]);
    expect(p.get('form-action')).toEqual(["'self'"]);
    // Plain-http LAN installs must keep working: no upgrade of their own requests.
    expect(p.has('upgrade-insecure-requests')).toBe(false);
    // No third-party origin anywhere in the policy.
    expect([...p.values()].flat().filter((v) => /^https?:/.test(v))).toEqual([]);
  });

  it('sends nosniff, no-referrer, DENY framing and no X-Powered-By or HSTS on plain http, on API answers too', async () => {
    for (const url of ['/healthz', '/api/v1/flights', '/api/v1/nope']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy'], url).toBe('same-origin');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(csp(res).get('frame-ancestors'), url).toEqual(["'none'"]);
    }
  });

  it('gives /api/docs its own CSP (inline styles, data: images, nothing third-party) and keeps it working', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const p = csp(page);
    expect(p.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(p.get('img-src')).toEqual(["'self'", 'data:']);
    expect(p.get('script-src')).toEqual(["'self'"]);
    expect(p.get('frame-ancestors')).toEqual(["'none'"]);
    expect([...p.values()].flat().filter((v) => /^https?:/.test(v))).toEqual([]);
    // Every script the page loads is served from /api/docs itself.
    const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const res = await t.app.inject({ method: 'GET', url: new URL(src, 'http://localhost/api/docs/').pathname });
      expect(res.statusCode, src).toBe(200);
    }
    const json = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(json.json().paths['/api/v1/imports']).toBeDefined();
  });
});

describe('security headers with a basemap and behind a TLS proxy', () => {
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await buildSecureApp({ MAP_STYLE_URL: 'https://tiles.example.org/styles/liberty.json', TRUST_PROXY: 'true' });
  });
  afterAll(async () => t?.close());

  it('adds the MAP_STYLE_URL origin to connect-src and img-src only', async () => {
    const p = csp(await t.app.inject({ method: 'GET', url: '/healthz' }));
    expect(p.get('connect-src')).toEqual(["'self'", 'https://tiles.example.org']);
    expect(p.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://tiles.example.org']);
    expect(p.get('script-src')).toEqual(["'self'"]);
    expect(p.get('default-src')).toEqual(["'self'"]);
  });

  it('sends HSTS only for requests that reached the proxy over https', async () => {
    const https = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers['strict-transport-security']).toBe('max-age=31536000');
    const http = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-forwarded-proto': 'http' } });
    expect(http.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('CORS', () => {
  it('sends no CORS headers at all by default, to any origin, and answers no preflight', async () => {
    const t = await buildSecureApp();
    try {
      const get = await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: { origin: EVIL } });
      expect(get.statusCode).toBe(200);
      expect(Object.keys(get.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      const pre = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/imports',
        headers: { origin: EVIL, 'access-control-request-method': 'POST' },
      });
      expect(pre.statusCode).toBe(404);
      expect(Object.keys(pre.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('allows exactly the CORS_ALLOWED_ORIGINS, never a wildcard, never credentials', async () => {
    const t = await buildSecureApp({ CORS_ALLOWED_ORIGINS: 'https://app.example.org, http://localhost:5173' });
    try {
      const ok = await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: { origin: 'https://app.example.org' } });
      expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.org');
      expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
      expect(String(ok.headers.vary)).toMatch(/origin/i);
      const evil = await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: { origin: EVIL } });
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/imports',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      // An allow-listed origin may also write (it passes the cross-site check).
      const del = await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/flights/999',
        headers: { origin: 'https://app.example.org', 'sec-fetch-site': 'cross-site' },
      });
      expect(del.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('refuses a malformed CORS_ALLOWED_ORIGINS entry at start-up', () => {
    expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: '*' })).toThrow(/CORS_ALLOWED_ORIGINS/);
    expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(/without a path/);
    for (const bad of ['file://host', 'javascript://x', 'data://x', 'blob://x', 'tauri://localhost/path', 'tauri://localhost:1']) {
      expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: bad }), bad).toThrow(/CORS_ALLOWED_ORIGINS/);
    }
    // An app's own scheme (the uploader's web view on macOS/Linux) is accepted as an origin.
    expect(loadConfig({ CORS_ALLOWED_ORIGINS: 'tauri://localhost' }).security.corsAllowedOrigins).toEqual(['tauri://localhost']);
    expect(loadConfig({ CORS_ALLOWED_ORIGINS: 'HTTPS://A.example:443' }).security.corsAllowedOrigins).toEqual(['https://a.example']);
  });
});

describe('cross-site request check (CSRF)', () => {
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await buildSecureApp();
  });
  afterAll(async () => t?.close());

  it('refuses every state-changing route from another site with 403 and a clear message, before it runs', async () => {
    const writes = t.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    // The app has writes on imports, flights and sync at least; all of them are covered, whatever else lands.
    expect(writes.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(['POST /api/v1/imports', 'PATCH /api/v1/flights/:id', 'DELETE /api/v1/flights/:id']));
    console.log(`csrf: ${writes.length} state-changing routes checked: ${writes.map((r) => `${r.method} ${r.url}`).join(', ')}`);
    const body = await multipart([{ name: 'x.txt', bytes: syntheticLog('csrf') }]);
    for (const r of writes) {
      for (const headers of [CROSS_SITE, { origin: 'https://sub.localhost', 'sec-fetch-site': 'same-site' }, { origin: EVIL }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }]) {
        const res = await t.app.inject({ method: r.method as 'POST', url: concrete(r.url), headers: { ...headers, ...body.headers }, payload: body.payload });
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(headers)}`).toBe(403);
        const json = res.json();
        expect(json.error).toBe('cross-site-request');
        expect(json.message).toMatch(/^Refused: .+CORS_ALLOWED_ORIGINS/);
      }
    }
    expect(await count(t.app, 'imports')).toBe(0);
    expect(await count(t.app, 'flights')).toBe(0);
  });

  it('lets the app’s own pages (same origin) and non-browser clients (no Origin, no Sec-Fetch-Site) write', async () => {
    const sameOrigin = await multipart([{ name: 'a.txt', bytes: syntheticLog('same-origin') }]);
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { ...sameOrigin.headers, host: 'logbook.home.arpa:8080', origin: 'http://logbook.home.arpa:8080', 'sec-fetch-site': 'same-origin' },
      payload: sameOrigin.payload,
    });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().results[0].status).toBe('imported');
    const curl = await multipart([{ name: 'b.txt', bytes: syntheticLog('curl') }]);
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/imports', headers: curl.headers, payload: curl.payload });
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json().results[0].status).toBe('imported');
    // A bookmark/typed URL (Sec-Fetch-Site: none) is a user action, not a forged one.
    const none = await t.app.inject({ method: 'DELETE', url: '/api/v1/flights/999', headers: { 'sec-fetch-site': 'none' } });
    expect(none.statusCode).toBe(404);
  });

  it('does not check reads: a GET from another site is answered, but without CORS headers the browser hides it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: CROSS_SITE });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('runs checks added through fastify.csrfGuard (the slot for a session token check) after the origin check', async () => {
    const seen: string[] = [];
    const u = await buildSecureApp(
      {},
      {
        extend: (app) => {
          app.csrfGuard.addCheck(async (request) => {
            seen.push(request.url);
            if (request.headers['x-csrf-token'] !== 'good') {
              const { CrossSiteRequestError } = await import('../src/plugins/security.js');
              throw new CrossSiteRequestError('Refused: the CSRF token is missing or wrong.');
            }
          });
        },
      },
    );
    try {
      const bad = await u.app.inject({ method: 'DELETE', url: '/api/v1/flights/5' });
      expect(bad.statusCode).toBe(403);
      expect(bad.json().message).toMatch(/CSRF token/);
      const good = await u.app.inject({ method: 'DELETE', url: '/api/v1/flights/5', headers: { 'x-csrf-token': 'good' } });
      expect(good.statusCode).toBe(404);
      const cross = await u.app.inject({ method: 'DELETE', url: '/api/v1/flights/5', headers: { ...CROSS_SITE, 'x-csrf-token': 'good' } });
      expect(cross.statusCode).toBe(403);
      // The origin check refused the cross-site one first; reads never reach the check.
      await u.app.inject({ method: 'GET', url: '/api/v1/flights' });
      expect(seen).toEqual(['/api/v1/flights/5', '/api/v1/flights/5']);
    } finally {
      await u.close();
    }
  });

  it('decides by the rules in docs/security.md (unit)', () => {
    const allowed = new Set(['https://app.example.org']);
    const v = (method: string, secFetchSite?: string, origin?: string, host = 'logbook.lan:8080') =>
      checkCrossSite({ method, secFetchSite, origin, host }, allowed).ok;
    expect(v('GET', 'cross-site', EVIL)).toBe(true);
    expect(v('POST')).toBe(true);
    expect(v('POST', 'same-origin', 'http://logbook.lan:8080')).toBe(true);
    expect(v('POST', undefined, 'http://LOGBOOK.lan:8080')).toBe(true);
    expect(v('POST', undefined, 'https://logbook.lan', 'logbook.lan:443')).toBe(true);
    expect(v('POST', 'same-origin', 'http://logbook.lan:9999')).toBe(false);
    expect(v('POST', 'same-site', 'http://other.lan:8080')).toBe(false);
    expect(v('POST', 'cross-site', 'https://app.example.org')).toBe(true);
    expect(v('PUT', 'same-site')).toBe(false);
    expect(v('PATCH', 'weird-value')).toBe(false);
    expect(v('DELETE', undefined, 'null')).toBe(false);
    expect(v('DELETE', undefined, 'not a url')).toBe(false);
    expect(v('POST', 'none')).toBe(true);
  });
});

describe('Host allow-list (DNS rebinding)', () => {
  it('answers 421 to an unknown Host when ALLOWED_HOSTS is set, but always answers probes', async () => {
    const t = await buildSecureApp({ ALLOWED_HOSTS: 'logbook.home.arpa,192.168.1.20:8080' });
    try {
      const evil = await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: { host: 'rebind.evil.example:8080' } });
      expect(evil.statusCode).toBe(421);
      expect(evil.json()).toMatchObject({ error: 'unknown-host' });
      expect(evil.json().message).toMatch(/ALLOWED_HOSTS/);
      expect(evil.headers['x-content-type-options']).toBe('nosniff');
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: { host: 'logbook.home.arpa:8080' } })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: { host: '192.168.1.20:8080' } })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights', headers: { host: '192.168.1.20:9090' } })).statusCode).toBe(421);
      expect((await t.app.inject({ method: 'GET', url: '/healthz', headers: { host: '10.0.0.7:8080' } })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
    expect(hostAllowed('anything:1', [])).toBe(true);
  });
});

describe('request limits', () => {
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await buildSecureApp({ RATE_LIMIT_IMPORTS: '3', RATE_LIMIT_AUTH: '2', RATE_LIMIT_BACKUP: '1', REQUEST_TIMEOUT_S: '900' }, {
      extend: (app) => {
        // How the auth routes will use the named limiter once they land.
        app.post('/api/v1/test-login', { onRequest: app.rateLimits.auth }, async () => ({ ok: true }));
      },
    });
  });
  afterAll(async () => t?.close());

  it('refuses a JSON body over 1 MiB with 413', async () => {
    expect(JSON_BODY_LIMIT).toBe(1024 * 1024);
    const big = JSON.stringify({ notes: 'x'.repeat(JSON_BODY_LIMIT) });
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/flights/1', headers: { 'content-type': 'application/json' }, payload: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toMatch(/body/i);
  });

  it('sets request and idle timeouts for large uploads, and trusts no proxy by default', () => {
    const o = securityServerOptions(t.config);
    expect(o).toMatchObject({ requestTimeout: 900_000, connectionTimeout: 900_000, trustProxy: false, bodyLimit: 1024 * 1024 });
    expect(t.app.server.requestTimeout).toBe(900_000);
    expect(t.app.initialConfig.connectionTimeout).toBe(900_000);
    expect(typeof securityServerOptions(loadConfig({ TRUST_PROXY: '2' })).trustProxy).toBe('function');
    expect(securityServerOptions(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' })).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });

  it('rate-limits uploads per client with 429, Retry-After and a clear message; other routes are not counted', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      const body = await multipart([{ name: `r${i}.txt`, bytes: new Uint8Array([1, 2, 3, i]) }]);
      last = await t.app.inject({ method: 'POST', url: '/api/v1/imports', ...body });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.json()).toMatchObject({ error: 'rate-limited' });
    expect(last!.json().message).toMatch(/at most 3 per minute.+Try again in/);
    // Another client (another IP) still gets through; so do reads.
    const other = await multipart([{ name: 'other.txt', bytes: new Uint8Array([9]) }]);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/imports', remoteAddress: '192.0.2.7', ...other })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/imports' })).statusCode).toBe(200);
  });

  it('offers a named limiter for login routes (fastify.rateLimits.auth)', async () => {
    const s = [];
    for (let i = 0; i < 3; i++) s.push((await t.app.inject({ method: 'POST', url: '/api/v1/test-login' })).statusCode);
    expect(s).toEqual([200, 200, 429]);
  });

  it('maps routes to limiters in one table', () => {
    expect(limiterFor('POST', '/api/v1/imports')).toBe('imports');
    expect(limiterFor('POST', '/api/v1/imports/retry')).toBe('imports');
    expect(limiterFor('GET', '/api/v1/imports')).toBeNull();
    expect(limiterFor('POST', '/api/v1/backup/restore')).toBe('backup');
    expect(limiterFor('GET', '/api/v1/backup')).toBe('backup');
    expect(limiterFor('GET', '/api/v1/exports/summary.csv')).toBe('exports');
    expect(limiterFor('GET', '/api/v1/exportsfoo')).toBeNull();
  });

  it('rate-limits backup and restore when those routes exist', async () => {
    const restore = t.routes.find((r) => r.method === 'POST' && r.url === '/api/v1/backup/restore');
    if (!restore) return;
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/backup/restore', headers: { 'content-type': 'application/gzip' }, payload: Buffer.from('nope') });
    expect(a.statusCode).not.toBe(429);
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/backup/restore', headers: { 'content-type': 'application/gzip' }, payload: Buffer.from('nope') });
    expect(b.statusCode).toBe(429);
  });
});

describe('load shedding', () => {
  it('answers 503 with Retry-After while the event loop lags, keeps answering probes, and recovers', async () => {
    const t = await buildSecureApp({ LOAD_SHED_EVENT_LOOP_DELAY_MS: '50' });
    try {
      // Block the event loop well past under-pressure's 1 s sample.
      const until = Date.now() + 1600;
      while (Date.now() < until) {
        /* busy */
      }
      await new Promise((r) => setTimeout(r, 20));
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/flights' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(res.json()).toEqual({ error: 'overloaded', message: 'The server is busy right now; try again in 10 s.' });
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 2200));
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('upload file names are text, never paths', () => {
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await buildSecureApp({ KEEP_UPLOADED_FILES: 'true' });
  });
  afterAll(async () => t?.close());

  const long = `${'a'.repeat(1000)}.txt`;
  const hostile: Array<{ label: string; param: string; stored: (s: string) => void }> = [
    { label: 'unix traversal', param: 'filename="../../etc/passwd"', stored: (s) => expect(s).toBe('passwd') },
    { label: 'deep traversal', param: 'filename="../../../../../../../../tmp/dronelog-owned.txt"', stored: (s) => expect(s).toBe('dronelog-owned.txt') },
    { label: 'windows traversal', param: 'filename="..\\..\\x"', stored: (s) => expect(s).toBe('x') },
    { label: 'absolute path', param: 'filename="/etc/cron.d/evil"', stored: (s) => expect(s).toBe('evil') },
    { label: 'NUL byte', param: 'filename="log\u0000.txt\u0000../../x"', stored: (s) => expect(s).not.toMatch(/[\u0000/\\]/) },
    { label: 'control characters', param: 'filename="a\u0007b\u001bc\u007f.txt"', stored: (s) => expect(s).toBe('abc.txt') },
    { label: '1000 characters', param: `filename="${long}"`, stored: (s) => expect(s).toBe(long.slice(0, 255)) },
    { label: 'dots only', param: 'filename=".."', stored: (s) => expect(s).not.toMatch(/[/\\]/) },
    { label: 'empty', param: 'filename=""', stored: (s) => expect(s.length).toBeGreaterThan(0) },
    { label: 'unicode (RFC 5987)', param: "filename*=UTF-8''%E2%9C%88%20Flug%20%C3%BCber%20Z%C3%BCrich%20%E9%A3%9B%E8%A1%8C.txt", stored: (s) => expect(s).toBe('✈ Flug über Zürich 飛行.txt') },
    { label: 'unicode raw', param: 'filename="räksmörgås-🚁.txt"', stored: (s) => expect(s).toBe('räksmörgås-🚁.txt') },
    { label: 'url-encoded traversal', param: 'filename="%2e%2e%2f%2e%2e%2fetc%2fpasswd"', stored: (s) => expect(s).toBe('%2e%2e%2f%2e%2e%2fetc%2fpasswd') },
  ];

  it('stores hostile names as cleaned text; the files land only under DATA_DIR, named by their SHA-256', async () => {
    const files = hostile.map((h, i) => ({ filenameParam: h.param, bytes: syntheticLog(`name-${i}`) }));
    const body = rawMultipart(files);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', ...body });
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json().results as Array<{ fileName: string; status: string; sha256: string; importId: number }>;
    expect(results).toHaveLength(hostile.length);
    for (const [i, r] of results.entries()) {
      expect(r.status, hostile[i]!.label).toBe('imported');
      expect(r.fileName.length, hostile[i]!.label).toBeLessThanOrEqual(255);
      // eslint-disable-next-line no-control-regex
      expect(r.fileName, hostile[i]!.label).not.toMatch(/[\u0000-\u001f\u007f/\\]/);
      hostile[i]!.stored(r.fileName);
      const [row] = await sql<{ file_name: string; original_path: string }>(t.app, 'SELECT file_name, original_path FROM imports WHERE id = $1', [r.importId]);
      expect(row!.file_name).toBe(r.fileName);
      expect(row!.original_path).toBe(`${r.sha256.slice(0, 2)}/${r.sha256}`);
    }
    // Nothing outside DATA_DIR; inside it only the database, the temp dir and originals named by hash.
    const everything = await filesBelow(t.sandbox);
    const outside = everything.filter((f) => !f.startsWith(`data${path.sep}`));
    expect(outside).toEqual([]);
    const inside = everything.map((f) => f.slice('data/'.length));
    const unexpected = inside.filter((f) => !/^dronelog\.duckdb(\.wal)?$/.test(f) && !/^originals\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f));
    expect(unexpected).toEqual([]);
    expect(inside.filter((f) => f.startsWith('originals/'))).toHaveLength(hostile.length);
    await expect(fs.stat('/tmp/dronelog-owned.txt')).rejects.toThrow();
  });
});

describe('5xx answers leak nothing', () => {
  it('answers a real database failure with a generic 500: no stack, SQL, table or path', async () => {
    const t = await buildSecureApp();
    try {
      // A genuine server-side fault: the flights table is gone (a damaged database).
      await t.app.db.exclusive((conn) => conn.run('DROP TABLE flights'));
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/flights' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: 'internal', message: 'Something went wrong on the server. The details are in its log.' });
      expect(res.body).not.toMatch(/flights|Catalog|SELECT|duckdb|\bat\s|\.ts|\.js|\//i);
      expect(res.body).not.toContain(t.dataDir);
      // The import path reports its own internal failure as a clear, retryable reason — no internals either.
      const body = await multipart([{ name: 'x.txt', bytes: syntheticLog('after-damage') }]);
      const up = await t.app.inject({ method: 'POST', url: '/api/v1/imports', ...body });
      const text = up.body;
      expect(text).not.toMatch(/Catalog|SELECT|INSERT|\bat\s\S+:\d+|node_modules/);
      expect(text).not.toContain(t.dataDir);
    } finally {
      await t.close();
    }
  });

  it('keeps the readiness probe generic when the database fails', async () => {
    const t = await buildSecureApp();
    try {
      await t.app.db.exclusive((conn) => conn.run('DROP TABLE schema_migrations'));
      const res = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.body).not.toMatch(/schema_migrations|Catalog|SELECT/);
      expect(res.body).not.toContain(t.dataDir);
    } finally {
      await t.close();
    }
  });
});

describe('inline script hashes (unit)', () => {
  it('hashes executable inline scripts only', () => {
    const html = '<script>a()</script><script type="module">b()</script><script src="/x.js"></script><script type="application/json">{}</script>';
    const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(inlineScriptHashes(html)).toEqual([sha('a()'), sha('b()')]);
  });
});
