/**
 * A loopback stand-in for DJI's keychain API (POST /openapi/v1/flight-records/keychains).
 * Stateless: it answers by unwrapping the self-describing KeyStorage blobs the testkit writer
 * puts in v13+ logs, so any synthetic log can be decoded through it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Keychains, KeychainRequest } from '@dronelog/flightlog';
import { featurePointNumber } from './dji/constants.js';
import { decodeKeyStorageBlob, keychainEntry, wrongKeychains } from './dji/keychains.js';

export type FakeKeychainServerMode =
  /** 200 `{"result":{"code":0,"msg":"success"},"data":[[…]]}` with the keys unwrapped from the request. */
  | 'ok'
  /** 403 (the parser reports "Invalid Api Key"), whatever the key. */
  | 'forbidden'
  /** 500 with a JSON error body (the parser also reports "Invalid Api Key": any non-2xx does). */
  | 'error500'
  /** 200 with a body that is not JSON ("DJI Api error: Unable to parse response"). */
  | 'malformed'
  /** 200 with result.code 100 ("DJI Api error: <msg>"; the parser reads code as a u8, so codes > 255 would read as "Unable to parse response"). */
  | 'code-nonzero'
  /** 200 with code 0 and no `data` ("DJI Api error: Missing keychain data"). */
  | 'no-data'
  /** Never answers (the parser's fetch has no timeout); close() still ends promptly. */
  | 'hang'
  /** 200 success with well-formed but wrong keys: decoding yields garbage. */
  | 'bad-keys';

export interface FakeKeychainServerOptions {
  /** Expected `Api-Key` header; any other value gets 403. */
  apiKey: string;
  mode?: FakeKeychainServerMode;
  /** URL path served (default the real one). Other paths get 404. */
  path?: string;
}

export interface RecordedRequests {
  /** Requests received (all modes, all outcomes). */
  readonly count: number;
  /** Parsed JSON bodies in arrival order (the raw text when the body was not JSON). */
  readonly bodies: readonly unknown[];
  /** Api-Key header of each request (undefined when absent). */
  readonly apiKeys: readonly (string | undefined)[];
  reset(): void;
}

export interface FakeKeychainServer {
  /** Full endpoint URL, e.g. http://127.0.0.1:41234/openapi/v1/flight-records/keychains. Pass it as-is to fetchKeychains. */
  readonly url: string;
  readonly requests: RecordedRequests;
  readonly mode: FakeKeychainServerMode;
  setMode(mode: FakeKeychainServerMode): void;
  /** Stops listening and destroys every open socket (including hung requests). */
  close(): Promise<void>;
}

export const DJI_KEYCHAINS_PATH = '/openapi/v1/flight-records/keychains';

/** Thrown inside the handler when a request cannot be answered from its blobs. */
class UnanswerableRequest extends Error {}

/** The keychains a stateless server derives from a request built from testkit blobs. */
export function keychainsFromRequest(body: unknown): Keychains {
  const req = body as Partial<KeychainRequest> | null;
  if (!req || typeof req !== 'object' || !Array.isArray(req.keychainsArray)) {
    throw new UnanswerableRequest('request body has no keychainsArray');
  }
  return req.keychainsArray.map((group, g) => {
    if (!Array.isArray(group)) throw new UnanswerableRequest(`keychainsArray[${g}] is not an array`);
    return group.map((entry, i) => {
      const fp = typeof entry?.featurePoint === 'string' ? featurePointNumber(entry.featurePoint) : null;
      if (fp === null) throw new UnanswerableRequest(`keychainsArray[${g}][${i}].featurePoint is unknown`);
      const blob = typeof entry.aesCiphertext === 'string' ? Buffer.from(entry.aesCiphertext, 'base64') : Buffer.alloc(0);
      const k = decodeKeyStorageBlob(blob);
      if (!k) throw new UnanswerableRequest(`keychainsArray[${g}][${i}].aesCiphertext is not a testkit KeyStorage blob`);
      if (k.featurePoint !== fp) throw new UnanswerableRequest(`keychainsArray[${g}][${i}] blob is for feature point ${k.featurePoint}, not ${fp}`);
      return keychainEntry(k);
    });
  });
}

export async function startFakeKeychainServer(options: FakeKeychainServerOptions): Promise<FakeKeychainServer> {
  let mode: FakeKeychainServerMode = options.mode ?? 'ok';
  const path = options.path ?? DJI_KEYCHAINS_PATH;
  const bodies: unknown[] = [];
  const apiKeys: (string | undefined)[] = [];
  const sockets = new Set<Socket>();

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    let validJson = false;
    try {
      body = JSON.parse(raw);
      validJson = true;
    } catch {
      // keep the raw text
    }
    const apiKeyHeader = req.headers['api-key'];
    const apiKey = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader;
    bodies.push(body);
    apiKeys.push(apiKey);

    if (mode === 'hang') return; // never answer; close() destroys the socket
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== path) return json(res, 404, { result: { code: 404, msg: 'not found' } });
    if (req.method !== 'POST') return json(res, 405, { result: { code: 405, msg: 'method not allowed' } });
    if (apiKey !== options.apiKey || mode === 'forbidden') return json(res, 403, { result: { code: 403, msg: 'Forbidden' } });
    switch (mode) {
      case 'error500':
        return json(res, 500, { result: { code: 500, msg: 'Internal Server Error' } });
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"result": {"code": 0, "msg": "success"}, "data": [[{"featurePoint": ');
        return;
      case 'code-nonzero':
        return json(res, 200, { result: { code: 100, msg: 'Simulated DJI error: keychain quota exceeded' }, data: null });
      case 'no-data':
        return json(res, 200, { result: { code: 0, msg: 'success' } });
      case 'ok':
      case 'bad-keys': {
        if (!validJson) return json(res, 200, { result: { code: 2, msg: 'request body is not JSON' }, data: null });
        let data: Keychains;
        try {
          data = keychainsFromRequest(body);
        } catch (e) {
          if (e instanceof UnanswerableRequest) return json(res, 200, { result: { code: 1, msg: e.message }, data: null });
          throw e;
        }
        if (mode === 'bad-keys') data = wrongKeychains(data, 'fake-server-bad-keys');
        return json(res, 200, { result: { code: 0, msg: 'success' }, data });
      }
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { result: { code: 500, msg: String(err) } });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests: {
      get count() {
        return bodies.length;
      },
      bodies,
      apiKeys,
      reset() {
        bodies.length = 0;
        apiKeys.length = 0;
      },
    },
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
