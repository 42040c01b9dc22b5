import { describe, expect, it } from 'vitest';
import { SMART_TAG_TYPES, type SmartTagThresholds } from '@dronelog/contracts';
import { RULES, changedThresholds, fromDisplay, switchesChanged, thresholdInputs, toDisplay } from './smart-tags.js';

const defaults: SmartTagThresholds = {
  highSpeedMps: 15,
  coldBatteryC: 15,
  heavyLoadBatteryUsedPercent: 75,
  heavyLoadMaxDurationS: 1200,
  lowBatteryPercent: 15,
  highAltitudeM: 120,
  longDistanceM: 1000,
  longFlightS: 1500,
  shortFlightS: 120,
  aggressiveAvgSpeedMps: 8,
  nightStartHour: 19,
  nightEndHour: 6,
};

describe('RULES', () => {
  it('covers every smart-tag type of the API, in its order', () => {
    expect(RULES.map((r) => r.type)).toEqual([...SMART_TAG_TYPES]);
  });
});

describe('unit conversion', () => {
  it('shows speeds in km/h or mph, lengths in m or ft, durations in minutes', () => {
    expect(toDisplay('speed', 15, 'metric')).toBe(54);
    expect(toDisplay('speed', 15, 'imperial')).toBe(33.6);
    expect(toDisplay('length', 120, 'imperial')).toBe(393.7);
    expect(toDisplay('temperature', 15, 'imperial')).toBe(59);
    expect(toDisplay('minutes', 1500, 'metric')).toBe(25);
    expect(fromDisplay('speed', 54, 'metric')).toBeCloseTo(15, 9);
    expect(fromDisplay('temperature', 59, 'imperial')).toBeCloseTo(15, 9);
    expect(fromDisplay('minutes', 2.5, 'metric')).toBe(150);
  });
});

describe('changedThresholds', () => {
  it('sends only what the pilot changed, in SI (no drift through rounding)', () => {
    const initial = thresholdInputs(defaults, 'imperial');
    expect(initial.highAltitudeM).toBe('393.7');
    expect(changedThresholds(initial, initial, 'imperial')).toEqual({ thresholds: {} });
    const edited = { ...initial, highAltitudeM: '400', longFlightS: '30' };
    expect(changedThresholds(edited, initial, 'imperial')).toEqual({ thresholds: { highAltitudeM: 121.92, longFlightS: 1800 } });
  });

  it('explains bad input', () => {
    const initial = thresholdInputs(defaults, 'metric');
    expect(changedThresholds({ ...initial, nightStartHour: '24' }, initial, 'metric')).toEqual({ error: 'Night from: a whole hour from 0 to 23.' });
    expect(changedThresholds({ ...initial, highSpeedMps: '' }, initial, 'metric')).toEqual({ error: 'Speed: enter a number.' });
    expect(changedThresholds({ ...initial, lowBatteryPercent: '-5' }, initial, 'metric')).toEqual({ error: 'Battery: must not be negative.' });
    expect(changedThresholds({ ...initial, coldBatteryC: '-5' }, initial, 'metric')).toEqual({ thresholds: { coldBatteryC: -5 } });
    // <input type=number> binds numbers (null when emptied).
    expect(changedThresholds({ ...initial, highSpeedMps: 54, longFlightS: 30 }, initial, 'metric')).toEqual({ thresholds: { longFlightS: 1800 } });
    expect(changedThresholds({ ...initial, highSpeedMps: null }, initial, 'metric')).toEqual({ error: 'Speed: enter a number.' });
  });
});

describe('switchesChanged', () => {
  it('compares the switches and the night rule', () => {
    const enabled = Object.fromEntries(SMART_TAG_TYPES.map((t) => [t, true])) as Record<(typeof SMART_TAG_TYPES)[number], boolean>;
    const a = { enabled, nightRule: 'civil-twilight' as const };
    expect(switchesChanged(a, { ...a })).toBe(false);
    expect(switchesChanged(a, { ...a, nightRule: 'local-hour' })).toBe(true);
    expect(switchesChanged(a, { ...a, enabled: { ...enabled, noGps: false } })).toBe(true);
  });
});
