import { describe, expect, it } from 'vitest';
import { coordinateProblem, haversineM } from '../../src/normalise/geo.js';
import { filterGpsTrack, trackDistanceM } from '../../src/normalise/gps-filter.js';
import { chooseHome } from '../../src/normalise/home.js';
import { WarningCounter } from '../../src/normalise/warnings.js';

describe('haversineM', () => {
  it('gives 0 for the same point', () => {
    expect(haversineM(39.96, -106.21, 39.96, -106.21)).toBe(0);
  });

  it('measures one degree of latitude as ~111.2 km', () => {
    expect(haversineM(0, 0, 1, 0)).toBeCloseTo(111_195, -1);
  });

  it('measures Paris–London as ~343.5 km', () => {
    expect(haversineM(48.8566, 2.3522, 51.5074, -0.1278) / 1000).toBeCloseTo(343.5, 0);
  });

  it('is symmetric and handles the antimeridian', () => {
    expect(haversineM(10, 179.9999, 10, -179.9999)).toBeCloseTo(haversineM(10, -179.9999, 10, 179.9999), 9);
    expect(haversineM(10, 179.9999, 10, -179.9999)).toBeLessThan(25);
  });
});

describe('coordinateProblem', () => {
  it('names the reason a position is not a fix', () => {
    expect(coordinateProblem(NaN, 1)).toBe('gps-nan');
    expect(coordinateProblem(0, 0)).toBe('gps-zero');
    expect(coordinateProblem(1.1e-10, 9.1e-10)).toBe('gps-zero'); // what DJI writes without a fix
    expect(coordinateProblem(91, 0)).toBe('gps-out-of-range');
    expect(coordinateProblem(10, -180.5)).toBe('gps-out-of-range');
    expect(coordinateProblem(1.03e305, -5e28)).toBe('gps-out-of-range');
    expect(coordinateProblem(39.96, -106.21)).toBeNull();
    expect(coordinateProblem(0, 12.5)).toBeNull(); // on the equator is fine
  });
});

/** A straight track heading north at `speed` m/s, 10 Hz, from 39.96,-106.21. */
function track(n: number, speed = 5) {
  const lat = new Float64Array(n);
  const lon = new Float64Array(n).fill(-106.21);
  const timeMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lat[i] = 39.96 + (i * speed * 0.1) / 111_195;
    timeMs[i] = i * 100;
  }
  return { lat, lon, timeMs };
}

