/**
 * HTTP byte ranges (RFC 9110 §14) as pure functions: which part of a file of `size` bytes a `Range` header asks
 * for, and the conditional checks that decide between 200, 206, 304 and 416. basemap.routes.ts applies them.
 */

/** Inclusive byte offsets, as in `Content-Range: bytes start-end/size`. */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeVerdict =
  /** Send the whole file (no Range, another unit, a malformed header, or too many pieces to be a real client). */
  | { kind: 'full' }
  /** Nothing asked for lies inside the file: 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' }
  /** One or more ranges, sorted, overlapping and adjacent ones merged, each clamped to the file. */
  | { kind: 'partial'; ranges: ByteRange[] };

/**
 * Most ranges answered in one multipart response. A PMTiles reader asks for one range at a time; a long list of
 * small pieces is a broken client or an attempt to make the server work hard, and gets the plain 200 answer that
 * RFC 9110 allows for any Range request.
 */
export const MAX_RANGES = 16;

const SPEC = /^(\d*)-(\d*)$/;

/** Reads a `Range` header against a file of `size` bytes. */
export function parseRange(header: string | undefined, size: number): RangeVerdict {
  if (header === undefined) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return { kind: 'full' };
  const specs = m[1]!.split(',').map((s) => s.trim());
  if (specs.length > MAX_RANGES * 4) return { kind: 'full' };
  const wanted: ByteRange[] = [];
  for (const spec of specs) {
    if (spec === '') continue; // "bytes=0-1,,5-6": empty list elements are allowed
    const r = SPEC.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return { kind: 'full' };
    let start: number;
    let end: number;
    if (r[1] === '') {
      // Suffix range "-n": the last n bytes.
      const n = Number(r[2]);
      if (n === 0) continue;
      start = Math.max(0, size - n);
      end = size - 1;
    } else {
      start = Number(r[1]);
      end = r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1);
      if (r[2] !== '' && Number(r[2]) < start) return { kind: 'full' };
    }
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return { kind: 'full' };
    if (start >= size || end < start) continue;
    wanted.push({ start, end });
  }
  if (wanted.length === 0) return { kind: 'unsatisfiable' };
  wanted.sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [];
  for (const r of wanted) {
    const last = merged.at(-1);
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  if (merged.length > MAX_RANGES) return { kind: 'full' };
  return { kind: 'partial', ranges: merged };
}

/** Whether an `If-None-Match` list names this ETag (weak comparison, as RFC 9110 §13.1.2 asks). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

/** Whether the resource is unchanged since `If-Modified-Since` (HTTP dates have whole seconds). */
export function notModifiedSince(header: string | undefined, lastModified: Date): boolean {
  if (header === undefined) return false;
  const since = Date.parse(header);
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/**
 * Whether a `Range` may be honoured under `If-Range`: with no If-Range always; with an ETag only on a strong,
 * exact match; with a date only when it equals Last-Modified. Otherwise the client's cached part is stale and it
 * gets the whole file.
 */
export function ifRangeHolds(header: string | undefined, etag: string, lastModified: Date): boolean {
  if (header === undefined) return true;
  const v = header.trim();
  if (v.startsWith('"') || v.startsWith('W/')) return !v.startsWith('W/') && v === etag;
  const at = Date.parse(v);
  return Number.isFinite(at) && at === Math.floor(lastModified.getTime() / 1000) * 1000;
}

/** The pieces of a `multipart/byteranges` body: a head before each range and the closing delimiter. */
export function multipartLayout(
  ranges: readonly ByteRange[],
  size: number,
  contentType: string,
  boundary: string,
): { heads: string[]; tail: string; length: number } {
  const heads = ranges.map(
    (r, i) => `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`,
  );
  const tail = `\r\n--${boundary}--\r\n`;
  const length =
    heads.reduce((n, h) => n + Buffer.byteLength(h), 0) + ranges.reduce((n, r) => n + r.end - r.start + 1, 0) + Buffer.byteLength(tail);
  return { heads, tail, length };
}
