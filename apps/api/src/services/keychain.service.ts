import { createHash } from 'node:crypto';
import type { KeyProvider, KeychainRequest, Keychains, LogHeader } from '@dronelog/flightlog';
import { UnavailableError } from '../errors.js';
import { odlFileKeychainKey, type KeychainRepository } from '../repositories/keychain.repository.js';

/** Why no keychain could be obtained; `reasonCode` is stable, `message` is for the pilot. */
export type KeychainFailureCode =
  | 'no-api-key'
  | 'api-key-rejected'
  | 'keychain-unreachable'
  | 'keychain-timeout'
  | 'keychain-error';

export class KeychainUnavailableError extends UnavailableError {
  constructor(
    readonly reasonCode: KeychainFailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, reasonCode, options);
  }
}

/** The feature points the parser knows; any other string makes the WASM panic, so nothing else gets through. */
const FEATURE_POINTS = new Set(
  [
    'Base_1', 'Vision_2', 'Waypoint_3', 'Agriculture_4', 'AirLink_5', 'AfterSales_6', 'DJIFlyCustom_7', 'Plaintext_8',
    'FlightHub_9', 'Gimbal_10', 'RC_11', 'Camera_12', 'Battery_13', 'FlySafe_14', 'Security_15',
  ].map((n) => `FR_Standardization_Feature_${n}`),
);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_RESPONSE_BYTES = 1024 * 1024;

function isBase64OfLength(v: unknown, bytes: number): boolean {
  return typeof v === 'string' && v.length > 0 && BASE64.test(v) && Buffer.from(v, 'base64').length === bytes;
}

/**
 * Checks keychains strictly before they reach the WASM parser (a malformed entry panics it) and returns a
 * clean copy with only the three known fields. Returns a description of the problem instead when invalid.
 */
export function validateKeychains(data: unknown, request: KeychainRequest): { ok: true; keychains: Keychains } | { ok: false; problem: string } {
  if (!Array.isArray(data)) return { ok: false, problem: 'data is not a list of key groups' };
  // Every non-empty requested group needs its keys, or the later parts of the log decode to garbage.
  const needed = request.keychainsArray.reduce((last, group, i) => (group.length > 0 ? i + 1 : last), 0);
  if (data.length < needed) {
    return { ok: false, problem: `${data.length} key groups for ${needed} requested` };
  }
  const clean: Keychains = [];
  for (const [g, group] of data.entries()) {
    if (!Array.isArray(group)) return { ok: false, problem: `key group ${g} is not a list` };
    const out: Keychains[number] = [];
    for (const item of group as unknown[]) {
      if (typeof item !== 'object' || item === null) return { ok: false, problem: `key group ${g} holds a non-object` };
      const { featurePoint, aesKey, aesIv } = item as Record<string, unknown>;
      if (typeof featurePoint !== 'string' || !FEATURE_POINTS.has(featurePoint)) {
        return { ok: false, problem: `unknown feature point ${JSON.stringify(featurePoint)?.slice(0, 80)}` };
      }
      if (!isBase64OfLength(aesKey, 32)) return { ok: false, problem: `${featurePoint}: aesKey is not base64 of 32 bytes` };
      if (!isBase64OfLength(aesIv, 16)) return { ok: false, problem: `${featurePoint}: aesIv is not base64 of 16 bytes` };
      out.push({ featurePoint, aesKey: aesKey as string, aesIv: aesIv as string });
    }
    clean.push(out);
  }
  return { ok: true, keychains: clean };
}

/** JSON with object keys sorted at every level, so equal requests hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function keychainRequestHash(request: KeychainRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** One keychain handed to the parser, and where it came from (decides what happens after the parse). */
export interface KeychainLease {
  requestHash: string;
  request: KeychainRequest;
  keychains: Keychains;
  source: 'cache' | 'fetched';
  /** Set when the keys came from Open DroneLog's cache (keyed by this file key), not from our own by request. */
  fileKey?: string;
}

export interface KeychainServiceOptions {
  apiKey: string | null;
  endpoint: string;
  timeoutMs: number;
}

/**
 * flightlog's KeyProvider for the API: the `keychains` table first, then one POST to DJI's keychain endpoint.
 * Fetched keychains are only cached once they decoded a plausible flight (`confirm`); cached ones that turn
 * out wrong are dropped (`discard`).
 */
export class KeychainService implements KeyProvider {
  /** Counters for tests and metrics. */
  readonly stats = { hits: 0, misses: 0, fetches: 0, fetchFailures: 0, invalidCached: 0, stored: 0, discarded: 0 };
  readonly #inflight = new Map<string, Promise<KeychainLease>>();

  constructor(
    private readonly repo: KeychainRepository,
    private readonly opts: KeychainServiceOptions,
  ) {}

