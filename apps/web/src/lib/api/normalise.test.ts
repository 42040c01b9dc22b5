import { describe, expect, it } from 'vitest';
import { aircraftOptions, batteryOptions, tagOptions, toChartTelemetry, toTrack, trackFromTelemetry, transposeCells } from './normalise.js';
import { resultFromResponse, retryAfterMs } from './upload.js';

describe('toChartTelemetry', () => {
  it('keeps numeric series and turns row-wise cell voltages into one column per cell', () => {
    const c = toChartTelemetry({
      t: [0, 100, 200],
      series: { heightM: [1, 2, 3], cellVoltages: [[4.1, 4.2], null, [4.0, 4.05, 3.9]], flightMode: ['P-GPS', null, 'P-GPS'] },
      points: 3,
      totalPoints: 30,
      bucketMs: 10,
    });
    expect(c.series).toEqual({ heightM: [1, 2, 3] });
    expect(c.cells).toEqual([
      [4.1, null, 4.0],
      [4.2, null, 4.05],
      [null, null, 3.9],
    ]);
    expect(c.totalPoints).toBe(30);
  });
  it('has no cells when the log has none', () => {
    expect(transposeCells(undefined, 3)).toBeNull();
    expect(transposeCells([null, null], 2)).toBeNull();
  });
});

describe('toTrack', () => {
  it('fills unknown heights from the last known one and drops broken points', () => {
    expect(
      toTrack({
        track: [
          [1, 2, null, 0],
          [1, 2, 5, 100],
          [1, 2, null, 200],
          [NaN, 2, 1, 300],
        ],
        points: 4,
        totalPoints: 4,
      }),
    ).toEqual([
      [1, 2, 0, 0],
      [1, 2, 5, 100],
      [1, 2, 5, 200],
    ]);
  });
});

describe('trackFromTelemetry', () => {
  it('keeps rows with a valid position and carries height over gaps', () => {
    expect(
      trackFromTelemetry({
        t: [0, 100, 200, 300],
        series: { latitude: [0, 39.9, 39.91, null], longitude: [0, -106.2, -106.21, -106.22], heightM: [0, 5, null, 7] },
        cells: null,
        points: 4,
        totalPoints: 4,
      }),
    ).toEqual([
      [-106.2, 39.9, 5, 100],
      [-106.21, 39.91, 5, 200],
    ]);
  });
});

describe('filter options', () => {
  it('name aircraft by model and app name, filter by serial', () => {
    expect(aircraftOptions([{ serial: 'S1', name: 'RGP Craft', model: 'Inspire 1', flightCount: 3, totalDurationS: 1, lastFlightAt: '' }])).toEqual([
      { name: 'Inspire 1 “RGP Craft”', value: 'S1', count: 3 },
    ]);
    expect(aircraftOptions([{ serial: 'S2', name: null, model: null, flightCount: 1, totalDurationS: 1, lastFlightAt: '' }])[0]!.name).toBe('S2');
  });
  it('label batteries with their aircraft and tags with their count', () => {
    expect(batteryOptions([{ serial: 'B1', aircraftModel: 'Mini 4 Pro', flightCount: 2, totalDurationS: 1, maxCycles: 5, lastFlightAt: '' }])[0]).toEqual({ name: 'B1 · Mini 4 Pro', value: 'B1', count: 2 });
    expect(tagOptions([{ name: 'night', count: 4, kinds: ['auto'] }])).toEqual([{ name: 'night', value: 'night', count: 4 }]);
  });
});

describe('resultFromResponse (upload)', () => {
  it("reads this file's result from the API answer", () => {
    const r = resultFromResponse('a.txt', 200, {
      results: [{ importId: 1, fileName: 'a.txt', sha256: 'x', status: 'duplicate', reason: 'Already there', reasonCode: 'duplicate-file', flightId: 7 }],
    });
    expect(r).toEqual({ fileName: 'a.txt', status: 'duplicate', reason: 'Already there', reasonCode: 'duplicate-file', flightId: 7 });
  });
  it('turns HTTP errors into a failed result with the server message', () => {
    expect(resultFromResponse('a.txt', 400, { error: 'invalid-request', message: 'No file' })).toMatchObject({ status: 'failed', reason: 'No file', reasonCode: 'invalid-request' });
    expect(resultFromResponse('a.txt', 413, undefined).reason).toMatch(/larger/);
    expect(resultFromResponse('a.txt', 0, undefined).reason).toMatch(/could not be reached/);
  });
  it('asks for a retry on 429 and 503, honouring Retry-After within bounds', () => {
    expect(resultFromResponse('a.txt', 429, { error: 'rate-limited', message: 'slow down' }, '7')).toMatchObject({ status: 'failed', reasonCode: 'rate-limited', retryAfterMs: 7000 });
    expect(resultFromResponse('a.txt', 503, undefined).retryAfterMs).toBe(5000);
    expect(resultFromResponse('a.txt', 500, undefined).retryAfterMs).toBeUndefined();
    expect(retryAfterMs('0')).toBe(1000);
    expect(retryAfterMs('9999')).toBe(120_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 0)).toBe(10_000);
  });
});
