import { describe, expect, it } from 'vitest';
import { batteryCycles, healthEstimate } from '../src/services/equipment.service.js';
import { mergeSegments } from '../src/services/flight-events.service.js';
import { baseName, contentDisposition } from '../src/services/export.service.js';
import { csvField, csvText, xml } from '../src/services/export-formats.js';
import { boundText, esc, flightTimes, hms, hoursMinutes, longDay, metres, periodText, utcOffsetLabel } from '../src/services/report-html.js';
import { parseDayOrInstant } from '../src/services/time-input.js';

describe('battery health estimate', () => {
  const none = { designCapacityMah: null, firstCapacityMah: null, latestCapacityMah: null, loggedCycles: null };
  it('prefers capacity against the design capacity, then capacity fade, then logged cycles, then flights, per 400, clamped to 0–100', () => {
    expect(healthEstimate({ ...none, designCapacityMah: 3850, firstCapacityMah: 3700, latestCapacityMah: 3465, loggedCycles: 50, flights: 90 })).toEqual({
      percent: 90,
      method: 'design-capacity',
    });
    expect(healthEstimate({ ...none, designCapacityMah: 3850, latestCapacityMah: 3900, flights: 2 })).toEqual({ percent: 100, method: 'design-capacity' });
    // A design capacity without any full-charge capacity says nothing about wear.
    expect(healthEstimate({ ...none, designCapacityMah: 3850, loggedCycles: 100, flights: 2 })).toEqual({ percent: 75, method: 'cycles' });
    expect(healthEstimate({ ...none, firstCapacityMah: 2453, latestCapacityMah: 2208, loggedCycles: 50, flights: 90 })).toEqual({ percent: 90, method: 'capacity' });
    expect(healthEstimate({ ...none, firstCapacityMah: 2000, latestCapacityMah: 2100, flights: 3 })).toEqual({ percent: 100, method: 'capacity' });
    expect(healthEstimate({ ...none, loggedCycles: 100, flights: 500 })).toEqual({ percent: 75, method: 'cycles' });
    expect(healthEstimate({ ...none, loggedCycles: 480, flights: 1 })).toEqual({ percent: 0, method: 'cycles' });
    expect(healthEstimate({ ...none, flights: 40 })).toEqual({ percent: 90, method: 'flights' });
  });

  it('shows the logged cycle count when there is one (even 0), else the number of flights', () => {
    expect(batteryCycles({ loggedCycles: 212, flights: 40 })).toEqual({ cycles: 212, source: 'log' });
    expect(batteryCycles({ loggedCycles: 0, flights: 4 })).toEqual({ cycles: 0, source: 'log' });
    expect(batteryCycles({ loggedCycles: null, flights: 40 })).toEqual({ cycles: 40, source: 'flights' });
  });
});

describe('event segments', () => {
  it('joins losses less than 2 s apart and keeps the worst value', () => {
    expect(
      mergeSegments([
        { startMs: 0, endMs: 1000, worst: 3 },
        { startMs: 2500, endMs: 3000, worst: 1 },
        { startMs: 5000, endMs: null, worst: 4 },
      ]),
    ).toEqual([
      { startMs: 0, endMs: 3000, worst: 1 },
      { startMs: 5000, endMs: null, worst: 4 },
    ]);
  });
});

describe('file names and escaping', () => {
  it('makes ASCII file names and an RFC 5987 filename* for any flight name', () => {
    expect(baseName('Überflug «Genève» / 2', '2024-09-01T14:55:00.000Z')).toBe('2024-09-01_1455_Uberflug_Geneve_2');
    expect(baseName('日本の空', '2024-09-01T14:55:00.000Z')).toBe('2024-09-01_1455');
    expect(contentDisposition('a "b" ü.gpx')).toBe(`attachment; filename="a _b_ _.gpx"; filename*=UTF-8''a%20%22b%22%20%C3%BC.gpx`);
    expect(contentDisposition("it's (1).csv")).toBe(`attachment; filename="it's (1).csv"; filename*=UTF-8''it%27s%20%281%29.csv`);
  });

  it('quotes CSV fields per RFC 4180 and guards text against spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvText('=1+2')).toBe("'=1+2");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('plain')).toBe('plain');
    expect(csvText(null)).toBe('');
  });

  it('escapes XML and HTML text', () => {
    expect(xml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(esc(`<script>"'&`)).toBe('&lt;script&gt;&quot;&#39;&amp;');
  });
});

