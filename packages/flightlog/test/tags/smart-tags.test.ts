import { describe, expect, it } from 'vitest';
import {
  computeSmartTags, defaultSmartTagSettings, parseFlightLog, resolveSmartTagSettings, SMART_TAG_TYPES, type SmartTagFacts, type SmartTagSettings,
} from '../../src/index.js';
import { fixturesAvailable, LOGS, readDjiFixture } from '../support/fixtures.js';

/** A daytime, unremarkable flight in Colorado (09:00 local); each test changes one fact. */
function facts(over: Partial<SmartTagFacts> = {}): SmartTagFacts {
  return {
    format: 'dji-txt',
    startTime: '2018-06-20T15:00:00.000Z',
    endTime: '2018-06-20T15:05:00.000Z',
    durationS: 300,
    position: { latitude: 39.9612, longitude: -106.2165 },
    gpsFrameCount: 3000,
    distanceM: 600,
    maxHorizontalSpeedMps: 10,
    maxHeightM: 50,
    maxAltitudeM: 2500,
    maxDistanceFromHomeM: 300,
    batteryStartPercent: 95,
    batteryEndPercent: 60,
    batteryStartTemperatureC: 25,
    ...over,
  };
}
const BASE = ['United States', 'North America'];
const tagsOf = (over: Partial<SmartTagFacts>, settings?: SmartTagSettings) => computeSmartTags(facts(over), settings);
const ruleTags = (over: Partial<SmartTagFacts>, settings?: SmartTagSettings) => tagsOf(over, settings).filter((t) => !BASE.includes(t));

describe('smart tag rules (thresholds are strict: equal does not tag)', () => {
  it('tags a plain daytime flight with its country and continent only', () => {
    expect(tagsOf({})).toEqual(BASE);
  });

  it.each([
    ['High Speed', { maxHorizontalSpeedMps: 15 }, { maxHorizontalSpeedMps: 15.01 }],
    ['Low Battery', { batteryEndPercent: 15 }, { batteryEndPercent: 14 }],
    ['High Altitude', { maxHeightM: 120 }, { maxHeightM: 120.1 }],
    ['Long Distance', { maxDistanceFromHomeM: 1000 }, { maxDistanceFromHomeM: 1000.5 }],
    ['Long Flight', { durationS: 1500, endTime: '2018-06-20T15:25:00.000Z' }, { durationS: 1500.1, endTime: '2018-06-20T15:25:00.100Z' }],
    ['Aggressive Flying', { distanceM: 2400 }, { distanceM: 2401 }],
  ])('%s: not at the threshold, yes just past it', (tag, at, past) => {
    expect(ruleTags(at)).not.toContain(tag);
    expect(ruleTags(past)).toContain(tag);
  });

  it('Cold Battery: first temperature below 15 °C', () => {
    expect(ruleTags({ batteryStartTemperatureC: 15 })).toEqual([]);
    expect(ruleTags({ batteryStartTemperatureC: 14.9 })).toEqual(['Cold Battery']);
    expect(ruleTags({ batteryStartTemperatureC: null })).toEqual([]);
  });

  it('Heavy Load: more than 75 points used in under 20 minutes', () => {
    expect(ruleTags({ batteryStartPercent: 100, batteryEndPercent: 25 })).toEqual([]);
    expect(ruleTags({ batteryStartPercent: 100, batteryEndPercent: 24 })).toEqual(['Heavy Load']);
    expect(ruleTags({ batteryStartPercent: 100, batteryEndPercent: 24, durationS: 1200 })).toEqual([]);
    expect(ruleTags({ batteryStartPercent: 100, batteryEndPercent: 24, durationS: 1199.9 })).toEqual(['Heavy Load']);
  });

  it('Short Flight: above 0 and below 2 minutes', () => {
    expect(ruleTags({ durationS: 120 })).toEqual([]);
    expect(ruleTags({ durationS: 119.9 })).toEqual(['Short Flight']);
    expect(ruleTags({ durationS: 0 })).toEqual([]);
  });

  it('Aggressive Flying uses the average ground speed, distance / duration (8 m/s)', () => {
    expect(ruleTags({ distanceM: 800, durationS: 100 })).toContain('Short Flight');
    expect(ruleTags({ distanceM: 800, durationS: 100 })).not.toContain('Aggressive Flying');
    expect(ruleTags({ distanceM: 801, durationS: 100 })).toContain('Aggressive Flying');
  });

  it('High Altitude falls back to the altitude when the height is unknown', () => {
    expect(ruleTags({ maxHeightM: null, maxAltitudeM: 121 })).toEqual(['High Altitude']);
    expect(ruleTags({ maxHeightM: 100, maxAltitudeM: 3000 })).toEqual([]);
  });

  it('No GPS: no position at all; then no night, country or continent either', () => {
    expect(tagsOf({ position: null, gpsFrameCount: 0 })).toEqual(['No GPS']);
    expect(tagsOf({ position: null, gpsFrameCount: 0, startTime: '2018-06-20T05:00:00Z' })).toEqual(['No GPS']);
  });

  it('adds the source tag of CSV imports', () => {
    expect(ruleTags({ format: 'litchi-csv' })).toEqual(['Litchi']);
    expect(ruleTags({ format: 'airdata-csv' })).toEqual(['Airdata']);
    expect(ruleTags({ format: 'phantomhelp-csv' })).toEqual(['PhantomHelp']);
    expect(ruleTags({ format: 'dronelog-csv' })).toEqual([]);
  });

  it('gives country and continent of the home point', () => {
    expect(tagsOf({ position: { latitude: 52.52, longitude: 13.405 }, startTime: '2018-06-20T10:00:00Z', endTime: null })).toEqual(['Germany', 'Europe']);
    expect(tagsOf({ position: { latitude: 30, longitude: -40 } })).toEqual([]);
  });
});

