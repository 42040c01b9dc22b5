/**
 * Keychains for synthetic v13+ logs, and the self-describing KeyStorage blobs that let a
 * stateless fake DJI server answer keychain requests.
 *
 * Blob format (80 bytes): wrapIv(16) ‖ AES-256-CBC(TESTKIT_WRAP_KEY, wrapIv, PKCS#7(
 *   "DLKS" ‖ u16 featurePoint ‖ aesKey(32) ‖ aesIv(16))).
 * Real DJI blobs are opaque ciphertext that only DJI can unwrap; these are ours.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import type { Keychains } from '@dronelog/flightlog';
import { derivedBytes } from '../random.js';
import { featurePointName, featurePointNumber } from './constants.js';

const MAGIC = Buffer.from('DLKS', 'ascii');

/** The fixed wrapping key of testkit KeyStorage blobs (not a secret: test material only). */
export const TESTKIT_WRAP_KEY: Uint8Array = createHash('sha256').update('dronelog-testkit/keystorage-wrap/v1').digest();

export interface FeaturePointKey {
  featurePoint: number;
  key: Uint8Array; // 32 bytes
  iv: Uint8Array; // 16 bytes
}

export function encodeKeyStorageBlob(k: FeaturePointKey, wrapIv: Uint8Array): Uint8Array {
  if (k.key.length !== 32 || k.iv.length !== 16) throw new RangeError('aesKey must be 32 bytes and aesIv 16 bytes');
  const plain = Buffer.alloc(4 + 2 + 32 + 16);
  MAGIC.copy(plain, 0);
  plain.writeUInt16LE(k.featurePoint, 4);
  Buffer.from(k.key).copy(plain, 6);
  Buffer.from(k.iv).copy(plain, 38);
  const c = createCipheriv('aes-256-cbc', TESTKIT_WRAP_KEY, wrapIv);
  return new Uint8Array(Buffer.concat([Buffer.from(wrapIv), c.update(plain), c.final()]));
}

/** Unwraps a testkit KeyStorage blob; null when it is not one (e.g. a real DJI blob). */
export function decodeKeyStorageBlob(blob: Uint8Array): FeaturePointKey | null {
  if (blob.length !== 80) return null;
  try {
    const d = createDecipheriv('aes-256-cbc', TESTKIT_WRAP_KEY, blob.subarray(0, 16));
    const plain = Buffer.concat([d.update(blob.subarray(16)), d.final()]);
    if (plain.length !== 54 || !plain.subarray(0, 4).equals(MAGIC)) return null;
    return {
      featurePoint: plain.readUInt16LE(4),
      key: new Uint8Array(plain.subarray(6, 38)),
      iv: new Uint8Array(plain.subarray(38, 54)),
    };
  } catch {
    return null; // bad padding: not our blob
  }
}

/** Keychain entry in the API's shape. */
export function keychainEntry(k: FeaturePointKey): Keychains[number][number] {
  return {
    featurePoint: featurePointName(k.featurePoint),
    aesKey: Buffer.from(k.key).toString('base64'),
    aesIv: Buffer.from(k.iv).toString('base64'),
  };
}

/**
 * Keychains with the same groups and feature points but other (seeded, random) keys and IVs.
 * Decoding with them yields garbage (usually all-zero values) and no error: what an importer must reject.
 */
export function wrongKeychains(keychains: Keychains, seed: string | number = 'wrong'): Keychains {
  return keychains.map((group, g) =>
    group.map((entry) => ({
      featurePoint: entry.featurePoint,
      aesKey: Buffer.from(derivedBytes(`wrong-key|${seed}|${g}|${entry.featurePoint}|${entry.aesKey}`, 32)).toString('base64'),
      aesIv: Buffer.from(derivedBytes(`wrong-iv|${seed}|${g}|${entry.featurePoint}|${entry.aesIv}`, 16)).toString('base64'),
    })),
  );
}

export type MalformedKeychainsKind =
  /** aesKey decodes to 16 bytes instead of 32: the WASM parser panics. */
  | 'short-key'
  /** featurePoint uses the .d.ts enum name ("BaseFeature") instead of the wire name: the WASM panics. */
  | 'unknown-feature-point'
  /** aesKey is not base64: the WASM panics. */
  | 'not-base64'
  /** One empty group: the parser does not throw, every record decodes as garbage. */
  | 'empty'
  /** Only the first group (for logs with several keychain groups): later groups decode as garbage. */
  | 'missing-groups';

/** Deliberately malformed keychains for error-path tests (see each kind for what the parser does). */
export function malformedKeychains(keychains: Keychains, kind: MalformedKeychainsKind): unknown[][] {
  switch (kind) {
    case 'short-key':
      return keychains.map((g) => g.map((e) => ({ ...e, aesKey: Buffer.from(e.aesKey, 'base64').subarray(0, 16).toString('base64') })));
    case 'unknown-feature-point':
      return keychains.map((g) => g.map((e) => ({ ...e, featurePoint: 'BaseFeature' })));
    case 'not-base64':
      return keychains.map((g) => g.map((e) => ({ ...e, aesKey: '%%% not base64 %%%' })));
    case 'empty':
      return [[]];
    case 'missing-groups':
      return keychains.slice(0, 1);
  }
}

/** Validates the shape of keychains (what the importer should do before handing them to the WASM). */
export function isWellFormedKeychains(value: unknown): value is Keychains {
  if (!Array.isArray(value)) return false;
  return value.every(
    (group) =>
      Array.isArray(group) &&
      group.every((e: unknown) => {
        if (typeof e !== 'object' || e === null) return false;
        const { featurePoint, aesKey, aesIv } = e as Record<string, unknown>;
        return (
          typeof featurePoint === 'string' &&
          featurePointNumber(featurePoint) !== null &&
          isBase64OfLength(aesKey, 32) &&
          isBase64OfLength(aesIv, 16)
        );
      }),
  );
}

function isBase64OfLength(v: unknown, n: number): boolean {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return false;
  return Buffer.from(v, 'base64').length === n;
}
