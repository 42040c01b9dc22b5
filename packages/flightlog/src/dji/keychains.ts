import type { KeychainRequest, Keychains } from '../types.js';
import { keychainRejected } from './failures.js';

/** Wire names of DJI's feature points. Anything else makes the WASM parser panic. */
export const FEATURE_POINTS: readonly string[] = [
  'Base_1', 'Vision_2', 'Waypoint_3', 'Agriculture_4', 'AirLink_5', 'AfterSales_6', 'DJIFlyCustom_7', 'Plaintext_8',
  'FlightHub_9', 'Gimbal_10', 'RC_11', 'Camera_12', 'Battery_13', 'FlySafe_14', 'Security_15',
].map((name) => `FR_Standardization_Feature_${name}`);

const FEATURE_POINT_SET = new Set(FEATURE_POINTS);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decoded length of a padded standard-base64 string, or -1 when it is not one. */
export function base64ByteLength(s: unknown): number {
  if (typeof s !== 'string' || !BASE64.test(s)) return -1;
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - padding;
}

/**
 * Checks keychains before they reach the parser. Malformed entries (unknown feature point, keys that
 * are not 32 bytes, IVs that are not 16, unpadded base64) panic the WASM, so they are refused here with
 * 'keychain-rejected'. So are keychains with fewer groups than the log has non-empty key groups: the
 * later parts would silently decode to garbage.
 */
export function validateKeychains(keychains: unknown, request: KeychainRequest): Keychains {
  if (!Array.isArray(keychains)) throw keychainRejected('malformed');
  for (const group of keychains) {
    if (!Array.isArray(group)) throw keychainRejected('malformed');
    for (const entry of group) {
      if (entry === null || typeof entry !== 'object') throw keychainRejected('malformed');
      const { featurePoint, aesKey, aesIv } = entry as Record<string, unknown>;
      if (typeof featurePoint !== 'string' || !FEATURE_POINT_SET.has(featurePoint)) throw keychainRejected('malformed');
      if (base64ByteLength(aesKey) !== 32 || base64ByteLength(aesIv) !== 16) throw keychainRejected('malformed');
    }
  }
  const needed = request.keychainsArray.reduce((last, group, i) => (group.length > 0 ? i + 1 : last), 0);
  if (keychains.length < needed) throw keychainRejected('incomplete');
  return keychains as Keychains;
}
