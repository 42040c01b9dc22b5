import { FIRST_ENCRYPTED_VERSION } from './header.js';
import { PREFIX_BYTES } from './sniff.js';

/**
 * A smaller log holding only the first records of `bytes`, for reading the battery records without a second decode of
 * the whole file (see `batteryInfo()` in parse.ts). The parser reads such a log like a truncated one.
 *
 * Record framing (dji-log-format.md §1.5): `[type u8][len: u8 before v13, u16 from v13][len bytes][0xFF]`. Records run
 * - v1–5 from byte 12, v6–11 from byte 100, up to the details at the prefix's offset field;
 * - v12 from byte 536 (details before them), v13+ after the Info and Version blocks, to the end of the file.
 *
 * The cut is placed on a record boundary found by walking the framing from the first record (a cut-off record can make
 * the parser panic or read garbage), at the first boundary at or past `fraction` of the record bytes. Where the framing
 * stops looking like records before that (the parser resynchronises there, this walk does not), the cut is the last
 * boundary seen. For v1–11 the details are appended after the cut and the offset field rewritten to point at them.
 *
 * Returns null when no useful prefix exists (no complete record before the target, or the target is the whole log):
 * the caller then decodes the whole log.
 */
export function recordPrefix(bytes: Uint8Array, version: number, fraction: number): Uint8Array | null {
  const region = recordRegion(bytes, version);
  if (region === null) return null;
  const { start, end } = region;
  const target = start + Math.ceil((end - start) * fraction);
  if (target >= end) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = version >= FIRST_ENCRYPTED_VERSION ? 2 : 1;
  let at = start;
  while (at < target) {
    const bodyStart = at + 1 + lengthBytes;
    if (bodyStart > end) break;
    const endByte = bodyStart + (lengthBytes === 2 ? view.getUint16(at + 1, true) : bytes[at + 1]!);
    if (endByte >= end || bytes[endByte] !== 0xff) break;
    at = endByte + 1;
  }
  if (at === start || at >= end) return null;
  if (version >= 12) return bytes.subarray(0, at);
  // v1–11: [prefix][records up to the cut][details], with the offset field pointing at the details.
  const details = bytes.subarray(end);
  const out = new Uint8Array(at + details.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(details, at);
  new DataView(out.buffer).setBigUint64(0, BigInt(at), true);
  return out;
}

/** Byte range of the records (see recordPrefix), or null when the prefix does not describe one. */
function recordRegion(bytes: Uint8Array, version: number): { start: number; end: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  if (length < PREFIX_BYTES) return null;
  const offset = Number(view.getBigUint64(0, true));
  if (version <= 11) {
    const start = version <= 5 ? 12 : PREFIX_BYTES;
    return offset > start && offset <= length ? { start, end: offset } : null;
  }
  if (version === 12) return length > 536 ? { start: 536, end: length } : null;
  let start = PREFIX_BYTES;
  if (offset >= PREFIX_BYTES) {
    start = offset;
  } else {
    for (let block = 0; block < 2; block++) {
      if (start + 3 > length) return null;
      start += 3 + view.getUint16(start + 1, true);
    }
  }
  return start < length ? { start, end: length } : null;
}
