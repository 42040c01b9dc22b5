import { describe, expect, it } from 'vitest';
import { normaliseStickColumn, parseCsvDateTime } from '../../src/csv/build.js';
import { CsvTable } from '../../src/csv/table.js';
import { parseUnit, splitHeader } from '../../src/csv/units.js';

describe('column units', () => {
  it('splits names and units written with parentheses or brackets', () => {
    expect(splitHeader('altitude(feet)')).toEqual({ name: 'altitude', unit: 'feet' });
    expect(splitHeader(' OSD.height [ft] ')).toEqual({ name: 'OSD.height', unit: 'ft' });
    expect(splitHeader('time_ms')).toEqual({ name: 'time_ms', unit: null });
    expect(splitHeader('datetime(utc)')).toEqual({ name: 'datetime', unit: 'utc' });
  });

  it.each([
    ['feet', 100, 30.48], ['ft', 1, 0.3048], ['m', 5, 5], ['meters', 5, 5], ['km', 1.5, 1500], ['miles', 1, 1609.344], ['mi', 2, 3218.688],
  ])('converts %s to metres', (unit, v, si) => {
    const u = parseUnit(unit)!;
    expect(u.dimension).toBe('length');
    expect(u.toSi(v)).toBeCloseTo(si, 9);
  });

  it.each([
    ['mph', 10, 4.4704], ['MPH', 10, 4.4704], ['km/h', 36, 10], ['kph', 36, 10], ['m/s', 7, 7], ['knots', 1, 0.514444], ['kn', 10, 5.14444],
  ])('converts %s to m/s', (unit, v, si) => {
    const u = parseUnit(unit)!;
    expect(u.dimension).toBe('speed');
    expect(u.toSi(v)).toBeCloseTo(si, 4);
  });

  it('converts °F to °C and keeps °C', () => {
    expect(parseUnit('F')!.toSi(59)).toBeCloseTo(15, 9);
    expect(parseUnit('f')!.toSi(32)).toBe(0);
    expect(parseUnit('fahrenheit')!.toSi(212)).toBeCloseTo(100, 9);
    expect(parseUnit('C')!.toSi(21.5)).toBe(21.5);
  });

  it('keeps other units as they are', () => {
    expect(parseUnit('v')).toMatchObject({ dimension: 'other' });
    expect(parseUnit('degrees')!.toSi(12)).toBe(12);
    expect(parseUnit(null)).toBeNull();
  });

  it('reads columns in SI by name, case- and space-insensitively, and refuses a unit of the wrong kind', () => {
    const t = new CsvTable(['OSD.height [ft]', ' xSpeed(mph)', 'speed(km/h)', 'datetime(utc)', 'datetime(local)'], [['10', '10', '36', 'a', 'b'], ['', 'x', '', 'c', 'd']]);
    expect([...t.numbers('osd.height', 'length')!]).toEqual([3.048, NaN]);
    expect(t.numbers('XSPEED', 'speed')![0]).toBeCloseTo(4.4704, 9);
    expect([...t.numbers('speed', 'length')!]).toEqual([NaN, NaN]);
    expect(t.text('datetime(local)', 1)).toBe('d');
    expect(t.text('datetime', 0)).toBe('a');
    expect(t.numbers('missing')).toBeNull();
  });
});

describe('CSV date and time', () => {
  it('reads the exporters’ date formats as UTC', () => {
    expect(new Date(parseCsvDateTime('2018-02-16 21:15:26.199')).toISOString()).toBe('2018-02-16T21:15:26.199Z');
    expect(new Date(parseCsvDateTime('2018/07/04 09:19:31.701')).toISOString()).toBe('2018-07-04T09:19:31.701Z');
    expect(new Date(parseCsvDateTime('2021-09-06 02:23:48')).toISOString()).toBe('2021-09-06T02:23:48.000Z');
    expect(new Date(parseCsvDateTime('6/20/2018', '3:16:54.01 PM')).toISOString()).toBe('2018-06-20T15:16:54.010Z');
    expect(new Date(parseCsvDateTime('6/20/2018', '12:05:00.5 AM')).toISOString()).toBe('2018-06-20T00:05:00.500Z');
    expect(new Date(parseCsvDateTime('2018-06-20T09:16:53-06:00')).toISOString()).toBe('2018-06-20T15:16:53.000Z');
  });

  it('refuses text and implausible years', () => {
    expect(parseCsvDateTime('yesterday')).toBeNaN();
    expect(parseCsvDateTime('1970-01-01 00:00:00')).toBeNaN();
    expect(parseCsvDateTime('')).toBeNaN();
  });
});

describe('RC stick scales', () => {
  const col = (...v: number[]) => new Float64Array(v);
  it('maps DJI raw values (364 … 1684) to ±100', () => {
    expect([...normaliseStickColumn(col(364, 1024, 1684))!]).toEqual([-100, 0, 100]);
  });
  it('maps ±10000 (TXTlogToCSVtool) to ±100', () => {
    expect([...normaliseStickColumn(col(-10000, 0, 5000))!]).toEqual([-100, 0, 50]);
  });
  it('keeps values already in ±100 (Litchi)', () => {
    expect([...normaliseStickColumn(col(0, -30, 100))!]).toEqual([0, -30, 100]);
  });
});
