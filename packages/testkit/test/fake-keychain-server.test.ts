import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DJILog, type KeychainFeaturePoint } from 'dji-log-parser-js';
import { demoFlight, startFakeKeychainServer, writeDjiLog, type FakeKeychainServer } from '../src/index.js';
import { decode, rejection } from './helpers.js';

const API_KEY = 'test-api-key';
const log = writeDjiLog(demoFlight({ seed: 'server', durationS: 15 }), { version: 14, keychainGroups: 2 });

const post = (server: FakeKeychainServer, body: unknown, apiKey = API_KEY, signal?: AbortSignal) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Api-Key': apiKey },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });

interface ApiBody {
  result: { code: number; msg: string };
  data?: KeychainFeaturePoint[][] | null;
}
const json = async (res: Response): Promise<ApiBody> => (await res.json()) as ApiBody;

let server: FakeKeychainServer;
beforeEach(async () => {
  server = await startFakeKeychainServer({ apiKey: API_KEY });
});
afterEach(async () => {
  await server.close();
});

describe('fake DJI keychain server over real HTTP', () => {
  it('listens on 127.0.0.1 on a random port at the real path', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/openapi\/v1\/flight-records\/keychains$/);
    expect(server.mode).toBe('ok');
  });

  it('answers the real response shape with the keys unwrapped from the request, statelessly', async () => {
    const res = await post(server, log.request);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: { code: 0, msg: 'success' }, data: log.keychains });
    // a second server (no shared state) gives the same answer
    const other = await startFakeKeychainServer({ apiKey: API_KEY });
    try {
      expect((await json(await post(other, log.request))).data).toEqual(log.keychains);
    } finally {
      await other.close();
    }
  });

  it('counts requests and keeps their bodies and Api-Key headers', async () => {
    await post(server, log.request);
    await post(server, { version: 4, department: 3, keychainsArray: [] }, 'nope');
    expect(server.requests.count).toBe(2);
    expect(server.requests.bodies[0]).toEqual(log.request);
    expect(server.requests.apiKeys).toEqual([API_KEY, 'nope']);
    server.requests.reset();
    expect(server.requests.count).toBe(0);
  });

  it('answers 403 to a wrong or missing Api-Key', async () => {
    expect((await post(server, log.request, 'wrong')).status).toBe(403);
    const res = await fetch(server.url, { method: 'POST', body: JSON.stringify(log.request) });
    expect(res.status).toBe(403);
  });

  it('answers 404 on other paths', async () => {
    const res = await fetch(new URL('/other', server.url), { method: 'POST', headers: { 'Api-Key': API_KEY }, body: '{}' });
    expect(res.status).toBe(404);
  });

  it('refuses blobs it did not write (e.g. real DJI KeyStorage) with a non-zero code', async () => {
    const res = await post(server, { version: 4, department: 3, keychainsArray: [[{ featurePoint: 'FR_Standardization_Feature_Base_1', aesCiphertext: Buffer.alloc(64, 7).toString('base64') }]] });
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(body.result.code).not.toBe(0);
    expect(body.data).toBeNull();
  });

  it.each([
    ['forbidden', 403],
    ['error500', 500],
  ] as const)('mode %s answers HTTP %i', async (mode, status) => {
    server.setMode(mode);
    expect((await post(server, log.request)).status).toBe(status);
  });

  it('mode malformed answers 200 with a body that is not JSON', async () => {
    server.setMode('malformed');
    const res = await post(server, log.request);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('mode code-nonzero and no-data answer 200 with an error code or without data', async () => {
    server.setMode('code-nonzero');
    const a = await json(await post(server, log.request));
    expect(a.result.code).toBe(100);
    server.setMode('no-data');
    const b = await json(await post(server, log.request));
    expect(b).toEqual({ result: { code: 0, msg: 'success' } });
  });

  it('mode bad-keys answers well-formed keychains with the wrong keys', async () => {
    server.setMode('bad-keys');
    const body = await json(await post(server, log.request));
    expect(body.result.code).toBe(0);
    expect(body.data!.map((g) => g.map((e) => e.featurePoint))).toEqual(
      log.keychains!.map((g) => g.map((e) => e.featurePoint)),
    );
    expect(body.data).not.toEqual(log.keychains);
  });

  it('mode hang never answers, and close() still ends promptly', async () => {
    server.setMode('hang');
    const pending = post(server, log.request, API_KEY, AbortSignal.timeout(300));
    await expect(pending).rejects.toThrow();
    expect(server.requests.count).toBe(1);
    const started = performance.now();
    const late = post(server, log.request).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => server.requests.count === 2);
    await server.close();
    expect(await late).toBe('failed');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('DJILog.fetchKeychains (dji-log-parser-js) against the fake server', () => {
  it('returns keychains that decode the synthetic v14 log', async () => {
    const parser = new DJILog(log.bytes);
    try {
      const keychains = await parser.fetchKeychains(API_KEY, server.url);
      expect(keychains).toEqual(log.keychains);
      expect(server.requests.count).toBe(1);
      expect(server.requests.bodies[0]).toEqual(log.request);
      const frames = parser.frames(keychains);
      expect(frames).toHaveLength(log.frameCount);
      expect(frames[100]!.osd.latitude).toBeCloseTo(log.spec.samples[100]!.latitude, 9);
    } finally {
      parser.free();
    }
  });

  it('bad-keys: the parser accepts them and decodes garbage', async () => {
    server.setMode('bad-keys');
    const parser = new DJILog(log.bytes);
    const keychains = await parser.fetchKeychains(API_KEY, server.url);
    parser.free();
    const { frames } = decode(log.bytes, keychains);
    expect(frames.filter((f, i) => Math.abs(f.osd.latitude - log.spec.samples[i]!.latitude) < 0.01)).toHaveLength(0);
  });

  it('a code outside 0–255 is reported as an unparsable response (the parser reads it as a u8)', async () => {
    // a tiny stub: the fake server itself only sends codes the parser can read
    const { createServer } = await import('node:http');
    const stub = createServer((_req, res) => res.end(JSON.stringify({ result: { code: 1001, msg: 'big' }, data: null })));
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', () => r()));
    const port = (stub.address() as { port: number }).port;
    const parser = new DJILog(log.bytes);
    try {
      expect(await rejection(parser.fetchKeychains(API_KEY, `http://127.0.0.1:${port}/k`))).toBe('DJI Api error: Unable to parse response');
    } finally {
      parser.free();
      stub.closeAllConnections();
      await new Promise((r) => stub.close(r));
    }
  });

  it.each([
    ['wrong api key', 'ok', 'not-the-key', /Invalid Api Key/],
    ['forbidden', 'forbidden', API_KEY, /Invalid Api Key/],
    ['error500', 'error500', API_KEY, /Invalid Api Key/],
    ['code-nonzero', 'code-nonzero', API_KEY, /DJI Api error: Simulated DJI error/],
    ['no-data', 'no-data', API_KEY, /DJI Api error: Missing keychain data/],
    ['malformed', 'malformed', API_KEY, /DJI Api error: Unable to get response/],
  ] as const)('%s → the parser rejects with %s', async (_name, mode, key, message) => {
    server.setMode(mode);
    const parser = new DJILog(log.bytes);
    try {
      expect(await rejection(parser.fetchKeychains(key, server.url))).toMatch(message);
      expect(server.requests.count).toBe(1);
    } finally {
      parser.free();
    }
  });

  it('hang: the parser waits forever (no timeout) until the server goes away', async () => {
    server.setMode('hang');
    const parser = new DJILog(log.bytes);
    const outcome = rejection(parser.fetchKeychains(API_KEY, server.url));
    await waitFor(() => server.requests.count === 1);
    const raced = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('still pending'), 300))]);
    expect(raced).toBe('still pending');
    await server.close();
    expect(await outcome).toMatch(/DJI Api error: Unable to fetch request/);
    parser.free();
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