  /** KeyProvider: cache, then DJI. The caller does not learn where the keys came from; use `lease` for that. */
  async getKeychains(request: KeychainRequest, _header?: LogHeader): Promise<Keychains> {
    return (await this.lease(request)).keychains;
  }

  /**
   * Keychains for a request plus their origin. `skipCache` forces a fresh fetch (after a cached key failed);
   * `fileSha256` also finds keys Open DroneLog cached for that file (imported with its backup).
   */
  async lease(request: KeychainRequest, opts: { skipCache?: boolean; fileSha256?: string } = {}): Promise<KeychainLease> {
    const requestHash = keychainRequestHash(request);
    if (!opts.skipCache) {
      const keys = [requestHash, ...(opts.fileSha256 ? [odlFileKeychainKey(opts.fileSha256)] : [])];
      for (const key of keys) {
        const cached = await this.repo.get(key);
        if (!cached) continue;
        const valid = validateKeychains(cached.keychains, request);
        if (valid.ok) {
          this.stats.hits++;
          return { requestHash, request, keychains: valid.keychains, source: 'cache', ...(key !== requestHash ? { fileKey: key } : {}) };
        }
        this.stats.invalidCached++;
        await this.repo.delete(key);
      }
    }
    this.stats.misses++;
    // Two imports needing the same keys at the same time share one request to DJI.
    const pending = this.#inflight.get(requestHash);
    if (pending) return pending;
    const fetching = this.#fetch(request).then((keychains): KeychainLease => ({ requestHash, request, keychains, source: 'fetched' }));
    this.#inflight.set(requestHash, fetching);
    try {
      return await fetching;
    } finally {
      this.#inflight.delete(requestHash);
    }
  }

  /** The keys decoded a plausible flight: cache fetched ones (and ODL's, now under their request), count the use of cached ones. */
  async confirm(lease: KeychainLease): Promise<void> {
    if (lease.source === 'fetched' || lease.fileKey) {
      await this.repo.put(lease.requestHash, lease.request, lease.keychains);
      this.stats.stored++;
    } else {
      await this.repo.markUsed(lease.requestHash);
    }
  }

  /** The keys decoded garbage: never use them again. */
  async discard(lease: KeychainLease): Promise<void> {
    await this.repo.delete(lease.fileKey ?? lease.requestHash);
    this.stats.discarded++;
  }

  async #fetch(request: KeychainRequest): Promise<Keychains> {
    if (!this.opts.apiKey) {
      throw new KeychainUnavailableError('no-api-key', 'no DJI API key configured (set DJI_API_KEY)');
    }
    this.stats.fetches++;
    try {
      return await this.#post(request, this.opts.apiKey);
    } catch (err) {
      this.stats.fetchFailures++;
      throw err;
    }
  }

  async #post(request: KeychainRequest, apiKey: string): Promise<Keychains> {
    const host = new URL(this.opts.endpoint).host;
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.opts.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Api-Key': apiKey, Accept: 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'error',
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new KeychainUnavailableError(
          'keychain-timeout',
          `DJI's keychain service (${host}) did not answer within ${Math.round(this.opts.timeoutMs / 100) / 10} s; try again later`,
          { cause: err },
        );
      }
      const detail = e.cause?.code ?? e.cause?.message ?? e.message;
      throw new KeychainUnavailableError('keychain-unreachable', `could not reach DJI's keychain service (${host}): ${detail}`, {
        cause: err,
      });
    }
    if (res.status === 401 || res.status === 403) {
      throw new KeychainUnavailableError('api-key-rejected', `DJI rejected the API key (HTTP ${res.status}); check DJI_API_KEY`);
    }
    if (!res.ok) {
      throw new KeychainUnavailableError('keychain-error', `DJI's keychain service answered HTTP ${res.status}; try again later`);
    }
    if (text.length > MAX_RESPONSE_BYTES) {
      throw new KeychainUnavailableError('keychain-error', "DJI's keychain answer was unexpectedly large");
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new KeychainUnavailableError('keychain-error', "DJI's keychain answer was not JSON");
    }
    const result = (body as { result?: { code?: unknown; msg?: unknown } } | null)?.result;
    if (!result || typeof result !== 'object') {
      throw new KeychainUnavailableError('keychain-error', "DJI's keychain answer was malformed (no result)");
    }
    if (result.code !== 0) {
      const msg = typeof result.msg === 'string' && result.msg ? `: ${result.msg.slice(0, 200)}` : '';
      throw new KeychainUnavailableError('keychain-error', `DJI refused the keychain request (code ${String(result.code)}${msg})`);
    }
    const valid = validateKeychains((body as { data?: unknown }).data, request);
    if (!valid.ok) {
      throw new KeychainUnavailableError('keychain-error', `DJI's keychain answer was malformed (${valid.problem})`);
    }
    return valid.keychains;
  }
}
