import { DJILog, type Details, type Frame, type KeychainFeaturePoint, type KeychainsRequest } from 'dji-log-parser-js';
import type { Keychains } from '@dronelog/flightlog';

export interface Decoded {
  version: number;
  details: Details;
  frames: Frame[];
  request: KeychainsRequest;
}

/** Parses bytes with the npm parser (dji-log-parser-js 0.5.7) and frees the WASM object. v13+ frames only with keychains. */
export function decode(bytes: Uint8Array, keychains?: Keychains | unknown[][]): Decoded {
  const log = new DJILog(bytes);
  try {
    return {
      version: log.version,
      details: log.details,
      request: log.keychainsRequest(),
      // The .d.ts types featurePoint as "BaseFeature"…; on the wire it is "FR_Standardization_Feature_…".
      // v13+ without keychains: frames() throws "Keychain is required", so only read the header.
      frames: log.version >= 13 && !keychains ? [] : log.frames(keychains as KeychainFeaturePoint[][] | undefined),
    };
  } finally {
    log.free();
  }
}

/** The message of whatever a promise rejects with (the WASM rejects with strings or Errors). */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected the promise to reject');
}

export const sha256 = async (b: Uint8Array): Promise<string> => {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(b).digest('hex');
};
