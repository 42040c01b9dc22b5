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
  if (version < 1 || version > MAX_PLAUSIBLE_VERSION) throw notAFlightLog(10);
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
