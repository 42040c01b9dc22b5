import { describe, expect, it } from 'vitest';
import { InvalidError } from '../src/errors.js';
import { normaliseTags } from '../src/services/flight-edit.service.js';
import { parseBound, splitList } from '../src/services/flight-query.service.js';

describe('flight query parsing (pure)', () => {
  it('reads a day as the start of that UTC day', () => {
    expect(parseBound('from', '2024-09-01')).toEqual({ instant: new Date('2024-09-01T00:00:00Z'), dateOnly: true });
  });

  it('reads instants with Z, ±HH:MM, ±HHMM, a space separator, or no offset (UTC)', () => {
    const at = (raw: string) => parseBound('to', raw).instant.toISOString();
    expect(at('2024-09-01T10:00:00Z')).toBe('2024-09-01T10:00:00.000Z');
    expect(at('2024-09-01T10:00:00+02:00')).toBe('2024-09-01T08:00:00.000Z');
    expect(at('2024-09-01T10:00-0530')).toBe('2024-09-01T15:30:00.000Z');
    expect(at('2024-09-01 10:00')).toBe('2024-09-01T10:00:00.000Z');
    expect(at('2024-09-01t10:00:00.250z')).toBe('2024-09-01T10:00:00.250Z');
  });

  it('rejects impossible or malformed dates with a message that shows the format', () => {
    for (const raw of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-9-1', 'yesterday', '2024-09-01T24:61', '1725200000']) {
      expect(() => parseBound('from', raw), raw).toThrow(InvalidError);
      expect(() => parseBound('from', raw), raw).toThrow(/YYYY-MM-DD/);
    }
    expect(parseBound('from', '2024-02-29').dateOnly).toBe(true);
  });

  it('splits repeated and comma-separated values, trimming and de-duplicating', () => {
    expect(splitList(['a, b', 'c', 'a', ' ', ''])).toEqual(['a', 'b', 'c']);
    expect(splitList(undefined)).toEqual([]);
  });
});

describe('manual tag normalisation (pure)', () => {
  it('trims, collapses inner whitespace and merges case-insensitive duplicates keeping the first spelling', () => {
    expect(normaliseTags(['  Golden\t hour ', 'golden hour', 'Sunset', 'SUNSET'])).toEqual(['Golden hour', 'Sunset']);
    expect(normaliseTags([])).toEqual([]);
  });

  it('names the offending tag by index', () => {
    expect(() => normaliseTags(['ok', ''])).toThrow('tags[1] is empty');
    expect(() => normaliseTags(['x'.repeat(41)])).toThrow('tags[0]');
    expect(() => normaliseTags(['a,b'])).toThrow('comma');
    expect(() => normaliseTags(['bell\u0007'])).toThrow('control characters');
  });

  it('allows 50 distinct tags but not 51', () => {
    expect(normaliseTags(Array.from({ length: 50 }, (_, i) => `t${i}`))).toHaveLength(50);
    expect(() => normaliseTags(Array.from({ length: 51 }, (_, i) => `t${i}`))).toThrow('at most 50');
  });
});
