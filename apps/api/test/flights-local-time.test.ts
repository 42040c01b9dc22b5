import type { FlightDetail, FlightListResponse, OverviewResponse } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helper.js';
import { uploadOne } from './imports-helpers.js';

/** Synthetic logs through the real import pipeline: the zone comes from the offline lookup of the home point. */
describe('flight local time zone', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await buildTestApp();
    const flights = {
      lausanne: { latitude: 46.50531, longitude: 6.62744, altitudeM: 373 },
      boulder: { latitude: 39.99902, longitude: -105.28166, altitudeM: 1752 },
    };
    let seed = 1;
    for (const [name, home] of Object.entries(flights)) {
      const spec = demoFlight({ seed: seed++, durationS: 60, home, startTime: '2024-07-01T12:55:00Z' });
      const result = await uploadOne(t.app, { name: `DJIFlightRecord_${name}.txt`, bytes: writeDjiLog(spec, { version: 10 }).bytes });
      expect(result.status, JSON.stringify(result)).toBe('imported');
      ids[name] = (result as { flightId: number }).flightId;
    }
  });
  afterAll(async () => t?.close());

  it('returns the IANA zone of the home point on the flight detail', async () => {
    const lausanne = (await t.app.inject({ method: 'GET', url: `/api/v1/flights/${ids.lausanne}` })).json() as FlightDetail;
    const boulder = (await t.app.inject({ method: 'GET', url: `/api/v1/flights/${ids.boulder}` })).json() as FlightDetail;
    expect(lausanne.localTimeZone).toBe('Europe/Zurich');
    expect(boulder.localTimeZone).toBe('America/Denver');
  });

  it('returns it on every row of the flight list', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/flights?sort=name' })).json() as FlightListResponse;
    expect(Object.fromEntries(list.items.map((f) => [f.id, f.localTimeZone]))).toEqual({ [ids.lausanne!]: 'Europe/Zurich', [ids.boulder!]: 'America/Denver' });
  });

  it("comes with the overview's top flights, so their dates show as flown", async () => {
    const o = (await t.app.inject({ method: 'GET', url: '/api/v1/overview' })).json() as OverviewResponse;
    expect(Object.fromEntries(o.topFlights.longest.map((f) => [f.id, f.localTimeZone]))).toEqual({
      [ids.lausanne!]: 'Europe/Zurich',
      [ids.boulder!]: 'America/Denver',
    });
  });

  it('is set for a manual entry from its take-off point too', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/flights/manual',
      payload: { startTime: '2024-07-02T10:00:00Z', durationS: 600, aircraftName: 'Minnie', aircraftSerial: 'AC1', batterySerial: 'B1', homeLat: 35.6586, homeLon: 139.7454 },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as FlightDetail).localTimeZone).toBe('Asia/Tokyo');
  });
});
