import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_CSV_COLUMNS } from '@dronelog/contracts';
import { parseFlightLog } from '@dronelog/flightlog';
import { buildTestApp, type TestApp } from './helper.js';
import { assertWellFormedXml, parseCsv, readZip } from './analytics-helpers.js';
import { seedLogbook, type Logbook } from './seed.js';

/**
 * Exports of the seeded logbook. f6 is the 36 000-row flight (the streaming test); f5 has 50 rows 200 ms apart from
 * 46.5, 7.5 (every position valid), height i × 0.5 m except row 10 (none) — 49 positions with a height.
 */
const ROWS = 36_000;
const VALID = 50;
const WITH_HEIGHT = 49;

describe('exports', () => {
  let t: TestApp;
  let ids: Logbook['ids'];
  let manualId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    ids = (await seedLogbook(t.app.db)).ids;
    await t.app.db.transaction((c) => c.run('UPDATE flights SET home_altitude_m = 400 WHERE id = $1', [ids.f5]));
    const manual = await t.app.inject({
      method: 'POST',
      url: '/api/v1/flights/manual',
      payload: {
        aircraftName: 'Paper', aircraftSerial: 'PX1', batterySerial: 'PB1', startTime: '2024-03-03T10:00:00+01:00',
        durationS: 300, homeLat: 46.2, homeLon: 6.1, name: 'Training',
      },
    });
    expect(manual.statusCode, manual.body).toBe(201);
    manualId = manual.json().id;
  });
  afterAll(async () => t.close());

  const download = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return res;
  };

  describe('one flight', () => {
    it('streams a 36 000-row flight page by page (a Readable of small pieces) as Dronelog CSV that reads back', async () => {
      const file = await t.app.profileRegistry.default.services.flightExports.flight(ids.f6, 'csv');
      expect(file.stream).toBeInstanceOf(Readable);
      expect(file).toMatchObject({ fileName: '2025-01-01_1000_Long_survey.csv', contentType: 'text/csv; charset=utf-8' });
      const chunks: Buffer[] = [];
      for await (const chunk of file.stream) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      expect(bytes.length).toBeGreaterThan(3_000_000);
      expect(chunks.length).toBeGreaterThanOrEqual(ROWS / 2048);
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1_000_000);

      const text = bytes.toString('utf8');
      const lines = text.split('\r\n').filter((l) => l !== '');
      expect(lines[0]).toBe('# dronelog-csv 1');
      expect(lines.length - lines.findIndex((l) => l.startsWith('time_ms,')) - 1).toBe(ROWS);
      const back = await parseFlightLog(new Uint8Array(bytes), { fileName: 'x.csv' });
      expect(back.telemetry.length).toBe(ROWS);
      expect(back.metadata.startTime).toBe('2025-01-01T10:00:00.000Z');
      expect(back.extras).toMatchObject({ name: 'Long survey', tags: ['survey'] });
      expect(back.telemetry.flightMode[ROWS - 1]).toBe('GoHome');
      expect(back.messages.map((m) => m.text)).toEqual(['Returning to home.']);
    });

    it('CSV over HTTP: Content-Type, Content-Disposition and one row per telemetry row', async () => {
      const res = await download(`/api/v1/flights/${ids.f5}/export?format=csv`);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="2023-12-31_2359_Beach.csv"; filename*=UTF-8''2023-12-31_2359_Beach.csv`);
      const back = await parseFlightLog(new Uint8Array(res.rawPayload), { fileName: 'x.csv' });
      expect(back.telemetry.length).toBe(50);
      expect(back.telemetry.cellVoltages[1]).toEqual([4.1, 4.1, 4.05, 4.1]);
      expect(Number.isNaN(back.telemetry.numeric.heightM[10])).toBe(true);
    });

    it('JSON: the flight and every row under named columns', async () => {
      const res = await download(`/api/v1/flights/${ids.f5}/export?format=json`);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const doc = JSON.parse(res.body);
      expect(doc.flight).toMatchObject({ id: ids.f5, name: 'Beach', tags: [{ name: 'night', kind: 'auto' }] });
      expect(doc.telemetry.columns.slice(0, 4)).toEqual(['time_ms', 'time_utc', 'latitude', 'longitude']);
      expect(doc.telemetry.rows).toHaveLength(50);
      const col = (i: number, name: string) => doc.telemetry.rows[i][doc.telemetry.columns.indexOf(name)];
      expect(col(5, 'time_ms')).toBe(1000);
      expect(col(5, 'time_utc')).toBe('2024-01-01T00:00:00.000Z');
      expect(col(5, 'height_m')).toBe(2.5);
      expect(col(10, 'height_m')).toBeNull();
      expect(col(30, 'is_photo')).toBe(1);
      expect(col(0, 'cell_voltages')).toBeNull();
      expect(col(1, 'cell_voltages')).toEqual([4.1, 4.1, 4.05, 4.1]);
      expect(col(1, 'flight_mode')).toBe('GPS');
      expect(col(40, 'flight_mode')).toBeNull();
    });

    it('GPX: a track point with time and elevation (home altitude + height) per valid position', async () => {
      const res = await download(`/api/v1/flights/${ids.f5}/export?format=gpx`);
      expect(res.headers['content-type']).toBe('application/gpx+xml; charset=utf-8');
      const { root, elements } = assertWellFormedXml(res.body);
      expect(root).toBe('gpx');
      expect(elements.get('trkpt')).toBe(VALID);
      expect(elements.get('ele')).toBe(WITH_HEIGHT);
      const first = /<trkpt lat="([^"]+)" lon="([^"]+)"><ele>([^<]+)<\/ele><time>([^<]+)<\/time>/.exec(res.body)!;
      expect([Number(first[1]), Number(first[2])]).toEqual([46.5, 7.5]);
      expect(Number(first[3])).toBe(400);
      expect(first[4]).toBe('2023-12-31T23:59:59.000Z');
      expect(res.body).toContain('<trkpt lat="46.50001" lon="7.50001"><ele>400.5</ele><time>2023-12-31T23:59:59.200Z</time></trkpt>');
    });

    it('KML: absolute altitude and the relative-to-ground variant, 400 m apart', async () => {
      const coords = (body: string) => /<coordinates>\n([\s\S]*?)<\/coordinates>\n<\/LineString>/.exec(body)![1]!.trim().split('\n');
      const abs = await download(`/api/v1/flights/${ids.f5}/export?format=kml`);
      const rel = await download(`/api/v1/flights/${ids.f5}/export?format=kml-relative`);
      for (const r of [abs, rel]) {
        expect(r.headers['content-type']).toBe('application/vnd.google-earth.kml+xml; charset=utf-8');
        expect(assertWellFormedXml(r.body).root).toBe('kml');
      }
      expect(abs.body).toContain('<altitudeMode>absolute</altitudeMode>');
      expect(rel.body).toContain('<altitudeMode>relativeToGround</altitudeMode>');
      expect(rel.headers['content-disposition']).toContain('filename="2023-12-31_2359_Beach.relative.kml"');
      const a = coords(abs.body);
      const r = coords(rel.body);
      expect(a).toHaveLength(WITH_HEIGHT);
      expect(r).toHaveLength(WITH_HEIGHT);
      const [lonA, latA, altA] = a[0]!.split(',').map(Number) as [number, number, number];
      const [lonR, latR, altR] = r[0]!.split(',').map(Number) as [number, number, number];
      expect([lonA, latA]).toEqual([lonR, latR]);
      expect([altA, altR]).toEqual([400, 0]);
      expect(a[1]).toBe('7.50001,46.50001,400.5');
      expect(r[1]).toBe('7.50001,46.50001,0.5');
    });

    it('GeoJSON: a LineString Feature with the flight as properties and a time per coordinate', async () => {
      const res = await download(`/api/v1/flights/${ids.f5}/export?format=geojson`);
      expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
      const fc = JSON.parse(res.body);
      expect(fc.type).toBe('FeatureCollection');
      const f = fc.features[0];
      expect(f.geometry.type).toBe('LineString');
      expect(f.geometry.coordinates).toHaveLength(VALID);
      expect(f.properties).toMatchObject({ id: ids.f5, name: 'Beach', heightReference: 'takeoff' });
      expect(f.properties.coordTimes).toHaveLength(VALID);
      expect(f.properties.coordTimes[1]).toBe('2023-12-31T23:59:59.200Z');
      expect(f.geometry.coordinates[1]).toEqual([7.50001, 46.50001, 0.5]);
      expect(f.geometry.coordinates[10]).toEqual([7.5001, 46.5001]);
    });

    it('a flight without telemetry becomes a waypoint / point; the CSV keeps its metadata', async () => {
      const gpx = await download(`/api/v1/flights/${manualId}/export?format=gpx`);
      const { elements } = assertWellFormedXml(gpx.body);
      expect(elements.get('wpt')).toBe(1);
      expect(elements.has('trk')).toBe(false);
      expect(gpx.body).toContain('<wpt lat="46.2" lon="6.1"><time>2024-03-03T09:00:00.000Z</time><name>Training</name>');
      const geo = JSON.parse((await download(`/api/v1/flights/${manualId}/export?format=geojson`)).body);
      expect(geo.features[0].geometry).toEqual({ type: 'Point', coordinates: [6.1, 46.2] });
      const kml = await download(`/api/v1/flights/${manualId}/export?format=kml`);
      expect(assertWellFormedXml(kml.body).elements.get('Placemark')).toBe(1);
      const csv = (await download(`/api/v1/flights/${manualId}/export?format=csv`)).body.split('\r\n');
      expect(csv[0]).toBe('# dronelog-csv 1');
      expect(csv.at(-2)).toMatch(/^time_ms,/);
    });

    it('gives a safe file name for any flight name, 404 for a missing flight and 400 for an unknown format', async () => {
      const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/flights/${ids.f2}`, payload: { name: 'Sunset "über" ../lake; rm' } });
      expect(patched.statusCode).toBe(200);
      const res = await download(`/api/v1/flights/${ids.f2}/export?format=gpx`);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="2024-09-01_2330_Sunset_uber_.._lake_rm.gpx"; filename*=UTF-8''2024-09-01_2330_Sunset_uber_.._lake_rm.gpx`,
      );
      expect(assertWellFormedXml(res.body).root).toBe('gpx');
      expect(res.body).toContain('<name>Sunset &quot;über&quot; ../lake; rm</name>');
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights/999999/export?format=gpx' })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/flights/${ids.f6}/export?format=shp` })).statusCode).toBe(400);
    });
  });

  describe('summary CSV', () => {
    it('has one row per filtered flight with the summary columns, oldest first, text fields guarded', async () => {
      await t.app.inject({ method: 'PATCH', url: `/api/v1/flights/${ids.f3}`, payload: { notes: '=HYPERLINK("http://x","y"), then "more"' } });
      const res = await download('/api/v1/exports/summary.csv');
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="dronelog-summary-\d{4}-\d{2}-\d{2}\.csv"/);
      const rows = parseCsv(res.body);
      expect(rows[0]).toEqual([...SUMMARY_CSV_COLUMNS]);
      expect(rows).toHaveLength(1 + 7);
      for (const r of rows) expect(r).toHaveLength(SUMMARY_CSV_COLUMNS.length);
      const rec = rows.slice(1).map((r) => Object.fromEntries(SUMMARY_CSV_COLUMNS.map((c, i) => [c, r[i]!])));
      expect(rec.map((r) => Number(r.flight_id))).toEqual([ids.f5, manualId, ids.f1, ids.f2, ids.f3, ids.f4, ids.f6]);
      const f1 = rec.find((r) => Number(r.flight_id) === ids.f1)!;
      expect(f1).toMatchObject({
        aircraft_name: 'Minnie', aircraft_serial: 'AC1', battery_serial: 'B1', date: '2024-09-01', takeoff_time: '14:55:00',
        landing_time: '15:05:00', time_zone: 'UTC', duration_s: '600', distance_m: '1000', max_height_m: '100',
        takeoff_lat: '47.1', takeoff_lon: '8.1', battery_takeoff_percent: '98', battery_landing_percent: '40', photo_count: '3', tags: 'lake',
      });
      expect(rec.find((r) => Number(r.flight_id) === ids.f3)!.notes).toBe(`'=HYPERLINK("http://x","y"), then "more"`);
      // The manual entry's local time comes from the offline time-zone lookup (Geneva, UTC+1 in March).
      expect(rec.find((r) => Number(r.flight_id) === manualId)).toMatchObject({ date: '2024-03-03', takeoff_time: '10:00:00', time_zone: 'Europe/Zurich' });
      const ac2 = parseCsv((await download('/api/v1/exports/summary.csv?aircraft=AC2')).body);
      expect(ac2.slice(1).map((r) => Number(r[0]))).toEqual([ids.f3, ids.f4]);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/exports/summary.csv?from=nope' })).statusCode).toBe(400);
    });
  });

  describe('zip of flights', () => {
    it('streams one file per filtered flight plus summary.csv', async () => {
      const res = await download('/api/v1/exports/flights.zip?aircraft=AC1&format=gpx');
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="dronelog-flights-\d{4}-\d{2}-\d{2}\.zip"/);
      const entries = readZip(res.rawPayload);
      expect(entries.map((e) => e.name)).toEqual([
        'summary.csv',
        `${ids.f1}_2024-09-01_1455_Mini_4_Pro_2024-09-01_14_55.gpx`,
        `${ids.f2}_2024-09-01_2330_Sunset_uber_.._lake_rm.gpx`,
      ]);
      expect(parseCsv(entries[0]!.data.toString('utf8'))).toHaveLength(3);
      for (const e of entries.slice(1)) expect(assertWellFormedXml(e.data.toString('utf8')).root).toBe('gpx');
    });

    it('carries telemetry entries that read back', async () => {
      const res = await download('/api/v1/exports/flights.zip?aircraft=AC3&format=csv');
      const entries = readZip(res.rawPayload);
      expect(entries.map((e) => e.name)).toEqual(['summary.csv', `${ids.f5}_2023-12-31_2359_Beach.csv`]);
      const back = await parseFlightLog(new Uint8Array(entries[1]!.data), { fileName: 'x.csv' });
      expect(back.telemetry.length).toBe(50);
    });
  });
});
