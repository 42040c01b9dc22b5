import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TELEMETRY_FIELDS, TELEMETRY_FIELDS, TELEMETRY_SAMPLED_FIELDS, type TelemetryResponse, type TrackResponse } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { ENVELOPE_MIN_ROWS } from '../src/repositories/telemetry.repository.js';
import { buildTestApp, type TestApp } from './helper.js';
import { uploadOne } from './imports-helpers.js';
import { DIP_HEIGHT, SPIKE_HEIGHT, seedLogbook, shortFlight, type Logbook } from './seed.js';

/** Float32 storage: compare to what a FLOAT column holds. */
const f32 = (v: number) => Math.fround(v);
const close = (a: number | null | undefined, b: number, eps = 1e-4) => a !== null && a !== undefined && Math.abs(a - b) <= eps;

/** Metres between two lon/lat points (equirectangular, fine at this scale). */
function metres(a: readonly [number, number], b: readonly [number, number]): number {
  const k = Math.cos((a[1] * Math.PI) / 180);
  const dx = (b[0] - a[0]) * k * 111_320;
  const dy = (b[1] - a[1]) * 110_574;
  return Math.hypot(dx, dy);
}

describe('flight telemetry and track', () => {
  let t: TestApp;
  let book: Logbook;

  beforeAll(async () => {
    t = await buildTestApp();
    book = await seedLogbook(t.app.db);
  });
  afterAll(async () => t.close());

  const telemetry = async (id: number, query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${id}/telemetry?${query}` });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return res.json() as TelemetryResponse;
  };
  const track = async (id: number, query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${id}/track${query ? `?${query}` : ''}` });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return res.json() as TrackResponse;
  };
  /** Row index of a timestamp in the long flight (10 Hz from 0). */
  const row = (tMs: number) => Math.round(tMs / 100);

  describe('downsampling a 36 000-row flight', () => {
    let r: TelemetryResponse;
    beforeAll(async () => {
      r = await telemetry(book.ids.f6, 'fields=heightM,yawDeg,gimbalYawDeg,latitude,longitude,batteryPercent,isPhoto,isVideo,flightMode,cellVoltages');
    });

    it('returns at most `points` rows (default 2000), columnar with one shared time axis', () => {
      expect(r.totalPoints).toBe(36_000);
      expect(r.points).toBe(r.t.length);
      expect(r.t.length).toBeLessThanOrEqual(2000);
      expect(r.t.length).toBeGreaterThan(1900);
      expect(r.bucketMs).toBe(3600);
      for (const series of Object.values(r.series)) expect(series).toHaveLength(r.t.length);
      for (let i = 1; i < r.t.length; i++) expect(r.t[i]!).toBeGreaterThanOrEqual(r.t[i - 1]!);
    });

    it('keeps the first and last timestamps', () => {
      expect(r.t[0]).toBe(0);
      expect(r.t.at(-1)).toBe(3_599_900);
    });

    it('keeps the global max (one-second spike) and min (one-second dip) of height', () => {
      const heights = r.series.heightM!.filter((v): v is number => v !== null);
      expect(Math.max(...heights)).toBe(SPIKE_HEIGHT);
      expect(Math.min(...heights)).toBe(DIP_HEIGHT);
    });

    it('never averages yaw: every value is the sample recorded at that time, ±179 where it straddles ±180', () => {
      const yawAt = book.long.telemetry.yaw_deg!;
      r.t.forEach((tMs, i) => {
        const expected = yawAt[row(tMs)]!;
        expect(close(r.series.yawDeg![i], f32(expected)), `yaw at ${tMs}`).toBe(true);
        expect(close(r.series.gimbalYawDeg![i], f32(expected)), `gimbal yaw at ${tMs}`).toBe(true);
      });
      const [s, e] = book.long.rows.yawStraddle;
      const inStraddle = r.t.map((tMs, i) => [row(tMs), r.series.yawDeg![i]!] as const).filter(([k]) => k >= s && k < e);
      expect(inStraddle.length).toBeGreaterThan(10);
      for (const [, yaw] of inStraddle) expect(Math.abs(yaw)).toBe(179);
    });

    it('never averages positions: lat/lon are samples recorded at that time', () => {
      const lat = book.long.telemetry.latitude!;
      const lon = book.long.telemetry.longitude!;
      r.t.forEach((tMs, i) => {
        const k = row(tMs);
        const expLat = lat[k]!;
        if (Number.isNaN(expLat)) {
          expect(r.series.latitude![i]).toBeNull();
        } else {
          expect(r.series.latitude![i]).toBe(expLat);
          expect(r.series.longitude![i]).toBe(lon[k]);
        }
      });
    });

    it('returns NaN gaps as null, never NaN, and keeps single-row photo events', () => {
      const json = JSON.stringify(r);
      expect(json).not.toContain('NaN');
      for (const photoRow of book.long.rows.photos) {
        const bucketStart = Math.floor((photoRow * 100) / r.bucketMs) * r.bucketMs;
        const hits = r.t.map((tMs, i) => [tMs, r.series.isPhoto![i]] as const).filter(([tMs, v]) => tMs >= bucketStart && tMs < bucketStart + r.bucketMs && v === 1);
        expect(hits.length, `photo at row ${photoRow}`).toBeGreaterThan(0);
      }
      expect(r.series.isVideo!.some((v) => v === 1)).toBe(true);
    });

    it('returns flight mode and cell voltages as recorded samples', () => {
      expect(r.series.flightMode![0]).toBe('GPS');
      expect(r.series.flightMode!.at(-1)).toBe('GoHome');
      const last = r.series.cellVoltages!.at(-1)!;
      expect(last).toHaveLength(4);
      expect(close(last[0], f32(4.2 - (0.8 * 35_999) / 36_000), 1e-5)).toBe(true);
    });
  });

  it('honours a smaller and the maximum point budget', async () => {
    const small = await telemetry(book.ids.f6, 'fields=heightM&points=100');
    expect(small.t.length).toBeLessThanOrEqual(100);
    expect(Math.max(...small.series.heightM!.filter((v): v is number => v !== null))).toBe(SPIKE_HEIGHT);
    expect(small.t[0]).toBe(0);
    expect(small.t.at(-1)).toBe(3_599_900);
    const odd = await telemetry(book.ids.f6, 'fields=heightM&points=7');
    expect(odd.t.length).toBeLessThanOrEqual(7);
    const max = await telemetry(book.ids.f6, 'fields=heightM&points=20000');
    expect(max.t.length).toBeLessThanOrEqual(20_000);
    expect(max.t.length).toBeGreaterThan(19_000);
  });

  it('serves the unzoomed chart from the precomputed envelope with the same rows as the live bucketing', async () => {
    const id = book.ids.f6;
    // No flight has an envelope before its first unzoomed chart request, which fills it in the background.
    await t.app.db.transaction((conn) => conn.run('DELETE FROM telemetry_envelope WHERE flight_id = $1', [id]));
    await telemetry(id, 'fields=heightM');
    for (let i = 0; i < 100; i++) {
      const r = await t.app.db.reader.runAndReadAll('SELECT count(*) AS n FROM telemetry_envelope WHERE flight_id = $1 AND bucket >= 0', [id]);
      if (Number(r.getRowObjectsJS()[0]!.n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const fields = `fields=${TELEMETRY_FIELDS.join(',')}`;
    for (const points of [2000, 1500, 100]) {
      const served = await telemetry(id, `${fields}&points=${points}`);
      // An explicit window over the whole flight is bucketed live, with the same buckets.
      const live = await telemetry(id, `${fields}&points=${points}&from=0&to=3599900`);
      const { series: servedSeries, ...servedRest } = served;
      const { series: liveSeries, ...liveRest } = live;
      expect(servedRest).toEqual(liveRest);
      expect(served.totalPoints).toBe(36_000);
      // Each bucket's rows (1 or 2, at the same times). Sampled series: the same values. Envelope series: the same
      // min and max; which row holds which may differ only when the extreme occurs more than once in the bucket.
      const bucketOf = (tMs: number) => Math.floor((tMs * Math.floor(points / 2)) / 3_599_901);
      const groups = new Map<number, number[]>();
      served.t.forEach((tMs, i) => groups.set(bucketOf(tMs), [...(groups.get(bucketOf(tMs)) ?? []), i]));
      for (const field of TELEMETRY_FIELDS) {
        const a = servedSeries[field]!;
        const b = liveSeries[field]!;
        if (TELEMETRY_SAMPLED_FIELDS.includes(field)) {
          expect(a, field).toEqual(b);
          continue;
        }
        for (const idx of groups.values()) {
          const pick = (col: readonly unknown[]) => idx.map((i) => col[i] as number | null).sort();
          expect(pick(a), field).toEqual(pick(b));
        }
      }
    }
    const n = await t.app.db.reader.runAndReadAll('SELECT count(*) AS n FROM telemetry_envelope WHERE flight_id = $1 AND bucket >= 0', [id]);
    expect(Number(n.getRowObjectsJS()[0]!.n)).toBeGreaterThan(1000);
  });

  it('keeps NULL stored in the envelope (a bucket inside a gap) as null, read from masked vectors', async () => {
    const id = book.ids.f6;
    const hasEnvelope = await t.app.db.reader.runAndReadAll('SELECT count(*) AS n FROM telemetry_envelope WHERE flight_id = $1 AND bucket >= 0', [id]);
    expect(Number(hasEnvelope.getRowObjectsJS()[0]!.n)).toBeGreaterThan(1000);
    const served = await telemetry(id, 'fields=heightM,latitude,flightMode&points=6000');
    const live = await telemetry(id, 'fields=heightM,latitude,flightMode&points=6000&from=0&to=3599900');
    expect(served.series.latitude).toEqual(live.series.latitude);
    expect(served.series.flightMode).toEqual(live.series.flightMode);
    const [hs, he] = book.long.rows.heightGap;
    const [gs, ge] = book.long.rows.gpsGap;
    let heightNulls = 0;
    let latNulls = 0;
    served.t.forEach((tMs, i) => {
      const k = row(tMs);
      if (k >= hs && k < he) {
        // 6 000 points = the stored 3 000 buckets of 1.2 s; a row in the gap may still see a height recorded outside it.
        if (served.series.heightM![i] === null) heightNulls++;
      } else {
        expect(typeof served.series.heightM![i], `height at ${tMs}`).toBe('number');
      }
      if (k >= gs && k < ge && served.series.latitude![i] === null) latNulls++;
    });
    expect(heightNulls).toBeGreaterThan(0);
    expect(latNulls).toBeGreaterThan(0);
  });

  it('serves a flight too short for stored buckets (more rows than asked, fewer than the envelope keeps) live, also after its envelope marker exists', async () => {
    const log = writeDjiLog(demoFlight({ seed: 'envelope-short', durationS: 300, startTime: '2024-07-01T10:00:00Z', tickHz: 10 }), { version: 6 });
    const up = await uploadOne(t.app, { name: 'envelope-short.txt', bytes: log.bytes });
    expect(up.status, up.reason).toBe('imported');
    const query = 'fields=heightM,horizontalSpeedMps,batteryPercent,yawDeg&points=1500';
    const first = await telemetry(up.flightId!, query);
    expect(first.totalPoints).toBeGreaterThan(1500);
    expect(first.totalPoints).toBeLessThan(ENVELOPE_MIN_ROWS);
    expect(first.points).toBeGreaterThan(1000);
    for (let i = 0; i < 100; i++) {
      const r = await t.app.db.reader.runAndReadAll('SELECT count(*) AS n FROM telemetry_envelope WHERE flight_id = $1', [up.flightId!]);
      if (Number(r.getRowObjectsJS()[0]!.n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await telemetry(up.flightId!, query)).toEqual(first);
  });

  it('zooms: from/to select a window and only rows inside it come back, still min/max preserving', async () => {
    const [s] = book.long.rows.spike;
    const from = 1_200_000;
    const to = 1_300_000;
    const r = await telemetry(book.ids.f6, `fields=heightM,yawDeg&points=200&from=${from}&to=${to}`);
    expect(r.totalPoints).toBe(1001);
    expect(r.t.length).toBeLessThanOrEqual(200);
    expect(r.t[0]).toBe(from);
    expect(r.t.at(-1)).toBe(to);
    for (const tMs of r.t) {
      expect(tMs).toBeGreaterThanOrEqual(from);
      expect(tMs).toBeLessThanOrEqual(to);
    }
    expect(s * 100).toBeGreaterThan(from);
    expect(Math.max(...r.series.heightM!.filter((v): v is number => v !== null))).toBe(SPIKE_HEIGHT);
  });

  it('returns a narrow window raw, with the NaN height gap as nulls', async () => {
    const [gs, ge] = book.long.rows.heightGap;
    const r = await telemetry(book.ids.f6, `fields=heightM&from=${(gs - 5) * 100}&to=${(ge + 4) * 100}`);
    expect(r.bucketMs).toBe(0);
    expect(r.t).toHaveLength(ge - gs + 10);
    expect(r.t.length).toBe(r.totalPoints);
    r.t.forEach((tMs, i) => {
      const inGap = row(tMs) >= gs && row(tMs) < ge;
      if (inGap) expect(r.series.heightM![i]).toBeNull();
      else expect(typeof r.series.heightM![i]).toBe('number');
    });
  });

  it('returns an empty result for a window without rows', async () => {
    const r = await telemetry(book.ids.f6, 'fields=heightM&from=4000000&to=5000000');
    expect(r).toEqual({ t: [], series: { heightM: [] }, points: 0, totalPoints: 0, bucketMs: 0 });
  });

  it('returns short flights as recorded, every field mapped to its column', async () => {
    const r = await telemetry(book.ids.f5, `fields=${TELEMETRY_FIELDS.join(',')}`);
    const src = shortFlight();
    expect(r.bucketMs).toBe(0);
    expect(r.t).toEqual(src.t_ms);
    expect(Object.keys(r.series).sort()).toEqual([...TELEMETRY_FIELDS].sort());
    expect(r.series.heightM![10]).toBeNull();
    expect(r.series.heightM![11]).toBe(5.5);
    expect(r.series.yawDeg!.slice(0, 2)).toEqual([179.5, -179.5]);
    expect(r.series.latitude![3]).toBe(46.5 + 3e-5);
    expect(r.series.satellites![0]).toBe(18);
    expect(r.series.batteryPercent![0]).toBe(90);
    expect(r.series.cellVoltages![0]).toBeNull();
    expect(r.series.cellVoltages![1]).toEqual([4.1, 4.1, 4.05, 4.1]);
    expect(r.series.flightMode![0]).toBe('GPS');
    expect(r.series.flightMode![30]).toBeNull();
    expect(r.series.isPhoto![30]).toBe(1);
    expect(r.series.isPhoto![29]).toBe(0);
    expect(r.series.isVideo![0]).toBe(0);
    expect(r.series.rcThrottle!.every((v) => v === null)).toBe(true);
  });

  it('returns the default fields when none are asked for', async () => {
    const r = await telemetry(book.ids.f5, '');
    expect(Object.keys(r.series).sort()).toEqual([...DEFAULT_TELEMETRY_FIELDS].sort());
  });

  it('accepts repeated fields parameters', async () => {
    const r = await telemetry(book.ids.f5, 'fields=heightM&fields=yawDeg');
    expect(Object.keys(r.series).sort()).toEqual(['heightM', 'yawDeg']);
  });

  describe('telemetry validation', () => {
    it('answers 400 listing the valid fields for an unknown field', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${book.ids.f6}/telemetry?fields=heightM,altitude,speed` });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.error).toBe('unknown-field');
      expect(body.message).toContain('altitude, speed');
      for (const f of TELEMETRY_FIELDS) expect(body.message).toContain(f);
    });

    for (const [query, fragment] of [
      ['points=20001', 'points'],
      ['points=1', 'points'],
      ['points=abc', 'points'],
      ['from=10&to=5', 'from'],
      ['from=1.5', 'from'],
    ] as const) {
      it(`answers 400 for ${query}`, async () => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${book.ids.f6}/telemetry?${query}` });
        expect(res.statusCode).toBe(400);
        expect(res.json().message).toContain(fragment);
      });
    }

    it('answers 404 for a missing flight', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/flights/424242/telemetry' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe('not-found');
    });
  });

  describe('track', () => {
    it('returns only valid GPS rows, at most `points` (default 1500), keeping the first and last valid points', async () => {
      const r = await track(book.ids.f6);
      const validRows = 36_000 - (book.long.rows.noFix[1] - book.long.rows.noFix[0]) - (book.long.rows.gpsGap[1] - book.long.rows.gpsGap[0]);
      expect(r.totalPoints).toBe(validRows);
      expect(r.points).toBe(r.track.length);
      expect(r.track.length).toBeLessThanOrEqual(1500);
      expect(r.track.length).toBeGreaterThan(700);
      const [first, last] = [r.track[0]!, r.track.at(-1)!];
      expect(first[3]).toBe(book.long.rows.noFix[1] * 100);
      expect(last[3]).toBe(3_599_900);
      const [gs, ge] = book.long.rows.gpsGap;
      for (const [lon, lat, h, tMs] of r.track) {
        expect(Number.isFinite(lon) && Number.isFinite(lat)).toBe(true);
        expect(lon === 0 && lat === 0).toBe(false);
        expect(row(tMs) >= gs && row(tMs) < ge).toBe(false);
        expect(h === null || Number.isFinite(h)).toBe(true);
      }
      for (let i = 1; i < r.track.length; i++) expect(r.track[i]![3]).toBeGreaterThan(r.track[i - 1]![3]);
    });

    it('keeps the corners of the flown square even when thinned to 50 points', async () => {
      const r = await track(book.ids.f6, 'points=50');
      expect(r.track.length).toBeLessThanOrEqual(50);
      for (const corner of book.long.corners.slice(1)) {
        const nearest = Math.min(...r.track.map((p) => metres(corner, [p[0], p[1]])));
        expect(nearest, `corner ${corner.join(',')}`).toBeLessThan(5);
      }
    });

    it('keeps first and last with the smallest budget', async () => {
      const r = await track(book.ids.f6, 'points=3');
      expect(r.track.length).toBeLessThanOrEqual(3);
      expect(r.track[0]![3]).toBe(2000);
      expect(r.track.at(-1)![3]).toBe(3_599_900);
    });

    it('returns short tracks whole, with heights and nulls where height is missing', async () => {
      const r = await track(book.ids.f5);
      expect(r.track).toHaveLength(50);
      expect(r.track[0]).toEqual([7.5, 46.5, 0, 0]);
      expect(r.track[10]![2]).toBeNull();
    });

    it('returns an empty track for a flight without GPS', async () => {
      expect(await track(book.ids.f4)).toEqual({ track: [], points: 0, totalPoints: 0 });
    });

    it('validates points and answers 404 for a missing flight', async () => {
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/flights/${book.ids.f6}/track?points=2` })).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/flights/${book.ids.f6}/track?points=10001` })).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights/424242/track' })).statusCode).toBe(404);
    });
  });
});