describe('Night Flight', () => {
  const berlin = { latitude: 52.52, longitude: 13.405 };
  const colorado = { latitude: 39.9612, longitude: -106.2165 };
  const hourRule = (): SmartTagSettings => ({ ...defaultSmartTagSettings(), nightRule: 'local-hour' });
  const at = (iso: string, position = colorado, durationS = 300) => ({
    position, startTime: iso, durationS, endTime: new Date(Date.parse(iso) + durationS * 1000).toISOString(),
  });

  it('hour rule (Open DroneLog’s, with real local time): 18:30 UTC is 12:30 in Colorado → day, 20:30 in Berlin → night', () => {
    expect(ruleTags(at('2018-06-20T18:30:00Z'), hourRule())).toEqual([]);
    expect(computeSmartTags(facts(at('2018-06-20T18:30:00Z', berlin)), hourRule())).toContain('Night Flight');
  });

  it('hour rule follows DST: 17:30 UTC in Berlin is 19:30 local in June (night) but 18:30 in January (day)', () => {
    expect(computeSmartTags(facts(at('2018-06-20T17:30:00Z', berlin)), hourRule())).toContain('Night Flight');
    expect(computeSmartTags(facts(at('2018-01-20T17:30:00Z', berlin)), hourRule())).not.toContain('Night Flight');
  });

  it('hour rule boundaries: 19:00 is night, 18:59 is not; 05:59 is night, 06:00 is not (local)', () => {
    const tagged = (iso: string) => computeSmartTags(facts(at(iso)), hourRule()).includes('Night Flight');
    // Colorado in June: local = UTC − 6 h.
    expect(tagged('2018-06-21T01:00:00Z')).toBe(true);
    expect(tagged('2018-06-21T00:59:59Z')).toBe(false);
    expect(tagged('2018-06-20T11:59:59Z')).toBe(true);
    expect(tagged('2018-06-20T12:00:00Z')).toBe(false);
  });

  it('hour rule with a custom window that does not cross midnight', () => {
    const s = hourRule();
    s.thresholds.nightStartHour = 0;
    s.thresholds.nightEndHour = 5;
    expect(computeSmartTags(facts(at('2018-06-20T10:30:00Z')), s)).toContain('Night Flight'); // 04:30 local
    expect(computeSmartTags(facts(at('2018-06-21T04:30:00Z')), s)).not.toContain('Night Flight'); // 22:30 local
  });

  it('civil-twilight rule (default): 20:30 in Berlin in June is still light, 23:30 is night', () => {
    expect(computeSmartTags(facts(at('2018-06-20T18:30:00Z', berlin)))).not.toContain('Night Flight');
    expect(computeSmartTags(facts(at('2018-06-20T21:30:00Z', berlin)))).toContain('Night Flight');
  });

  it('civil-twilight rule: 18:00 local in Berlin is night in December and day in June', () => {
    expect(computeSmartTags(facts(at('2018-12-20T17:00:00Z', berlin)))).toContain('Night Flight');
    expect(computeSmartTags(facts(at('2018-06-20T16:00:00Z', berlin)))).not.toContain('Night Flight');
  });

  it('civil-twilight rule: a flight that lands after dusk is a night flight', () => {
    // Berlin, 20 June: civil dusk ≈ 20:40 UTC. Take-off 20:20 UTC, 30 minutes.
    expect(computeSmartTags(facts(at('2018-06-20T20:20:00Z', berlin, 1800)))).toContain('Night Flight');
    expect(computeSmartTags(facts(at('2018-06-20T20:00:00Z', berlin, 300)))).not.toContain('Night Flight');
  });
});

