import { beforeAll, describe, expect, it } from 'vitest';
import { DRONELOG_CSV_COLUMNS, parseFlightLog, TELEMETRY_NUMERIC_FIELDS, writeDronelogCsv, type ParsedFlight } from '../../src/index.js';
import { readCsvDocument } from '../../src/csv/text.js';
import { fixturesAvailable, LOGS, readDjiFixture } from '../support/fixtures.js';
import { CSVS, readCsvFixture, utf8 } from './csv-fixtures.js';

const extras = { name: 'Ridge, "north" side', notes: 'Line one\nline two, with comma', color: '#1e90ff', tags: ['survey', 'Ridge'] };

function expectSameTelemetry(a: ParsedFlight, b: ParsedFlight): void {
  expect(b.telemetry.length).toBe(a.telemetry.length);
  expect(Array.from(b.telemetry.timeMs)).toEqual(Array.from(a.telemetry.timeMs));
  for (const field of TELEMETRY_NUMERIC_FIELDS) {
    // Bit-identical: numbers are written in their shortest round-trip form (NaN ↔ empty cell).
    expect(Array.from(b.telemetry.numeric[field]), field).toEqual(Array.from(a.telemetry.numeric[field]));
  }
  expect(b.telemetry.flightMode).toEqual(a.telemetry.flightMode);
  expect(Array.from(b.telemetry.isPhoto)).toEqual(Array.from(a.telemetry.isPhoto));
  expect(Array.from(b.telemetry.isVideo)).toEqual(Array.from(a.telemetry.isVideo));
  expect(b.telemetry.cellVoltages).toEqual(a.telemetry.cellVoltages);
}

describe.skipIf(!fixturesAvailable())('Dronelog CSV round trip of real flights', () => {
  let original: ParsedFlight;
  let csv: string;
  let back: ParsedFlight;
  beforeAll(async () => {
    original = await parseFlightLog(readDjiFixture(LOGS.inspire1Df010));
    csv = writeDronelogCsv(original, extras);
    back = await parseFlightLog(utf8(csv));
  });

  it('writes comment lines, then the documented header row', () => {
    const doc = readCsvDocument(utf8(csv));
    expect(doc.comments[0]).toBe(' dronelog-csv 1');
    expect(doc.header).toEqual([...DRONELOG_CSV_COLUMNS]);
    expect(doc.header.slice(0, 4)).toEqual(['time_ms', 'latitude', 'longitude', 'height_m']);
    expect(doc.header.slice(-4)).toEqual(['flight_mode', 'is_photo', 'is_video', 'cell_voltages']);
    expect(doc.rows).toHaveLength(original.telemetry.length);
  });

  it('is detected as dronelog-csv and gives back every telemetry column exactly', () => {
    expect(back.header.format).toBe('dronelog-csv');
    expectSameTelemetry(original, back);
  });

  it('keeps the metadata, messages and warnings, and the original log version', () => {
    expect(back.metadata).toEqual(original.metadata);
    expect(back.messages).toEqual(original.messages);
    expect(back.warnings).toEqual(original.warnings);
    expect(back.header.version).toBe(9);
    expect(back.header.aircraftSerial).toBe('0410059536');
  });

  it('restores name, notes, colour and manual tags (quotes, commas and line breaks included)', () => {
    expect(back.extras).toEqual(extras);
  });

  it('round-trips a CSV-sourced flight too (Airdata), and a second export is byte-identical', async () => {
    const airdata = await parseFlightLog(readCsvFixture(CSVS.airdataMini2));
    const once = writeDronelogCsv(airdata);
    const again = await parseFlightLog(utf8(once));
    expectSameTelemetry(airdata, again);
    expect(again.metadata).toEqual(airdata.metadata);
    expect(writeDronelogCsv(again)).toBe(once.replace(/"format":"airdata-csv"/, '"format":"dronelog-csv"'));
  });
});

describe('Dronelog CSV written from plain arrays (as the export API reads them from the database)', () => {
  const metadata = {
    aircraftName: 'Test', aircraftModel: null, productType: null, aircraftSerial: 'SN1', batterySerial: null, cameraSerial: null, rcSerial: null,
    startTime: '2024-05-01T10:00:00.000Z', endTime: '2024-05-01T10:00:00.200Z', durationS: 0.2,
    home: { latitude: 52.52, longitude: 13.405, altitudeM: null, source: 'first-fix' as const },
    takeoff: { latitude: 52.52, longitude: 13.405 }, landing: { latitude: 52.52, longitude: 13.405 },
    distanceM: 0, maxHeightM: 2, maxAltitudeM: null, maxHorizontalSpeedMps: 1, maxVerticalSpeedMps: 1, maxDistanceFromHomeM: 0,
    photoCount: 0, videoCount: 0, batteryStartPercent: 90, batteryEndPercent: 89, batteryCycles: 212,
    batteryDesignCapacityMah: 2590, batteryMinTemperatureC: null, batteryMaxTemperatureC: null, batteryStartTemperatureC: null, minVoltageV: null,
    app: null, firmware: null, logVersion: 14, frameCount: 3, gpsFrameCount: 3, place: null,
  };

  it('accepts null for missing values and quotes a flight mode with a comma', async () => {
    const text = writeDronelogCsv({
      metadata,
      telemetry: {
        length: 3,
        timeMs: [0, 100, 200],
        numeric: { latitude: [52.52, 52.52, 52.52], longitude: [13.405, 13.405, 13.405], heightM: [0, null, 2], batteryPercent: [90, 90, 89] },
        flightMode: ['P-GPS', 'Go, home', null],
        isPhoto: [false, true, false],
      },
    });
    const f = await parseFlightLog(utf8(text));
    expect(Array.from(f.telemetry.numeric.heightM)).toEqual([0, NaN, 2]);
    expect(f.telemetry.flightMode).toEqual(['P-GPS', 'Go, home', null]);
    expect(Array.from(f.telemetry.isPhoto)).toEqual([0, 1, 0]);
    expect(f.metadata.aircraftSerial).toBe('SN1');
    expect(f.metadata.logVersion).toBe(14);
    // What the battery said of itself has no column: it travels in the metadata line.
    expect(f.metadata.batteryCycles).toBe(212);
    expect(f.metadata.batteryDesignCapacityMah).toBe(2590);
    expect(f.extras).toEqual({ name: null, notes: null, color: null, tags: [] });
  });

  it('refuses a file whose time_ms goes backwards, and one without a start time', async () => {
    const good = writeDronelogCsv({ metadata, telemetry: { length: 2, timeMs: [0, 100], numeric: {} } });
    await expect(parseFlightLog(utf8(good.replace(/\r\n100,/, '\r\n-5,')))).rejects.toMatchObject({ code: 'unreadable' });
    const noMeta = good.split('\r\n').filter((l) => !l.startsWith('# metadata')).join('\r\n');
    await expect(parseFlightLog(utf8(noMeta))).rejects.toMatchObject({ code: 'not-a-flight-log' });
    const withStart = `# start_time: 2024-05-01T10:00:00Z\r\n${noMeta}`;
    expect((await parseFlightLog(utf8(withStart))).metadata.startTime).toBe('2024-05-01T10:00:00.000Z');
  });
});
