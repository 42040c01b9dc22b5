import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { multipart } from './imports-helpers.js';

const apps: TestApp[] = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await buildTestApp(env);
  apps.push(t);
  return t;
}

type Json = Record<string, unknown>;

async function call(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, opts: { cookie?: string | null; body?: Json; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.cookie) headers.cookie = opts.cookie;
  return app.inject({ method, url, headers, ...(opts.body ? { payload: opts.body } : {}) });
}

/** Logs in and returns the `name=value` cookie pair to send back. */
async function login(app: FastifyInstance, profile: string, password?: string): Promise<string> {
  const res = await call(app, 'POST', '/api/v1/session', { body: password === undefined ? { profile } : { profile, password } });
  expect(res.statusCode, res.body).toBe(200);
  const set = String(res.headers['set-cookie']);
  return set.split(';')[0]!;
}

function log(seed: string, startTime: string): { name: string; bytes: Uint8Array } {
  return { name: `${seed}.txt`, bytes: writeDjiLog(demoFlight({ seed, durationS: 30, startTime }), { version: 6 }).bytes };
}

async function uploadAs(app: FastifyInstance, cookie: string | null, file: { name: string; bytes: Uint8Array }) {
  const body = await multipart([file]);
  return app.inject({ method: 'POST', url: '/api/v1/imports', payload: body.payload, headers: { ...body.headers, ...(cookie ? { cookie } : {}) } });
}

async function flightCount(app: FastifyInstance, cookie: string | null): Promise<number> {
  const res = await call(app, 'GET', '/api/v1/flights', { cookie });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { total: number }).total;
}