describe('smart tag settings', () => {
  it('leaves out disabled types', () => {
    const s = defaultSmartTagSettings();
    s.enabled.country = false;
    s.enabled.highSpeed = false;
    expect(tagsOf({ maxHorizontalSpeedMps: 20, format: 'litchi-csv' }, s)).toEqual(['North America', 'Litchi']);
    s.enabled.continent = false;
    s.enabled.source = false;
    expect(tagsOf({ maxHorizontalSpeedMps: 20, format: 'litchi-csv' }, s)).toEqual([]);
  });

  it('applies changed thresholds', () => {
    const s = defaultSmartTagSettings();
    s.thresholds.highSpeedMps = 5;
    s.thresholds.highAltitudeM = 40;
    expect(ruleTags({}, s)).toEqual(['High Speed', 'High Altitude']);
  });

  it('resolves stored JSON field by field, ignoring invalid values', () => {
    const s = resolveSmartTagSettings({
      enabled: { nightFlight: false, bogus: true, country: 'no' },
      nightRule: 'local-hour',
      thresholds: { highSpeedMps: 20, lowBatteryPercent: -5, nightStartHour: 20.5, nightEndHour: 5, extra: 1 },
    });
    expect(s.enabled.nightFlight).toBe(false);
    expect(s.enabled.country).toBe(true);
    expect(Object.keys(s.enabled)).toEqual([...SMART_TAG_TYPES]);
    expect(s.nightRule).toBe('local-hour');
    expect(s.thresholds).toMatchObject({ highSpeedMps: 20, lowBatteryPercent: 15, nightStartHour: 19, nightEndHour: 5 });
    expect(s.thresholds).not.toHaveProperty('extra');
    expect(resolveSmartTagSettings(null)).toEqual(defaultSmartTagSettings());
    expect(resolveSmartTagSettings('junk')).toEqual(defaultSmartTagSettings());
  });
});

describe.skipIf(!fixturesAvailable())('smart tags of real logs', () => {
  it('df010 Inspire 1 (Colorado, 09:16 local, 22.9 m/s max, 2.2 km in 199 s): no Night Flight', async () => {
    const f = await parseFlightLog(readDjiFixture(LOGS.inspire1Df010));
    expect(computeSmartTags(f)).toEqual(['High Speed', 'Aggressive Flying', 'United States', 'North America']);
  });

  it('a log without GPS gets No GPS only', async () => {
    const f = await parseFlightLog(readDjiFixture(LOGS.inspire1NoGps));
    expect(computeSmartTags(f)).toContain('No GPS');
    expect(computeSmartTags(f)).not.toContain('United States');
  });
});
