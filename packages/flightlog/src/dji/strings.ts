/**
 * Cleaning of the fixed-width strings DJI writes into logs. The parser only trims trailing NULs,
 * so names can still carry `NUL + garbage` ("P4P-2\0\0\x93…"), whitespace, or a multi-byte UTF-8
 * character cut at the field boundary (decoded as U+FFFD).
 */

/** Free text (aircraft name, street): cut at the first NUL, drop control characters and a cut-off
 * trailing character, trim whitespace. Any script is kept (CJK names are common). Empty → null. */
export function cleanText(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const nul = raw.indexOf('\0');
  let s = nul >= 0 ? raw.slice(0, nul) : raw;
  s = s.replace(/[\u0000-\u001f\u007f]/g, '').replace(/\ufffd+$/u, '').trim();
  return s === '' ? null : s;
}

/** A serial number: as cleanText, then null when empty or all zeros ("0000000000" is what DJI writes
 * when the battery did not report one). */
export function cleanSerial(raw: unknown): string | null {
  const s = cleanText(raw);
  if (s === null || /^0+$/.test(s)) return null;
  return s;
}

/** True when the raw string was cut by a NUL (the part after it is lost or garbage). */
export function hasEmbeddedNul(raw: unknown): boolean {
  return typeof raw === 'string' && raw.includes('\0');
}

/**
 * Chooses between the serial in the log header and the one in the frames' Recover record.
 * The header wins unless it is missing, was cut by a NUL, or is a strict prefix of the Recover value
 * (a truncated header field). A Recover value with its own embedded NUL is never preferred.
 */
export function preferSerial(headerRaw: unknown, recoverRaw: unknown): string | null {
  const header = cleanSerial(headerRaw);
  const recover = hasEmbeddedNul(recoverRaw) ? null : cleanSerial(recoverRaw);
  if (recover === null) return header;
  if (header === null || hasEmbeddedNul(headerRaw)) return recover;
  if (recover.length > header.length && recover.startsWith(header)) return recover;
  return header;
}

/** "Map Loading" is what DJI apps store when the map had no address yet. */
const PLACEHOLDERS = new Set(['map loading']);

/** Joins the address fields into one place name, without placeholders or repeats. */
export function placeName(parts: readonly unknown[]): string | null {
  const seen: string[] = [];
  for (const part of parts) {
    const s = cleanText(part);
    if (s === null || PLACEHOLDERS.has(s.toLowerCase()) || seen.includes(s)) continue;
    seen.push(s);
  }
  return seen.length === 0 ? null : seen.join(', ');
}
