import { describe, expect, it } from 'vitest';
import { ifRangeHolds, MAX_RANGES, multipartLayout, noneMatch, notModifiedSince, parseRange } from './byte-ranges.js';

describe('parseRange', () => {
  it('reads single, suffix and open-ended ranges, clamped to the file', () => {
    expect(parseRange('bytes=0-126', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 126 }] });
    expect(parseRange('bytes=0-16383', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 999 }] });
    expect(parseRange('bytes=-10', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 990, end: 999 }] });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 999 }] });
    expect(parseRange('bytes=990-', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 990, end: 999 }] });
    expect(parseRange(' Bytes = 5-5 ', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 5, end: 5 }] });
  });

  it('sorts several ranges and merges overlapping or adjacent ones', () => {
    expect(parseRange('bytes=100-109,0-6', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 6 }, { start: 100, end: 109 }] });
    expect(parseRange('bytes=0-5,3-10,11-20', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 20 }] });
    expect(parseRange('bytes=0-1,,5-6', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 1 }, { start: 5, end: 6 }] });
  });

  it('is unsatisfiable when nothing asked for lies in the file', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=2000-3000,1000-1001', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores (whole file) a missing or malformed header, another unit, and too many pieces', () => {
    for (const h of [undefined, 'bytes=abc', 'bytes=9-3', 'bytes=-', 'items=0-5', 'bytes=1.5-2', `bytes=${'9'.repeat(20)}-`]) {
      expect(parseRange(h, 1000), String(h)).toEqual({ kind: 'full' });
    }
    const many = Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',');
    expect(parseRange(`bytes=${many}`, 1000)).toEqual({ kind: 'full' });
    const allowed = Array.from({ length: MAX_RANGES }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',');
    expect(parseRange(`bytes=${allowed}`, 1000)).toMatchObject({ kind: 'partial' });
  });
});

describe('conditional requests', () => {
  const modified = new Date('2024-09-01T12:00:00.700Z');
  it('matches If-None-Match weakly, lists and *', () => {
    expect(noneMatch('"a"', '"a"')).toBe(true);
    expect(noneMatch('W/"a"', '"a"')).toBe(true);
    expect(noneMatch('"b", "a"', '"a"')).toBe(true);
    expect(noneMatch('*', '"a"')).toBe(true);
    expect(noneMatch('"b"', '"a"')).toBe(false);
    expect(noneMatch(undefined, '"a"')).toBe(false);
  });
  it('compares If-Modified-Since at whole seconds', () => {
    expect(notModifiedSince(modified.toUTCString(), modified)).toBe(true);
    expect(notModifiedSince(new Date('2024-09-01T11:59:59Z').toUTCString(), modified)).toBe(false);
    expect(notModifiedSince('not a date', modified)).toBe(false);
  });
  it('honours If-Range only for the strong current ETag or the exact Last-Modified', () => {
    expect(ifRangeHolds(undefined, '"a"', modified)).toBe(true);
    expect(ifRangeHolds('"a"', '"a"', modified)).toBe(true);
    expect(ifRangeHolds('W/"a"', '"a"', modified)).toBe(false);
    expect(ifRangeHolds('"b"', '"a"', modified)).toBe(false);
    expect(ifRangeHolds(modified.toUTCString(), '"a"', modified)).toBe(true);
    expect(ifRangeHolds(new Date('2024-08-01').toUTCString(), '"a"', modified)).toBe(false);
  });
});

describe('multipartLayout', () => {
  it('counts the exact body length of heads, bytes and the closing delimiter', () => {
    const l = multipartLayout([{ start: 0, end: 6 }, { start: 100, end: 109 }], 500, 'application/vnd.pmtiles', 'XYZ');
    expect(l.heads[0]).toBe('--XYZ\r\nContent-Type: application/vnd.pmtiles\r\nContent-Range: bytes 0-6/500\r\n\r\n');
    expect(l.heads[1]!.startsWith('\r\n--XYZ\r\n')).toBe(true);
    expect(l.tail).toBe('\r\n--XYZ--\r\n');
    expect(l.length).toBe(l.heads[0]!.length + 7 + l.heads[1]!.length + 10 + l.tail.length);
  });
});