describe('filterGpsTrack', () => {
  it('keeps a clean track untouched', () => {
    const t = track(100);
    const w = new WarningCounter();
    const r = filterGpsTrack(t.lat, t.lon, t.timeMs, w);
    expect(r).toEqual({ accepted: 100, firstIndex: 0, lastIndex: 99 });
    expect(w.toList()).toEqual([]);
  });

  it('blanks 0,0 / NaN / out-of-range positions and counts each reason; the rows stay', () => {
    const t = track(50);
    t.lat[0] = 0; t.lon[0] = 0;
    t.lat[1] = 0; t.lon[1] = 0;
    t.lat[10] = NaN;
    t.lat[20] = 1e305;
    t.lon[30] = 200;
    const w = new WarningCounter();
    const r = filterGpsTrack(t.lat, t.lon, t.timeMs, w);
    expect(r.accepted).toBe(45);
    expect(r.firstIndex).toBe(2);
    expect(t.lat.length).toBe(50);
    for (const i of [0, 1, 10, 20, 30]) {
      expect(Number.isNaN(t.lat[i]!)).toBe(true);
      expect(Number.isNaN(t.lon[i]!)).toBe(true);
    }
    expect(w.count('gps-zero')).toBe(2);
    expect(w.count('gps-nan')).toBe(1);
    expect(w.count('gps-out-of-range')).toBe(2);
  });

  it('rejects a one-frame spike that implies > 150 m/s', () => {
    const t = track(60);
    t.lat[30] = t.lat[30]! + 0.01; // 1.1 km away for one frame
    const w = new WarningCounter();
    const r = filterGpsTrack(t.lat, t.lon, t.timeMs, w);
    expect(Number.isNaN(t.lat[30]!)).toBe(true);
    expect(r.accepted).toBe(59);
    expect(w.count('gps-jump')).toBe(1);
  });

  it('rejects a short burst of glitches but keeps the track after it', () => {
    const t = track(80);
    for (let i = 40; i < 45; i++) t.lat[i] = t.lat[i]! + 0.02;
    const w = new WarningCounter();
    filterGpsTrack(t.lat, t.lon, t.timeMs, w);
    expect(w.count('gps-jump')).toBe(5);
    expect(Number.isNaN(t.lat[45]!)).toBe(false);
  });

  it('keeps a lasting shift of the track (a GPS re-acquisition) instead of rejecting everything after it', () => {
    const t = track(80);
    for (let i = 40; i < 80; i++) t.lat[i] = t.lat[i]! + 0.0013; // ~140 m step, then consistent
    const w = new WarningCounter();
    const r = filterGpsTrack(t.lat, t.lon, t.timeMs, w);
    expect(r.accepted).toBe(80);
    expect(w.count('gps-jump')).toBe(0);
  });

  it('rejects positions more than 50 km from the rest of the flight, even slow-moving ones', () => {
    const t = track(40);
    t.lat[0] = 45.0; // a stale fix from elsewhere as the very first position
    const w = new WarningCounter();
    const r = filterGpsTrack(t.lat, t.lon, t.timeMs, w);
    expect(r.firstIndex).toBe(1);
    expect(w.count('gps-jump')).toBe(1);
  });

  it('refuses a lone outlier as first fix when a consistent track follows', () => {
    const t = track(40);
    t.lat[0] = t.lat[0]! + 0.01; // 1.1 km off, within 50 km
    const w = new WarningCounter();
    const r = filterGpsTrack(t.lat, t.lon, t.timeMs, w);
    expect(r.firstIndex).toBe(1);
    expect(r.accepted).toBe(39);
  });

  it('judges speed with the frames’ clock: a big step after a long gap is fine', () => {
    const t = track(20);
    for (let i = 10; i < 20; i++) {
      t.timeMs[i] = t.timeMs[i]! + 60_000; // 60 s without records
      t.lat[i] = t.lat[i]! + 0.02; // 2.2 km later: 37 m/s
    }
    const w = new WarningCounter();
    expect(filterGpsTrack(t.lat, t.lon, t.timeMs, w).accepted).toBe(20);
  });

  it('handles a track with no fix at all', () => {
    const lat = new Float64Array(5);
    const lon = new Float64Array(5);
    const w = new WarningCounter();
    expect(filterGpsTrack(lat, lon, new Float64Array(5), w)).toEqual({ accepted: 0, firstIndex: -1, lastIndex: -1 });
    expect(w.count('gps-zero')).toBe(5);
  });
});

describe('trackDistanceM', () => {
  it('sums the haversine steps of a moving aircraft', () => {
    const t = track(101, 5); // 10 s at 5 m/s
    const speed = new Float64Array(101).fill(5);
    expect(trackDistanceM(t.lat, t.lon, speed)).toBeCloseTo(50, 1);
  });

  it('skips GPS jitter while the aircraft reports standing still, and gaps in the track', () => {
    const t = track(101, 5);
    const speed = new Float64Array(101).fill(5);
    for (let i = 0; i <= 50; i++) speed[i] = 0; // first half "still": 0 m/s at both ends of each step
    t.lat[80] = NaN;
    expect(trackDistanceM(t.lat, t.lon, speed)).toBeCloseTo(25, 1);
  });

  it('counts steps whose speed is unknown', () => {
    const t = track(11, 5);
    expect(trackDistanceM(t.lat, t.lon, new Float64Array(11).fill(NaN))).toBeCloseTo(5, 1);
  });
});

describe('chooseHome', () => {
  const takeoff = { latitude: 39.9612, longitude: -106.2164 };

  it('takes the first plausible recorded home near the take-off point', () => {
    const choice = chooseHome(
      [
        { row: 0, latitude: 45836623.61, longitude: 45836623.61, altitudeM: -20 },
        { row: 5, latitude: 39.96121, longitude: -106.21641, altitudeM: 2485.5 },
        { row: 90, latitude: 39.97, longitude: -106.2, altitudeM: 2485.5 },
      ],
      takeoff,
    );
    expect(choice).toEqual({ home: { latitude: 39.96121, longitude: -106.21641, altitudeM: 2485.5, source: 'recorded' }, rejectedRecorded: false });
  });

  it('falls back to the first fix when the recorded home is garbage or far away', () => {
    const choice = chooseHome([{ row: 0, latitude: 18.07, longitude: -65.79, altitudeM: 3 }], takeoff);
    expect(choice.home).toEqual({ ...takeoff, altitudeM: null, source: 'first-fix' });
    expect(choice.rejectedRecorded).toBe(true);
  });

  it('has no home without fix and without plausible record', () => {
    expect(chooseHome([], null)).toEqual({ home: null, rejectedRecorded: false });
  });
});
