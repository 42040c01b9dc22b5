import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, fieldErrors, localOffset, manualBody, parseLatLon } from './manual-entry.js';

const form = {
  ...EMPTY_FORM,
  aircraftName: ' Minnie ',
  aircraftSerial: 'S1',
  batterySerial: 'B1',
  date: '2024-09-01',
  time: '16:55',
  minutes: '12',
  seconds: '30',
  lat: '46.5053',
  lon: '6,6274',
};

describe('manualBody', () => {
  it('builds the API body with the local offset and SI values', () => {
    const r = manualBody({ ...form, distance: '1.5', maxHeight: '80', name: 'Lake' }, 'metric');
    expect(r).toEqual({
      body: {
        aircraftName: 'Minnie',
        aircraftSerial: 'S1',
        batterySerial: 'B1',
        startTime: `2024-09-01T16:55${localOffset('2024-09-01', '16:55')}`,
        durationS: 750,
        homeLat: 46.5053,
        homeLon: 6.6274,
        name: 'Lake',
        distanceM: 1500,
        maxHeightM: 80,
      },
    });
  });

  it('converts imperial distance and height', () => {
    const r = manualBody({ ...form, distance: '1', maxHeight: '100' }, 'imperial');
    expect('body' in r && r.body.distanceM).toBe(1609.3);
    expect('body' in r && r.body.maxHeightM).toBe(30.5);
  });

  it('reports what the API could not even receive', () => {
    expect(manualBody({ ...form, date: '', lat: 'north' }, 'metric')).toEqual({
      errors: { startTime: 'Enter the take-off date and time.', homeLat: 'Enter the take-off latitude in degrees, e.g. 46.5053.' },
    });
  });
});

describe('localOffset and parseLatLon', () => {
  it('gives an ±HH:MM offset', () => {
    expect(localOffset('2024-01-15', '12:00')).toMatch(/^[+-]\d{2}:\d{2}$/);
  });

  it('splits a pasted coordinate pair', () => {
    expect(parseLatLon('46.50531, 6.62744')).toEqual([46.50531, 6.62744]);
    expect(parseLatLon('-33.9 18.4')).toEqual([-33.9, 18.4]);
    expect(parseLatLon('46.5')).toBeNull();
  });
});

describe('fieldErrors', () => {
  it('puts each validation message on its field', () => {
    const e = fieldErrors(
      'body/durationS Expected number to be greater than 0: Flight time in seconds (up to 24 h)., body/homeLat Expected number to be less or equal to 90: Take-off latitude, degrees.',
    );
    expect(e).toEqual({ durationS: 'Must be greater than 0', homeLat: 'Must be less or equal to 90' });
    expect(fieldErrors('body/aircraftName Expected string length greater or equal to 1: Name of the aircraft, e.g. "Minnie".')).toEqual({
      aircraftName: 'Required.',
    });
  });

  it('places messages that start with a field name, and keeps the rest as general', () => {
    expect(fieldErrors('startTime 2030-01-01T10:00+01:00 is in the future; log a flight once it has been flown.')).toEqual({
      startTime: 'startTime 2030-01-01T10:00+01:00 is in the future; log a flight once it has been flown.',
    });
    expect(fieldErrors('A flight of this aircraft and battery already starts at this time.')).toEqual({
      general: 'A flight of this aircraft and battery already starts at this time.',
    });
  });
});

describe('number inputs', () => {
  it('accepts the numbers (and null for empty) that <input type=number> binds', () => {
    const r = manualBody({ ...form, minutes: 12, seconds: null }, 'metric');
    expect('body' in r && r.body.durationS).toBe(720);
  });
});
