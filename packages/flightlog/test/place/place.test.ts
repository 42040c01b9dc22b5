import { describe, expect, it } from 'vitest';
import { countryAt, localStartTime, localWallClock, sunElevationDeg } from '../../src/index.js';

const COLORADO = { lat: 39.9612, lon: -106.2165 };
const BERLIN = { lat: 52.52, lon: 13.405 };

describe('local time at take-off (offline time-zone lookup + Intl)', () => {
  it('18:30 UTC in June is 12:30 in Colorado (MDT, UTC−6)', () => {
    expect(localStartTime(COLORADO.lat, COLORADO.lon, '2018-06-20T18:30:00Z')).toEqual({
      timeZone: 'America/Denver', localIso: '2018-06-20T12:30:00.000', hour: 12, utcOffsetMinutes: -360,
    });
  });

  it('18:30 UTC in June is 20:30 in Berlin (CEST, UTC+2)', () => {
    expect(localStartTime(BERLIN.lat, BERLIN.lon, '2018-06-20T18:30:00.250Z')).toEqual({
      timeZone: 'Europe/Berlin', localIso: '2018-06-20T20:30:00.250', hour: 20, utcOffsetMinutes: 120,
    });
  });

  it('follows daylight saving time: Berlin is UTC+1 in January, and switches at 01:00 UTC on the last Sunday of March', () => {
    expect(localStartTime(BERLIN.lat, BERLIN.lon, '2018-01-15T18:30:00Z')).toMatchObject({ hour: 19, utcOffsetMinutes: 60 });
    expect(localStartTime(BERLIN.lat, BERLIN.lon, '2024-03-31T00:59:59Z')).toMatchObject({ localIso: '2024-03-31T01:59:59.000', utcOffsetMinutes: 60 });
    expect(localStartTime(BERLIN.lat, BERLIN.lon, '2024-03-31T01:00:00Z')).toMatchObject({ localIso: '2024-03-31T03:00:00.000', utcOffsetMinutes: 120 });
    expect(localStartTime(COLORADO.lat, COLORADO.lon, '2018-12-20T18:30:00Z')).toMatchObject({ hour: 11, utcOffsetMinutes: -420 });
  });

  it('uses the real zone, not longitude / 15 (Madrid at 3.7°W is UTC+2 in summer; Reykjavik at 21.9°W is UTC+0)', () => {
    expect(localStartTime(40.4168, -3.7038, '2023-07-01T12:00:00Z')).toMatchObject({ timeZone: 'Europe/Madrid', hour: 14 });
    expect(localStartTime(64.1466, -21.9426, '2023-07-01T12:00:00Z')).toMatchObject({ hour: 12, utcOffsetMinutes: 0 });
  });

  it('crosses the date line into the local date', () => {
    expect(localStartTime(-36.8485, 174.7633, '2023-12-31T12:30:00Z')).toMatchObject({ timeZone: 'Pacific/Auckland', localIso: '2024-01-01T01:30:00.000' });
  });

  it('returns null for unusable input', () => {
    expect(localStartTime(NaN, 0, '2023-01-01T00:00:00Z')).toBeNull();
    expect(localStartTime(95, 0, '2023-01-01T00:00:00Z')).toBeNull();
    expect(localStartTime(10, 10, 'not a date')).toBeNull();
    expect(localWallClock('Not/AZone', 0)).toBeNull();
  });
});

describe('country and continent (offline reverse geocoding)', () => {
  it.each([
    ['Colorado', COLORADO.lat, COLORADO.lon, 'US', 'United States', 'North America'],
    ['Alaska', 64.8554, -147.8586, 'US', 'United States', 'North America'],
    ['Berlin', BERLIN.lat, BERLIN.lon, 'DE', 'Germany', 'Europe'],
    ['Funen', 55.507158, 10.717078, 'DK', 'Denmark', 'Europe'],
    ['Sydney', -33.8568, 151.2153, 'AU', 'Australia', 'Oceania'],
    ['Buenos Aires', -34.6037, -58.3816, 'AR', 'Argentina', 'South America'],
    ['Mexico City', 19.4326, -99.1332, 'MX', 'Mexico', 'North America'],
    ['Nairobi', -1.2921, 36.8219, 'KE', 'Kenya', 'Africa'],
    ['Tokyo', 35.6762, 139.6503, 'JP', 'Japan', 'Asia'],
    ['McMurdo', -77.846, 166.676, 'AQ', 'Antarctica', 'Antarctica'],
  ])('%s → %s / %s / %s', (_place, lat, lon, code, country, continent) => {
    expect(countryAt(lat, lon)).toEqual({ code, country, continent });
  });

  it('finds no country at 0,0, at sea, or for invalid coordinates', () => {
    expect(countryAt(0, 0)).toBeNull();
    expect(countryAt(30, -40)).toBeNull();
    expect(countryAt(NaN, 1)).toBeNull();
    expect(countryAt(91, 0)).toBeNull();
  });
});

describe('sun elevation', () => {
  it('is high at solar noon in summer and below the horizon at midnight', () => {
    // Berlin, 21 June 2023: solar noon ≈ 11:07 UTC, elevation ≈ 90 − 52.52 + 23.44 = 60.9°.
    expect(sunElevationDeg(BERLIN.lat, BERLIN.lon, Date.parse('2023-06-21T11:07:00Z'))).toBeCloseTo(60.9, 0);
    expect(sunElevationDeg(BERLIN.lat, BERLIN.lon, Date.parse('2023-06-21T23:07:00Z'))).toBeCloseTo(-14.1, 0);
  });

  it('crosses the horizon at the published sunrise (Berlin 2023-06-21 ≈ 04:43 CEST)', () => {
    // Sunrise is when the upper limb appears with refraction: centre at about −0.83°.
    expect(sunElevationDeg(BERLIN.lat, BERLIN.lon, Date.parse('2023-06-21T02:43:00Z'))).toBeCloseTo(-0.83, 0);
  });
});
