import { emptyFile, notAFlightLog, truncated, unreadable } from './failures.js';
import { FIRST_ENCRYPTED_VERSION } from './header.js';

/** The parser always reads a 100-byte prefix. */
export const PREFIX_BYTES = 100;
/** Highest format version byte accepted as "could be a DJI log" (14 is the newest seen; leave room). */
export const MAX_PLAUSIBLE_VERSION = 20;
/** DJI logs are far below this; a larger offset in the prefix means the bytes are not a DJI prefix. */
const MAX_PLAUSIBLE_OFFSET = 2 ** 32;

/**
 * Checks the 100-byte prefix before the WASM parser sees the bytes, so that random data and truncated
 * files give clean errors instead of a parser panic (which can leave the WASM instance unusable).
 * Returns the format version.
 *
 * Prefix: u64 detail_offset (v1–11: where records end and details start; v13+: where records start,
 * 0 = work it out), u16, u8 version. v13+ logs continue with the Info block, whose magic byte is 0x00.
 */
export function sniffDjiPrefix(bytes: Uint8Array): number {
  if (bytes.length === 0) throw emptyFile();
  if (bytes.length < PREFIX_BYTES) throw notAFlightLog();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[10]!;
  if (!(version >= 1 && version <= MAX_PLAUSIBLE_VERSION)) throw notAFlightLog(10);
  const offset = Number(view.getBigUint64(0, true));
  // v12 ignores the offset field, so only the other versions are held to it.
  if (version !== 12 && offset >= MAX_PLAUSIBLE_OFFSET) throw notAFlightLog(0);

  if (version <= 11) {
    // Records run from byte 12 (v1–5) or 100 (v6–11) up to the details at `offset`.
    const recordsStart = version <= 5 ? 12 : PREFIX_BYTES;
    if (offset > bytes.length) throw truncated(offset, bytes.length);
    if (offset < recordsStart) throw unreadable(undefined, 0);
  } else if (version >= FIRST_ENCRYPTED_VERSION) {
    if (bytes[PREFIX_BYTES] !== 0x00) throw notAFlightLog(PREFIX_BYTES);
    if (offset !== 0 && (offset < PREFIX_BYTES || offset > bytes.length)) throw truncated(offset, bytes.length);
  }
  return version;
}

/** Length of the trailer DJI apps write after the last record of v13+ logs. */
const TRAILER_BYTES = 4;

/**
 * For v12+ logs (records run to the end of the file): the bytes without a record cut off by truncation.
 * A cut-off AES record makes the parser panic, while the complete records before it decode fine, so a
 * log whose app or phone died mid-flight still gives the flight up to that point. Returns the original
 * bytes when the tail is complete, or when the records stop looking like records (damage in the middle
 * is left to the parser's own resynchronisation).
 *
 * Framing (dji-log-format.md §1.5): `[type u8][len: u8 for v12, u16 for v13+][len bytes][0xFF]`,
 * starting at 536 (v12) or after the Info and Version blocks (v13+).
 */
export function withoutIncompleteTail(bytes: Uint8Array, version: number): { bytes: Uint8Array; cutAt: number | null } {
  // cutAt: where a truncated record was cut off (null when the tail was complete or just the trailer).
  const whole = { bytes, cutAt: null };
  if (version < 12) return whole;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  let at: number;
  if (version === 12) {
    at = 536;
  } else {
    const offset = Number(view.getBigUint64(0, true));
    at = PREFIX_BYTES;
    if (offset >= PREFIX_BYTES) {
      at = offset;
    } else {
      for (let block = 0; block < 2; block++) {
        if (at + 3 > length) return whole;
        at += 3 + view.getUint16(at + 1, true);
      }
    }
  }
  const lengthBytes = version >= FIRST_ENCRYPTED_VERSION ? 2 : 1;
  while (at < length) {
    const bodyStart = at + 1 + lengthBytes;
    const endByte = bodyStart > length ? length : bodyStart + (lengthBytes === 2 ? view.getUint16(at + 1, true) : bytes[at + 1]!);
    if (endByte >= length) {
      // Real v14 logs end with a 4-byte trailer (39 30 00 00: the "12345" checksum of the details),
      // which is not a record; only a longer incomplete tail means the file was cut.
      return { bytes: bytes.subarray(0, at), cutAt: length - at > TRAILER_BYTES ? at : null };
    }
    if (bytes[endByte] !== 0xff) return whole;
    at = endByte + 1;
  }
  return whole;
}
