import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { multipart } from './imports-helpers.js';
import { buildSyncApp, closeSyncApp, put, runSync, syncFiles, syntheticLog, type SyncTestApp } from './sync-helpers.js';

const apps: TestApp[] = [];
const syncApps: SyncTestApp[] = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
  while (syncApps.length) await closeSyncApp(syncApps.pop());
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await buildTestApp({ ODL_COMPAT_API: 'true', ...env });
  apps.push(t);
  return t;
}

type Json = Record<string, unknown>;

/** A file in the uploader's sync folder: its name, bytes and the hash it computes (sha256, lowercase hex). */
interface LocalFile {
  name: string;
  bytes: Uint8Array;
  hash: string;
}

function localLog(seed: string, startTime: string, name = `DJIFlightRecord_${seed}.txt`): LocalFile {
  const bytes = writeDjiLog(demoFlight({ seed, durationS: 30, startTime }), { version: 6 }).bytes;
  return { name, bytes, hash: crypto.createHash('sha256').update(bytes).digest('hex') };
}

/** The uploader's login state: the profile it selected and the session `switch` gave it (null for an open profile). */
interface Auth {
  profile: string;
  session: string | null;
}

/** Headers as opendronelog-sync sends them: JSON content type on every call, X-Profile, X-Session when it has one. */
function uploaderHeaders(auth: Auth | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth?.profile) headers['x-profile'] = auth.profile;
  if (auth?.session) headers['x-session'] = auth.session;
  return headers;
}

function get(app: FastifyInstance, url: string, auth: Auth | null, extra: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url, headers: { ...uploaderHeaders(auth), ...extra } });
}

function switchProfile(app: FastifyInstance, body: Json, extra: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/profiles/switch', headers: { 'content-type': 'application/json', ...extra }, payload: body });
}

/** POST /api/import as the uploader's Rust side sends it: multipart field "file", X-Profile, X-Session; no browser headers. */
async function uploadFile(app: FastifyInstance, auth: Auth | null, file: LocalFile, extra: Record<string, string> = {}) {
  const body = await multipart([{ name: file.name, bytes: file.bytes }]);
  const headers: Record<string, string> = { ...body.headers, ...extra };
  if (auth?.profile) headers['x-profile'] = auth.profile;
  if (auth?.session) headers['x-session'] = auth.session;
  return app.inject({ method: 'POST', url: '/api/import', headers, payload: body.payload });
}

/** The uploader's login screen: list the profiles, then switch (with the password when the profile has one). */
async function login(app: FastifyInstance, profile: string, password = ''): Promise<Auth> {
  const list = await get(app, '/api/profiles', null);
  expect(list.statusCode, list.body).toBe(200);
  expect((list.json() as Array<{ name: string }>).map((p) => p.name)).toContain(profile);
  const res = await switchProfile(app, { name: profile, password: password || null });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { name: string; session: string | null };
  return { profile: body.name, session: body.session };
}

/**
 * The uploader's refresh: allowed extensions, then the profile's imported hashes (`fileHash`, else `file_hash`)
 * and the blacklist; each local file is imported, blacklisted or pending, in that order.
 */
async function refresh(app: FastifyInstance, auth: Auth, local: LocalFile[]) {
  const extRes = await get(app, '/api/allowed_log_extensions', auth);
  expect(extRes.statusCode, extRes.body).toBe(200);
  const allowed = new Set((extRes.json().extensions as string[]).map((e) => e.trim().replace(/^\./, '').toLowerCase()));
  const flightsRes = await get(app, '/api/flights', auth);
  expect(flightsRes.statusCode, flightsRes.body).toBe(200);
  const imported = new Set<string>();
  for (const f of flightsRes.json() as Json[]) {
    const value = typeof f.fileHash === 'string' ? f.fileHash : typeof f.file_hash === 'string' ? f.file_hash : '';
    if (value) imported.add(value);
  }
  const blRes = await get(app, '/api/sync/blacklist', auth);
  expect(blRes.statusCode, blRes.body).toBe(200);
  const blacklisted = new Set(blRes.json().hashes as string[]);
  const candidates = local.filter((f) => allowed.has(f.name.slice(f.name.lastIndexOf('.') + 1).toLowerCase()));
  const status = (f: LocalFile) => (imported.has(f.hash) ? 'imported' : blacklisted.has(f.hash) ? 'blacklisted' : 'pending');
  return {
    flights: flightsRes.json() as Json[],
    imported: candidates.filter((f) => status(f) === 'imported'),
    blacklisted: candidates.filter((f) => status(f) === 'blacklisted'),
    pending: candidates.filter((f) => status(f) === 'pending'),
  };
}

