import { describe, expect, it } from 'vitest';
import { batteryUsed, flightTitle, formatBytes, formatClock, formatDate, formatDuration, formatFlightTime, formatHours } from './format.js';

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
  it("uses the flight's own local time when its zone is known", () => {
    const f = { customName: null, aircraftModel: 'Mini 4 Pro', aircraftName: null, startTime: '2024-09-01T23:30:00Z' };
    expect(flightTitle({ ...f, localTimeZone: 'Asia/Tokyo' })).toMatch(/^Mini 4 Pro · .*2 Sept.*08:30|^Mini 4 Pro · .*Sep 2.*08:30/);
  });
});

describe('formatFlightTime', () => {
  const summer = '2024-09-01T12:55:49Z';
  it("shows the flight's own local time with the zone's short name", () => {
    expect(formatFlightTime(summer, 'Europe/Berlin', 'en-GB')).toBe('1 Sept 2024, 14:55 CEST');
    expect(formatFlightTime('2024-01-15T12:55:00Z', 'Europe/Berlin', 'en-GB')).toBe('15 Jan 2024, 13:55 CET');
    expect(formatFlightTime(summer, 'America/Denver', 'en-US')).toBe('Sep 1, 2024, 06:55 AM MDT');
    expect(formatFlightTime(summer, 'Asia/Tokyo', 'en-GB')).toBe('1 Sept 2024, 21:55 GMT+9');
  });
  it('keeps the local date when it differs from the UTC date', () => {
    expect(formatFlightTime('2024-09-01T23:30:00Z', 'Asia/Tokyo', 'en-GB')).toBe('2 Sept 2024, 08:30 GMT+9');
    expect(formatFlightTime('2024-09-01T03:30:00Z', 'America/Los_Angeles', 'en-GB')).toMatch(/^31 Aug 2024, 20:30 /);
  });
  it("falls back to the viewer's zone, named, when the zone is unknown or not a zone", () => {
    const viewer = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(summer));
    expect(formatFlightTime(summer, null, 'en-GB')).toBe(viewer);
    expect(formatFlightTime(summer, undefined, 'en-GB')).toBe(viewer);
    expect(formatFlightTime(summer, 'Mars/Olympus_Mons', 'en-GB')).toBe(viewer);
  });
  it('shows a dash for a missing or broken time', () => {
    expect(formatFlightTime(null, 'Europe/Berlin')).toBe('—');
    expect(formatFlightTime('yesterday', 'Europe/Berlin')).toBe('—');
  });
});

describe('formatBytes', () => {
  it('uses B, KB, MB', () => {
    expect(formatBytes(500)).toBe('500 B');
    expect(formatBytes(310_973)).toBe('303.7 KB');
    expect(formatBytes(3_176_324)).toBe('3.0 MB');
  });
});

describe('formatDate in a flight zone', () => {
  it("gives the day where the drone flew, not the viewer's day", () => {
    // 23:30 UTC on 1 Sept is already 2 Sept in Tokyo and still 1 Sept in Denver.
    expect(formatDate('2024-09-01T23:30:00Z', 'Asia/Tokyo')).toMatch(/\b2\b/);
    expect(formatDate('2024-09-01T23:30:00Z', 'America/Denver')).toMatch(/\b1\b/);
    expect(formatDate('2024-09-01T23:30:00Z', 'Not/AZone')).toBe(formatDate('2024-09-01T23:30:00Z'));
  });
});
