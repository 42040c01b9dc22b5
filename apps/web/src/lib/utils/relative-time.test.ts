import { describe, expect, it } from 'vitest';
import { formatElapsed, formatRelative } from './relative-time.js';

const now = Date.parse('2024-09-01T12:00:00Z');
const at = (ms: number) => new Date(now + ms).toISOString();

describe('formatRelative', () => {
  it('says now, minutes, hours and days, both ways', () => {
    expect(formatRelative(at(10_000), now, 'en')).toBe('now');
    expect(formatRelative(at(-120_000), now, 'en')).toBe('2 minutes ago');
    expect(formatRelative(at(3 * 3_600_000), now, 'en')).toBe('in 3 hours');
    expect(formatRelative(at(-86_400_000), now, 'en')).toBe('yesterday');
    expect(formatRelative(at(-10 * 86_400_000), now, 'en')).toBe('last week');
    expect(formatRelative(null, now, 'en')).toBe('—');
  });
});

describe('formatElapsed', () => {
  it('gives the length of a run, or of a running one until now', () => {
    expect(formatElapsed(at(0), at(42_000))).toBe('42 s');
    expect(formatElapsed(at(0), at(185_000))).toBe('3 min 5 s');
    expect(formatElapsed(at(0), at(3_720_000))).toBe('1 h 2 min');
    expect(formatElapsed(at(-5000), null, now)).toBe('5 s');
  });
});