describe('profiles', () => {
  it('starts with an open default profile that needs no login', async () => {
    const { app } = await start();
    const res = await call(app, 'GET', '/api/v1/profiles');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.profiles.map((p: Json) => [p.name, p.hasPassword])).toEqual([['default', false]]);
    expect(body.current).toBe('default');
    expect(body.masterPasswordRequired).toBe(false);
    expect(await flightCount(app, null)).toBe(0);
    const session = (await call(app, 'GET', '/api/v1/session')).json();
    expect(session).toMatchObject({ profile: 'default', loggedIn: false, identity: null });
  });

  it('keeps each profile isolated: flights, ledger, settings and the same file imported in both', async () => {
    const t = await start();
    const { app } = t;
    expect((await call(app, 'POST', '/api/v1/profiles', { body: { name: 'alice', password: 'correct horse' } })).statusCode).toBe(201);
    const alice = await login(app, 'alice', 'correct horse');
    const file = log('iso-a', '2024-05-01T10:00:00Z');

    const first = await uploadAs(app, alice, file);
    expect(first.json().results[0].status).toBe('imported');
    expect(await flightCount(app, alice)).toBe(1);
    expect(await flightCount(app, null)).toBe(0);
    expect((await call(app, 'GET', '/api/v1/imports')).json().total ?? (await call(app, 'GET', '/api/v1/imports')).json().items.length).toBe(0);

    // The same bytes are new to the default profile (duplicates are per profile).
    const again = await uploadAs(app, null, file);
    expect(again.json().results[0].status).toBe('imported');
    expect(await flightCount(app, null)).toBe(1);

    // A flight id of one profile is not found through another.
    const aliceFlight = (await call(app, 'GET', '/api/v1/flights', { cookie: alice })).json().items[0].id as number;
    await call(app, 'PATCH', `/api/v1/flights/${aliceFlight}`, { cookie: alice, body: { name: 'alice only' } });
    const defaultView = await call(app, 'GET', `/api/v1/flights/${aliceFlight}`);
    expect(defaultView.statusCode === 404 || defaultView.json().name !== 'alice only').toBe(true);

    // Settings are per profile too.
    const put = await call(app, 'PUT', '/api/v1/settings/smart-tags', { cookie: alice, body: { enabled: { nightFlight: false } } });
    expect(put.statusCode, put.body).toBe(200);
    const mine = (await call(app, 'GET', '/api/v1/settings/smart-tags', { cookie: alice })).json();
    const theirs = (await call(app, 'GET', '/api/v1/settings/smart-tags')).json();
    expect(JSON.stringify(mine)).not.toBe(JSON.stringify(theirs));

    // Each profile's data is a schema of the one DuckDB file.
    const schemas = await app.db.reader.runAndReadAll("SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() ORDER BY 1");
    expect(schemas.getRowObjectsJS().map((r) => r.schema_name)).toEqual(expect.arrayContaining(['main', 'control', 'p_1']));
    // Alice's original is kept in her own folder.
    const kept = await fs.readdir(path.join(t.dataDir, 'profiles', 'alice', 'originals'), { recursive: true });
    expect(kept.some((f) => String(f).length >= 64 || String(f).endsWith('.txt') || /[0-9a-f]{6,}/.test(String(f)))).toBe(true);
  });

  it('sets an HttpOnly SameSite=Strict cookie whose session survives a restart, and logs out', async () => {
    const t = await start({ SESSION_TTL_HOURS: '2' });
    await call(t.app, 'POST', '/api/v1/profiles', { body: { name: 'bob', password: 'bob-password' } });
    const res = await call(t.app, 'POST', '/api/v1/session', { body: { profile: 'bob', password: 'bob-password' } });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^dronelog_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Max-Age=7200');
    const cookie = setCookie.split(';')[0]!;
    await uploadAs(t.app, cookie, log('bob-1', '2024-05-02T10:00:00Z'));

    const app = await t.restart();
    expect(await flightCount(app, cookie)).toBe(1);
    expect((await call(app, 'GET', '/api/v1/session', { cookie })).json()).toMatchObject({ profile: 'bob', loggedIn: true });
    // Only a hash of the token is stored.
    const token = cookie.split('=')[1]!;
    const stored = await app.db.reader.runAndReadAll('SELECT token_hash FROM control.sessions');
    expect(stored.getRowObjectsJS().map((r) => r.token_hash)).not.toContain(token);

    const out = await call(app, 'DELETE', '/api/v1/session', { cookie });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await call(app, 'GET', '/api/v1/flights', { cookie });
    expect(after.statusCode).toBe(401);
    expect(after.json().error).toBe('session-expired');
  });

  it('refuses a wrong password, locks after LOGIN_MAX_FAILURES and keeps the lock across a restart', async () => {
    const t = await start({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_S: '120' });
    await call(t.app, 'POST', '/api/v1/profiles', { body: { name: 'carol', password: 'carol-password' } });
    for (let i = 0; i < 2; i++) {
      const bad = await call(t.app, 'POST', '/api/v1/session', { body: { profile: 'carol', password: 'nope' } });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error).toBe('wrong-password');
      expect(bad.headers['set-cookie']).toBeUndefined();
    }
    const third = await call(t.app, 'POST', '/api/v1/session', { body: { profile: 'carol', password: 'nope' } });
    expect(third.statusCode).toBe(423);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(100);
    // Even the right password is refused while locked.
    const right = await call(t.app, 'POST', '/api/v1/session', { body: { profile: 'carol', password: 'carol-password' } });
    expect(right.statusCode).toBe(423);
    const app = await t.restart();
    expect((await call(app, 'POST', '/api/v1/session', { body: { profile: 'carol', password: 'carol-password' } })).statusCode).toBe(423);
    // The delete path checks (and counts against) the same lock.
    expect((await call(app, 'DELETE', '/api/v1/profiles/carol', { body: { password: 'carol-password' } })).statusCode).toBe(423);
    // Parallel guesses cannot overtake the counter: none of them gets through.
    await app.db.exclusive((c) => c.run("UPDATE control.auth_failures SET locked_until = now() - INTERVAL 1 SECOND"));
    const burst = await Promise.all(Array.from({ length: 6 }, () => call(app, 'POST', '/api/v1/session', { body: { profile: 'carol', password: 'guess' } })));
    expect(burst.map((r) => r.statusCode).sort()).toEqual([401, 401, 423, 423, 423, 423]);
  });

  it('needs PROFILE_CREATION_PASS to create or delete profiles when it is set', async () => {
    const { app } = await start({ PROFILE_CREATION_PASS: 'master-secret' });
    expect((await call(app, 'GET', '/api/v1/profiles')).json().masterPasswordRequired).toBe(true);
    const none = await call(app, 'POST', '/api/v1/profiles', { body: { name: 'dave' } });
    expect(none.statusCode).toBe(401);
    const wrong = await call(app, 'POST', '/api/v1/profiles', { body: { name: 'dave', masterPassword: 'guess' } });
    expect(wrong.statusCode).toBe(401);
    expect((await call(app, 'GET', '/api/v1/profiles')).json().profiles).toHaveLength(1);
    const ok = await call(app, 'POST', '/api/v1/profiles', { body: { name: 'dave', masterPassword: 'master-secret' } });
    expect(ok.statusCode).toBe(201);
    expect((await call(app, 'DELETE', '/api/v1/profiles/dave', { body: {} })).statusCode).toBe(401);
    expect((await call(app, 'DELETE', '/api/v1/profiles/dave', { body: { masterPassword: 'master-secret' } })).statusCode).toBe(204);
    // Setting the first password on an open profile also needs it: nobody on the LAN can lock the owner out.
    const cookie = await login(app, 'default');
    const noMaster = await call(app, 'PUT', '/api/v1/profiles/default/password', { cookie, body: { newPassword: 'my-new-password' } });
    expect(noMaster.statusCode).toBe(401);
    const withMaster = await call(app, 'PUT', '/api/v1/profiles/default/password', { cookie, body: { newPassword: 'my-new-password', masterPassword: 'master-secret' } });
    expect(withMaster.statusCode, withMaster.body).toBe(204);
  });

  it('validates names and refuses duplicates in any case', async () => {
    const { app } = await start();
    for (const name of ['../x', 'a b', '', 'x'.repeat(33), '-lead']) {
      expect((await call(app, 'POST', '/api/v1/profiles', { body: { name } })).statusCode, name).toBe(400);
    }
    expect((await call(app, 'POST', '/api/v1/profiles', { body: { name: 'Erin' } })).statusCode).toBe(201);
    const dup = await call(app, 'POST', '/api/v1/profiles', { body: { name: 'erin' } });
    expect(dup.statusCode).toBe(409);
    expect((await call(app, 'POST', '/api/v1/profiles', { body: { name: 'DEFAULT' } })).statusCode).toBe(409);
    expect((await call(app, 'POST', '/api/v1/profiles', { body: { name: 'short', password: 'abc' } })).statusCode).toBe(400);
  });

  it('DEFAULT_PROFILE_PASSWORD protects the default profile once and never overwrites a password', async () => {
    const t = await start({ DEFAULT_PROFILE_PASSWORD: 'first-password' });
    const anon = await call(t.app, 'GET', '/api/v1/flights');
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error).toBe('login-required');
    expect((await call(t.app, 'GET', '/api/v1/profiles')).json()).toMatchObject({ current: null });
    const cookie = await login(t.app, 'default', 'first-password');
    expect(await flightCount(t.app, cookie)).toBe(0);
    // Change it, restart with the variable still set: the changed password stays.
    expect((await call(t.app, 'PUT', '/api/v1/profiles/default/password', { cookie, body: { newPassword: 'second-password', currentPassword: 'first-password' } })).statusCode).toBe(204);
    const app = await t.restart();
    expect((await call(app, 'POST', '/api/v1/session', { body: { profile: 'default', password: 'first-password' } })).statusCode).toBe(401);
    await login(app, 'default', 'second-password');
  });

  it('changing a password needs a session of that profile and ends its other sessions', async () => {
    const { app } = await start();
    await call(app, 'POST', '/api/v1/profiles', { body: { name: 'frank', password: 'frank-password' } });
    await call(app, 'POST', '/api/v1/profiles', { body: { name: 'grace' } });
    const graceCookie = await login(app, 'grace');
    const noSession = await call(app, 'PUT', '/api/v1/profiles/frank/password', { body: { newPassword: 'stolen-password', currentPassword: 'frank-password' } });
    expect(noSession.statusCode).toBe(401);
    const otherSession = await call(app, 'PUT', '/api/v1/profiles/frank/password', { cookie: graceCookie, body: { newPassword: 'stolen-password', currentPassword: 'frank-password' } });
    expect(otherSession.statusCode).toBe(401);
    expect(otherSession.json().error).toBe('login-required');
    const a = await login(app, 'frank', 'frank-password');
    const b = await login(app, 'frank', 'frank-password');
    expect((await call(app, 'PUT', '/api/v1/profiles/frank/password', { cookie: a, body: { newPassword: 'frank-new-password', currentPassword: 'frank-password' } })).statusCode).toBe(204);
    expect((await call(app, 'GET', '/api/v1/flights', { cookie: a })).statusCode).toBe(200);
    expect((await call(app, 'GET', '/api/v1/flights', { cookie: b })).statusCode).toBe(401);
    // Removing the password needs the current one.
    expect((await call(app, 'DELETE', '/api/v1/profiles/frank/password', { cookie: a, body: { currentPassword: 'frank-password' } })).statusCode).toBe(401);
    expect((await call(app, 'DELETE', '/api/v1/profiles/frank/password', { cookie: a, body: { currentPassword: 'frank-new-password' } })).statusCode).toBe(204);
    expect((await call(app, 'GET', '/api/v1/profiles')).json().profiles.find((p: Json) => p.name === 'frank').hasPassword).toBe(false);
  });

  it('deleting a profile removes its schema, folder and sessions; the default profile cannot be deleted', async () => {
    const t = await start();
    const { app } = t;
    await call(app, 'POST', '/api/v1/profiles', { body: { name: 'heidi', password: 'heidi-password' } });
    const cookie = await login(app, 'heidi', 'heidi-password');
    await uploadAs(app, cookie, log('heidi-1', '2024-05-03T10:00:00Z'));
    await fs.access(path.join(t.dataDir, 'profiles', 'heidi'));
    expect((await call(app, 'DELETE', '/api/v1/profiles/heidi', { body: { password: 'wrong-password' } })).statusCode).toBe(401);
    expect((await call(app, 'DELETE', '/api/v1/profiles/heidi', { cookie, body: { password: 'heidi-password' } })).statusCode).toBe(204);
    const schemas = await app.db.reader.runAndReadAll("SELECT schema_name FROM duckdb_schemas() WHERE regexp_matches(schema_name, '^p_[0-9]+$')");
    expect(schemas.getRowObjectsJS()).toEqual([]);
    await expect(fs.access(path.join(t.dataDir, 'profiles', 'heidi'))).rejects.toThrow();
    expect((await call(app, 'GET', '/api/v1/flights', { cookie })).statusCode).toBe(401);
    expect((await call(app, 'DELETE', '/api/v1/profiles/default', { body: {} })).statusCode).toBe(403);
    // A new profile of the same name starts empty.
    await call(app, 'POST', '/api/v1/profiles', { body: { name: 'heidi' } });
    expect(await flightCount(app, await login(app, 'heidi'))).toBe(0);
  });

  it('syncs SYNC_LOGS_PATH into the default profile and SYNC_LOGS_PATH/<name> into that profile', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-sync-profiles-'));
    try {
      await fs.mkdir(path.join(root, 'ivan'));
      await fs.writeFile(path.join(root, 'base.txt'), log('sync-base', '2024-05-04T10:00:00Z').bytes);
      await fs.writeFile(path.join(root, 'ivan', 'ivan.txt'), log('sync-ivan', '2024-05-05T10:00:00Z').bytes);
      const { app } = await start({ SYNC_LOGS_PATH: root, SYNC_STABLE_MS: '0' });
      await call(app, 'POST', '/api/v1/profiles', { body: { name: 'ivan' } });
      await call(app, 'POST', '/api/v1/profiles', { body: { name: 'judy' } });
      await app.profileRegistry.runScheduledSync();
      const ivan = await login(app, 'ivan');
      expect(await flightCount(app, null)).toBe(1);
      expect(await flightCount(app, ivan)).toBe(1);
      expect((await call(app, 'GET', '/api/v1/flights', { cookie: ivan })).json().items[0].startTime).toContain('2024-05-05');
      // judy has no subfolder: skipped, and never created.
      await expect(fs.access(path.join(root, 'judy'))).rejects.toThrow();
      const status = (await call(app, 'GET', '/api/v1/sync', { cookie: ivan })).json();
      expect(status.path).toBe(path.join(root, 'ivan'));
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

describe('trusted-proxy identity', () => {
  it('shows the signed-in user from a trusted proxy and records it in the audit trail', async () => {
    const { app } = await start({ TRUST_PROXY: '127.0.0.1', TRUST_PROXY_AUTH_HEADER: 'X-authentik-username' });
    const headers = { 'x-authentik-username': 'pilot-anna' };
    expect((await call(app, 'GET', '/api/v1/session', { headers })).json().identity).toBe('pilot-anna');
    const up = await uploadAs(app, null, log('audit-1', '2024-05-06T10:00:00Z'));
    const id = up.json().results[0].flightId as number;
    expect((await call(app, 'PATCH', `/api/v1/flights/${id}`, { headers, body: { name: 'renamed' } })).statusCode).toBe(200);
    const audit = (await call(app, 'GET', `/api/v1/flights/${id}/audit`)).json();
    const entries = (audit.items ?? audit) as Json[];
    expect(entries.some((e) => e.actor === 'pilot-anna' && e.field === 'name')).toBe(true);
  });

  it('ignores the header from a peer that is not a trusted proxy, and when the feature is off', async () => {
    const off = await start();
    expect((await call(off.app, 'GET', '/api/v1/session', { headers: { 'x-authentik-username': 'mallory' } })).json().identity).toBeNull();
    const untrusted = await start({ TRUST_PROXY: '10.9.9.9', TRUST_PROXY_AUTH_HEADER: 'X-authentik-username' });
    expect((await call(untrusted.app, 'GET', '/api/v1/session', { headers: { 'x-authentik-username': 'mallory' } })).json().identity).toBeNull();
  });
});
