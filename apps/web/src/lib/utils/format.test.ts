import { describe, expect, it } from 'vitest';
import { batteryUsed, flightTitle, formatBytes, formatClock, formatDuration, formatHours } from './format.js';

describe('formatDuration', () => {
  it('formats minutes and seconds, and hours when needed', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(199.307)).toBe('3:19');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('formatHours', () => {
  it('says hours and minutes for totals', () => {
    expect(formatHours(12_600)).toBe('3 h 30 min');
    expect(formatHours(2520)).toBe('42 min');
  });
});

describe('formatClock', () => {
  it('shows m:ss.s for the replay clock', () => {
    expect(formatClock(0)).toBe('0:00.0');
    expect(formatClock(83_450)).toBe('1:23.5');
  });
});

describe('batteryUsed', () => {
  it('is start minus end, never negative, null when unknown', () => {
    expect(batteryUsed(98, 73)).toBe(25);
    expect(batteryUsed(50, 60)).toBe(0);
    expect(batteryUsed(null, 60)).toBeNull();
  });
});

describe('flightTitle', () => {
  it("prefers the pilot's name, else model and local start time", () => {
    const f = { customName: null, aircraftModel: 'Mini 4 Pro', aircraftName: 'm4p', startTime: '2024-09-01T12:55:49Z' };
    expect(flightTitle({ ...f, customName: 'Lake' })).toBe('Lake');
    expect(flightTitle(f)).toMatch(/^Mini 4 Pro · .*2024/);
    expect(flightTitle({ ...f, aircraftModel: null, aircraftName: null })).toMatch(/^Flight · /);
  });
});

describe('formatBytes', () => {
  it('uses B, KB, MB', () => {
    expect(formatBytes(500)).toBe('500 B');
    expect(formatBytes(310_973)).toBe('303.7 KB');
    expect(formatBytes(3_176_324)).toBe('3.0 MB');
  });
});