describe('report formatting', () => {
  it('formats durations, distances and days', () => {
    expect(hms(3909.6)).toBe('1:05:10');
    expect(hms(null)).toBe('–');
    expect(hoursMinutes(9000)).toBe('2 h 30 min');
    expect(metres(999.6)).toBe('1000 m');
    expect(metres(21300)).toBe('21.30 km');
    expect(longDay('2024-02-29')).toBe('Thursday 29 February 2024');
  });
});

describe('date input', () => {
  const opts = { allowDay: true, requireOffset: false };
  it('reads days as 00:00 UTC and instants with or without offset', () => {
    expect(parseDayOrInstant('date', '2024-02-29', opts).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseDayOrInstant('date', '2024-09-01T16:55:00+02:00', opts).toISOString()).toBe('2024-09-01T14:55:00.000Z');
    expect(parseDayOrInstant('date', '2024-09-01 16:55', opts).toISOString()).toBe('2024-09-01T16:55:00.000Z');
    expect(parseDayOrInstant('date', '2024-09-01T16:55:00.250-0330', opts).toISOString()).toBe('2024-09-01T20:25:00.250Z');
  });

  it('names the field and the format when it cannot', () => {
    expect(() => parseDayOrInstant('date', '2023-02-29', opts)).toThrow(/date "2023-02-29" is not a calendar date/);
    expect(() => parseDayOrInstant('date', '2024-09-01T25:00', opts)).toThrow(/not a valid time of day/);
    expect(() => parseDayOrInstant('startTime', '2024-09-01T10:00', { allowDay: false, requireOffset: true })).toThrow(/has no offset/);
    expect(() => parseDayOrInstant('startTime', '2024-09-01', { allowDay: false, requireOffset: true })).toThrow(/has no time of day/);
  });
});

describe('report dates and times', () => {
  it('prints range bounds as days unless they fall inside a day', () => {
    expect(boundText('2024-09-01', 'from')).toBe('1 Sep 2024');
    expect(boundText('2024-09-01T00:00:00+02:00', 'from')).toBe('1 Sep 2024');
    expect(boundText('2024-11-30T23:59:59+01:00', 'to')).toBe('30 Nov 2024');
    expect(boundText('2024-11-30T23:59:59.999Z', 'to')).toBe('30 Nov 2024');
    expect(boundText('2024-11-30T23:59', 'to')).toBe('30 Nov 2024');
    expect(boundText('2024-11-30T00:00:00Z', 'to')).toBe('30 Nov 2024 00:00 UTC');
    expect(boundText('2024-09-01T23:59:59+02:00', 'from')).toBe('1 Sep 2024 23:59:59 UTC+02:00');
    expect(boundText('2024-09-01T14:30+0530', 'from')).toBe('1 Sep 2024 14:30 UTC+05:30');
    expect(periodText('2024-09-01', '2024-11-30')).toBe('1 Sep 2024 – 30 Nov 2024');
    expect(periodText(undefined, '2024-11-30')).toBe('until 30 Nov 2024');
    expect(periodText('2024-09-01', undefined)).toBe('from 1 Sep 2024');
    expect(periodText(undefined, undefined)).toBeNull();
  });

  it('labels UTC offsets', () => {
    expect([0, 120, -360, 330, -210].map(utcOffsetLabel)).toEqual(['UTC', 'UTC+2', 'UTC−6', 'UTC+5:30', 'UTC−3:30']);
  });

  it('gives take-off and landing in the flight’s zone (New York, clocks forward at 02:00 on 10 March 2024)', () => {
    const row = { localStart: '2024-03-10T01:50:00', localKnown: true, timeZone: 'America/New_York', startTime: '2024-03-10T06:50:00.000Z', durationS: 1200 };
    expect(flightTimes(row)).toEqual({ takeoff: '01:50:00', takeoffZone: 'UTC−5', landing: '03:10:00', landingZone: 'UTC−4', landingNextDay: false });
    expect(flightTimes({ ...row, localKnown: false, timeZone: null, localStart: '2024-03-10T06:50:00' })).toMatchObject({
      takeoff: '06:50:00',
      takeoffZone: 'UTC',
      landing: '07:10:00',
      landingZone: 'UTC',
    });
    expect(flightTimes({ ...row, durationS: null }).landing).toBeNull();
  });
});
