import { describe, expect, it } from 'vitest';
import { localDayBoundsUtc, matchQuickRange, quickRange, toLocalDate } from './date-ranges.js';

const now = new Date(2026, 10, 23, 15, 30); // 23 Nov 2026, local time

describe('quickRange', () => {
  it('counts today as the last day of "last N days"', () => {
    expect(quickRange('7d', now)).toEqual({ from: '2026-11-17', to: '2026-11-23' });
    expect(quickRange('90d', now)).toEqual({ from: '2026-08-26', to: '2026-11-23' });
  });
  it('starts "this year" on 1 January', () => {
    expect(quickRange('ytd', now)).toEqual({ from: '2026-01-01', to: '2026-11-23' });
  });
  it('has no bounds for all time', () => {
    expect(quickRange('all', now)).toEqual({ from: null, to: null });
  });
  it('is recognised back from its bounds to highlight the active chip', () => {
    const r = quickRange('30d', now);
    expect(matchQuickRange(r.from, r.to, now)).toBe('30d');
    expect(matchQuickRange('2020-01-01', '2020-02-01', now)).toBeNull();
  });
});

describe('localDayBoundsUtc', () => {
  it('turns local days into instants: start of from-day, start of the day after to-day', () => {
    const { fromUtc, toUtc } = localDayBoundsUtc('2026-11-01', '2026-11-23');
    expect(new Date(fromUtc!).getTime()).toBe(new Date(2026, 10, 1).getTime());
    expect(new Date(toUtc!).getTime()).toBe(new Date(2026, 10, 24).getTime());
  });
  it('leaves open ends open', () => {
    expect(localDayBoundsUtc(null, null)).toEqual({ fromUtc: null, toUtc: null });
  });
});

describe('toLocalDate', () => {
  it('pads month and day', () => {
    expect(toLocalDate(new Date(2024, 0, 5))).toBe('2024-01-05');
  });
});