/** "Sync Now": refresh, upload every pending file, refresh again. */
async function syncNow(app: FastifyInstance, auth: Auth, local: LocalFile[]) {
  const before = await refresh(app, auth, local);
  const uploads = [];
  for (const file of before.pending) {
    const res = await uploadFile(app, auth, file);
    uploads.push({ file, statusCode: res.statusCode, body: res.json() as Json });
  }
  return { before, uploads, after: await refresh(app, auth, local) };
}

const ODL_FLIGHT_KEYS = [
  'aircraftName', 'batteryLife', 'batterySerial', 'color', 'cycleCount', 'displayName', 'droneModel', 'droneSerial', 'durationSecs',
  'fileHash', 'fileName', 'homeLat', 'homeLon', 'id', 'maxAltitude', 'maxSpeed', 'notes', 'photoCount', 'pointCount', 'rcSerial',
  'startTime', 'tags', 'totalDistance', 'videoCount',
];

describe('Open DroneLog uploader API (ODL_COMPAT_API)', () => {
  it('is off by default: every call of the uploader is a 404', async () => {
    const t = await buildTestApp();
    apps.push(t);
    const file = localLog('off', '2024-06-01T08:00:00Z');
    for (const url of ['/api/profiles', '/api/allowed_log_extensions', '/api/flights', '/api/sync/blacklist']) {
      expect((await get(t.app, url, { profile: 'default', session: null })).statusCode, url).toBe(404);
    }
    expect((await switchProfile(t.app, { name: 'default', password: null })).statusCode).toBe(404);
    expect((await uploadFile(t.app, { profile: 'default', session: null }, file)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights' })).json().total).toBe(0);
  });

  it('replays the uploader against a protected profile: login, hashes, upload of new files, nothing new on the next run', async () => {
    const { app } = await start();
    expect((await app.inject({ method: 'POST', url: '/api/v1/profiles', payload: { name: 'pilot', password: 'pilot-password' } })).statusCode).toBe(201);

    // Profiles, exactly ODL's shape.
    const profiles = await get(app, '/api/profiles', null);
    expect(profiles.statusCode).toBe(200);
    expect(profiles.json()).toEqual([
      { name: 'default', hasPassword: false },
      { name: 'pilot', hasPassword: true },
    ]);

    // Switch with the password: a session token, used as X-Session from now on. No cookie is set.
    const sw = await switchProfile(app, { name: 'pilot', password: 'pilot-password' });
    expect(sw.statusCode, sw.body).toBe(200);
    expect(sw.json()).toEqual({ name: 'pilot', session: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(sw.headers['set-cookie']).toBeUndefined();
    const auth: Auth = { profile: 'pilot', session: sw.json().session };

    expect((await get(app, '/api/allowed_log_extensions', auth)).json()).toEqual({ extensions: ['csv', 'txt'] });

    const a = localLog('odl-a', '2024-06-01T08:00:00Z');
    const b = localLog('odl-b', '2024-06-02T08:00:00Z');
    const notALog: LocalFile = { name: 'notes.md', bytes: new TextEncoder().encode('# not a log'), hash: 'x' };
    const local = [a, b, notALog];

    const first = await syncNow(app, auth, local);
    expect(first.before.flights).toEqual([]);
    expect(first.before.pending.map((f) => f.name).sort()).toEqual([a.name, b.name].sort());
    for (const u of first.uploads) {
      expect(u.statusCode).toBe(200);
      expect(u.body).toEqual({
        success: true,
        flightId: expect.any(Number),
        message: expect.stringMatching(/^Successfully imported \d+ telemetry points$/),
        pointCount: expect.any(Number),
        fileHash: u.file.hash,
      });
      expect(u.body.pointCount as number).toBeGreaterThan(0);
    }
    // The flights now carry the very hashes the uploader computed: both files show as imported.
    expect(first.after.pending).toEqual([]);
    expect(first.after.imported.map((f) => f.name).sort()).toEqual([a.name, b.name].sort());
    expect(first.after.flights.map((f) => f.fileHash).sort()).toEqual([a.hash, b.hash].sort());
    const flight = first.after.flights[0]!;
    expect(Object.keys(flight).sort()).toEqual(ODL_FLIGHT_KEYS);
    expect(flight).toMatchObject({ fileName: b.name, color: '#7dd3fc', tags: expect.any(Array), pointCount: expect.any(Number) });
    expect((flight.tags as Json[]).every((tag) => typeof tag.tag === 'string' && (tag.tagType === 'auto' || tag.tagType === 'manual'))).toBe(true);
    // Newest first, as ODL lists them.
    expect(first.after.flights.map((f) => f.fileName)).toEqual([b.name, a.name]);

    // The next run uploads nothing.
    const second = await syncNow(app, auth, local);
    expect(second.before.pending).toEqual([]);
    expect(second.uploads).toEqual([]);
    expect(second.after.flights).toHaveLength(2);

    // Uploading an imported file anyway is a 200 with success: false, as in ODL, and adds nothing.
    const again = await uploadFile(app, auth, a);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ success: false, flightId: null, pointCount: 0, fileHash: a.hash });
    expect(again.json().message).toMatch(/^This flight log has already been imported \(matches: .+\)$/);
    expect((await get(app, '/api/flights', auth)).json()).toHaveLength(2);

    // The flights went into pilot's profile only.
    expect((await get(app, '/api/flights', { profile: 'default', session: null })).json()).toEqual([]);

    // Documented in the OpenAPI document.
    const docs = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(
      expect.arrayContaining(['/api/profiles', '/api/profiles/switch', '/api/allowed_log_extensions', '/api/flights', '/api/sync/blacklist', '/api/import']),
    );
  });

  it('an open profile needs no session: switch answers session null, X-Profile alone selects it, no header means default', async () => {
    const { app } = await start();
    const created = await switchProfile(app, { name: 'field-team', password: null });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toEqual({ name: 'field-team', session: null });
    expect((await switchProfile(app, { name: 'default', password: null })).json()).toEqual({ name: 'default', session: null });

    const auth = await login(app, 'field-team');
    expect(auth).toEqual({ profile: 'field-team', session: null });
    const file = localLog('open-1', '2024-06-03T08:00:00Z');
    const run = await syncNow(app, auth, [file]);
    expect(run.uploads.map((u) => u.body.success)).toEqual([true]);
    expect(run.after.imported).toHaveLength(1);

    // Without any header the default profile is used (it has no password); it is untouched.
    expect((await get(app, '/api/flights', null)).json()).toEqual([]);
    // A file that is not a log is a 200 with success: false and no flight.
    const junk = await uploadFile(app, auth, { name: 'junk.txt', bytes: new TextEncoder().encode('not a DJI log at all'), hash: '' });
    expect(junk.statusCode).toBe(200);
    expect(junk.json()).toMatchObject({ success: false, flightId: null, fileHash: null, pointCount: 0 });
    expect(junk.json().message).toMatch(/^Failed to parse log: /);
    // A request without a file part is an ODL error body.
    const none = await multipart([]);
    const empty = await app.inject({ method: 'POST', url: '/api/import', headers: { ...none.headers, 'x-profile': 'field-team' }, payload: none.payload });
    expect(empty.statusCode).toBe(400);
    expect(Object.keys(empty.json())).toEqual(['error']);
    // So is a cut-off upload (the client's fault, never a 500).
    const whole = await multipart([{ name: file.name, bytes: file.bytes }]);
    const cut = await app.inject({ method: 'POST', url: '/api/import', headers: { ...whole.headers, 'x-profile': 'field-team' }, payload: whole.payload.subarray(0, 200) });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error).toMatch(/^Multipart error: /);
    // A body that is not multipart at all: ODL's error body too.
    const text = await app.inject({ method: 'POST', url: '/api/import', headers: { 'content-type': 'text/plain', 'x-profile': 'field-team' }, payload: 'not multipart' });
    expect(text.statusCode).toBe(400);
    expect(text.json()).toEqual({ error: 'Send the log as multipart/form-data.' });
    // One log per request: a second file refuses the request, and neither is imported.
    const two = await multipart([localLog('two-1', '2024-06-09T08:00:00Z'), localLog('two-2', '2024-06-10T08:00:00Z')]);
    const both = await app.inject({ method: 'POST', url: '/api/import', headers: { ...two.headers, 'x-profile': 'field-team' }, payload: two.payload });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toEqual({ error: 'Send one log per request.' });
    expect((await get(app, '/api/flights', auth)).json()).toHaveLength(1);
  });

  it("serves the sync folder's ignore list as the blacklist, so the uploader skips a deleted flight's file", async () => {
    const t = await buildSyncApp({ ODL_COMPAT_API: 'true' });
    syncApps.push(t);
    const keepBytes = syntheticLog(70);
    const goneBytes = syntheticLog(71);
    await put(t.syncDir, 'keep.txt', keepBytes);
    await put(t.syncDir, 'gone.txt', goneBytes);
    await runSync(t);
    const gone = (await syncFiles(t)).items.find((f) => f.path === 'gone.txt')!;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/flights/${gone.flightId}` })).statusCode).toBe(204);

    const auth = await login(t.app, 'default');
    const sha = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');
    const local: LocalFile[] = [
      { name: 'keep.txt', bytes: keepBytes, hash: sha(keepBytes) },
      { name: 'gone.txt', bytes: goneBytes, hash: sha(goneBytes) },
    ];
    const bl = await get(t.app, '/api/sync/blacklist', auth);
    expect(bl.json()).toEqual({ hashes: [gone.sha256] });
    const run = await syncNow(t.app, auth, local);
    expect(run.before.imported.map((f) => f.name)).toEqual(['keep.txt']);
    expect(run.before.blacklisted.map((f) => f.name)).toEqual(['gone.txt']);
    expect(run.uploads).toEqual([]);
  });

  it('answers 401 for X-Profile of a protected profile and for a bad X-Session, before reading an upload', async () => {
    const { app } = await start({ DEFAULT_PROFILE_PASSWORD: 'default-password' });
    const file = localLog('deny', '2024-06-04T08:00:00Z');
    const cases: Array<[string, Auth | null]> = [
      ['X-Profile of a protected profile', { profile: 'default', session: null }],
      ['no header, the default profile is protected', null],
      ['an unknown session token', { profile: 'default', session: 'A'.repeat(43) }],
      ['a malformed session token', { profile: 'default', session: 'not-a-token' }],
      ['an unknown profile', { profile: 'nobody', session: null }],
    ];
    for (const [what, auth] of cases) {
      for (const url of ['/api/allowed_log_extensions', '/api/flights', '/api/sync/blacklist']) {
        const res = await get(app, url, auth);
        expect(res.statusCode, `${what}: ${url}`).toBe(401);
        expect(Object.keys(res.json()), what).toEqual(['error']);
      }
      const up = await uploadFile(app, auth, file);
      expect(up.statusCode, `${what}: import`).toBe(401);
    }
    expect((await get(app, '/api/flights', { profile: 'default', session: null })).json().error).toBe(
      'This profile is password-protected — please authenticate first',
    );
    expect((await get(app, '/api/flights', { profile: 'default', session: 'A'.repeat(43) })).json().error).toBe(
      'Session expired or invalid — please re-authenticate',
    );
    // Nothing was imported; a session from switch opens the profile.
    const auth = await login(app, 'default', 'default-password');
    expect((await get(app, '/api/flights', auth)).json()).toEqual([]);
    // Missing password: 401 (not counted as a wrong guess).
    const noPassword = await switchProfile(app, { name: 'default', password: null });
    expect(noPassword.statusCode).toBe(401);
    expect(Object.keys(noPassword.json())).toEqual(['error']);
  });

  it('counts wrong passwords towards the lockout it shares with the web login', async () => {
    const { app } = await start({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_S: '120' });
    await app.inject({ method: 'POST', url: '/api/v1/profiles', payload: { name: 'carol', password: 'carol-password' } });
    for (let i = 0; i < 2; i++) {
      const bad = await switchProfile(app, { name: 'carol', password: 'nope' });
      expect(bad.statusCode).toBe(401);
      expect(bad.json()).toEqual({ error: expect.stringContaining('Wrong password') });
    }
    const third = await switchProfile(app, { name: 'carol', password: 'nope' });
    expect(third.statusCode).toBe(423);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(100);
    expect(Object.keys(third.json())).toEqual(['error']);
    // Locked everywhere: the right password, through this API and through the web login.
    expect((await switchProfile(app, { name: 'carol', password: 'carol-password' })).statusCode).toBe(423);
    expect((await app.inject({ method: 'POST', url: '/api/v1/session', payload: { profile: 'carol', password: 'carol-password' } })).statusCode).toBe(423);
  });

  it("an X-Session of one profile never reads or writes another profile's flights", async () => {
    const { app } = await start();
    for (const name of ['alpha', 'bravo']) {
      expect((await app.inject({ method: 'POST', url: '/api/v1/profiles', payload: { name, password: `${name}-password` } })).statusCode).toBe(201);
    }
    const alpha = await login(app, 'alpha', 'alpha-password');
    const bravo = await login(app, 'bravo', 'bravo-password');
    const bravoFile = localLog('bravo-1', '2024-06-05T08:00:00Z');
    expect((await uploadFile(app, bravo, bravoFile)).json().success).toBe(true);

    // Alpha's session with bravo's name: refused, for reads and for uploads.
    const mixed: Auth = { profile: 'bravo', session: alpha.session };
    expect((await get(app, '/api/flights', mixed)).statusCode).toBe(401);
    expect((await get(app, '/api/sync/blacklist', mixed)).statusCode).toBe(401);
    const upload = await uploadFile(app, mixed, localLog('sneaky', '2024-06-06T08:00:00Z'));
    expect(upload.statusCode).toBe(401);
    // Alpha's session alone reads alpha's (empty) logbook, never bravo's.
    expect((await get(app, '/api/flights', { profile: '', session: alpha.session })).json()).toEqual([]);
    expect((await get(app, '/api/flights', bravo)).json().map((f: Json) => f.fileHash)).toEqual([bravoFile.hash]);
  });

  it('refuses cross-site browser writes and opens no CORS', async () => {
    const { app } = await start();
    const auth = await login(app, 'default');
    const file = localLog('csrf', '2024-06-07T08:00:00Z');
    const crossSite = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' };
    const up = await uploadFile(app, auth, file, crossSite);
    expect(up.statusCode).toBe(403);
    expect(Object.keys(up.json())).toEqual(['error']);
    expect((await uploadFile(app, auth, file, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await switchProfile(app, { name: 'evil', password: null }, crossSite)).statusCode).toBe(403);
    expect((await get(app, '/api/profiles', null)).json().map((p: Json) => p.name)).toEqual(['default']);
    expect((await get(app, '/api/flights', auth)).json()).toEqual([]);

    // No CORS: neither a preflight nor a read gets an Access-Control-Allow-Origin for another site.
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/import',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-profile' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const read = await get(app, '/api/flights', auth, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("works from the uploader's webview once its origin is in CORS_ALLOWED_ORIGINS (Windows and Android builds)", async () => {
    const webview = 'http://tauri.localhost';
    const { app } = await start({ CORS_ALLOWED_ORIGINS: webview });
    // The webview's fetch() of JSON with X-Profile / X-Session is preflighted.
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/flights',
      headers: { origin: webview, 'access-control-request-method': 'GET', 'access-control-request-headers': 'content-type,x-profile,x-session' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(webview);
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('x-session');
    // Its switch is a cross-site write from an allow-listed origin; its reads carry the CORS header.
    const sw = await switchProfile(app, { name: 'default', password: null }, { origin: webview, 'sec-fetch-site': 'cross-site' });
    expect(sw.statusCode, sw.body).toBe(200);
    const read = await get(app, '/api/flights', { profile: 'default', session: null }, { origin: webview, 'sec-fetch-site': 'cross-site' });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe(webview);
    // Other sites stay shut out.
    expect((await switchProfile(app, { name: 'default', password: null }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
  });

  it("works from the macOS/Linux uploader's webview origin tauri://localhost once allow-listed; other app schemes stay out", async () => {
    const webview = 'tauri://localhost';
    const { app } = await start({ CORS_ALLOWED_ORIGINS: `${webview},http://tauri.localhost` });
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/flights',
      headers: { origin: webview, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-profile,x-session' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(webview);
    const sw = await switchProfile(app, { name: 'default', password: null }, { origin: webview, 'sec-fetch-site': 'cross-site' });
    expect(sw.statusCode, sw.body).toBe(200);
    const other = await switchProfile(app, { name: 'default', password: null }, { origin: 'evil://localhost', 'sec-fetch-site': 'cross-site' });
    expect(other.statusCode).toBe(403);
  });

  it('switch creates a missing profile only with PROFILE_CREATION_PASS when set, sets no password and changes no server-wide profile', async () => {
    const { app } = await start({ PROFILE_CREATION_PASS: 'master-secret' });
    const missing = await switchProfile(app, { name: 'newbie', password: null });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual({ error: 'Master password is required to create profiles' });
    const wrong = await switchProfile(app, { name: 'newbie', password: null, master_password: 'guess' });
    expect(wrong.statusCode).toBe(403);
    expect((await get(app, '/api/profiles', null)).json().map((p: Json) => p.name)).toEqual(['default']);

    const made = await switchProfile(app, { name: 'newbie', password: null, master_password: 'master-secret' });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json()).toEqual({ name: 'newbie', session: null });
    expect((await switchProfile(app, { name: 'newbie', create: true, master_password: 'master-secret' })).statusCode).toBe(409);

    // ODL lets switch set a password; Dronelog does not.
    const withPassword = await switchProfile(app, { name: 'newbie', password: null, new_password: 'sneaky-password' });
    expect(withPassword.statusCode).toBe(400);
    expect((await get(app, '/api/profiles', null)).json()).toEqual([
      { name: 'default', hasPassword: false },
      { name: 'newbie', hasPassword: false },
    ]);

    // Switching is per client: no cookie, and the web app (and header-less calls) still use the default profile.
    expect(made.headers['set-cookie']).toBeUndefined();
    expect((await uploadFile(app, { profile: 'newbie', session: null }, localLog('nb', '2024-06-08T08:00:00Z'))).json().success).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/api/v1/session' })).json()).toMatchObject({ profile: 'default', loggedIn: false });
    expect((await app.inject({ method: 'GET', url: '/api/v1/flights' })).json().total).toBe(0);
    expect((await get(app, '/api/flights', null)).json()).toEqual([]);
  });
});
