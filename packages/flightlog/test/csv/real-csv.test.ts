/**
 * The real CSV exports in fixtures/csv, cross-checked against what is known about their flights: the PhantomHelp
 * export of df010 against the same flight's DJI .txt, the Airdata export against the Mini 2 v14 log's header.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFlightLog, readLogHeader, type ParsedFlight } from '../../src/index.js';
import { fixturesAvailable, LOGS, readDjiFixture } from '../support/fixtures.js';
import { CSVS, readCsvFixture } from './csv-fixtures.js';

const last = (f: ParsedFlight, field: 'latitude' | 'longitude' | 'batteryPercent') => f.telemetry.numeric[field][f.telemetry.length - 1]!;

describe.skipIf(!fixturesAvailable())('real CSV exports', () => {
  describe('PhantomHelp export of the df010 Inspire 1 flight (sep=, line, BOM, imperial)', () => {
    let csv: ParsedFlight;
    let txt: ParsedFlight;
    beforeAll(async () => {
      csv = await parseFlightLog(readCsvFixture(CSVS.phantomHelpDf010));
      txt = await parseFlightLog(readDjiFixture(LOGS.inspire1Df010));
    });

    it('is read as a PhantomHelp CSV with the aircraft and serials of the .txt', () => {
      expect(csv.header.format).toBe('phantomhelp-csv');
      expect(csv.metadata).toMatchObject({ aircraftName: 'RGP Craft', aircraftModel: 'Inspire 1', aircraftSerial: '0410059536', batterySerial: '6781073611' });
      expect(csv.metadata.aircraftSerial).toBe(txt.metadata.aircraftSerial);
      expect(csv.metadata.batterySerial).toBe(txt.metadata.batterySerial);
    });

    it('has the same max height (55.9 m from 183.4 ft), last position and final battery (73 %) as the .txt', () => {
      expect(csv.metadata.maxHeightM).toBeCloseTo(55.9, 1);
      expect(txt.metadata.maxHeightM).toBeCloseTo(55.9, 1);
      expect(last(csv, 'latitude')).toBeCloseTo(39.961206, 6);
      expect(last(csv, 'longitude')).toBeCloseTo(-106.216457, 6);
      expect(csv.metadata.landing).toEqual({ latitude: expect.closeTo(txt.metadata.landing!.latitude, 5), longitude: expect.closeTo(txt.metadata.landing!.longitude, 5) });
      expect(csv.metadata.batteryEndPercent).toBe(73);
      expect(txt.metadata.batteryEndPercent).toBe(73);
      expect(csv.metadata.batteryStartPercent).toBe(98);
    });

    it('starts within the duplicate-signature window (2 s) of the .txt, so the same flight is found as a duplicate', () => {
      const diff = Math.abs(Date.parse(csv.metadata.startTime) - Date.parse(txt.metadata.startTime));
      expect(diff).toBeLessThan(2000);
      expect(csv.metadata.durationS).toBeCloseTo(txt.metadata.durationS, -1);
    });

    it('converts mph and ft to SI (max speed and home altitude agree with the .txt)', () => {
      expect(csv.metadata.maxHorizontalSpeedMps).toBeCloseTo(txt.metadata.maxHorizontalSpeedMps!, 0);
      expect(csv.metadata.home!.altitudeM).toBeCloseTo(2485.5, 0);
      expect(csv.metadata.batteryStartTemperatureC).toBeCloseTo((59.3 - 32) / 1.8, 6);
      expect(csv.metadata.distanceM).toBeGreaterThan(0.95 * txt.metadata.distanceM);
      expect(csv.metadata.distanceM).toBeLessThan(1.05 * txt.metadata.distanceM);
    });
  });

  describe('Airdata export of the Mini 2 flight (v14 log, imperial)', () => {
    let f: ParsedFlight;
    beforeAll(async () => {
      f = await parseFlightLog(readCsvFixture(CSVS.airdataMini2));
    });

    it('starts within a second of the .txt header (02:23:47.611Z) and lasts its 1254.4 s', async () => {
      const header = await readLogHeader(readDjiFixture(LOGS.mini2V14));
      expect(f.header.format).toBe('airdata-csv');
      expect(Math.abs(Date.parse(f.metadata.startTime) - Date.parse(header.startTime!))).toBeLessThan(1000);
      expect(f.metadata.durationS).toBeCloseTo(1254.4, 1);
      expect(header.durationS).toBeCloseTo(1254.4, 1);
    });

    it('has plausible heights, speeds and battery in SI', () => {
      expect(f.metadata.maxHeightM).toBeCloseTo(386.154868 * 0.3048, 3);
      expect(f.metadata.maxHorizontalSpeedMps).toBeGreaterThan(5);
      expect(f.metadata.maxHorizontalSpeedMps).toBeLessThan(16);
      expect(f.metadata.batteryStartPercent).toBe(95);
      expect(f.metadata.batteryEndPercent).toBe(9);
      expect(f.metadata.batteryStartTemperatureC).toBeCloseTo((80.96 - 32) / 1.8, 6);
      expect(f.metadata.maxDistanceFromHomeM).toBeCloseTo(970.86 * 0.3048, -1);
      expect(f.metadata.photoCount).toBeGreaterThan(30);
      expect(f.telemetry.cellVoltages[0]).toEqual([4.25, 4.232]);
    });

    it('takes zSpeed as DJI Down: vertical speed is positive while climbing', () => {
      const t = f.telemetry.numeric;
      let agree = 0;
      let disagree = 0;
      for (let i = 10; i < f.telemetry.length; i++) {
        const dh = t.heightM[i]! - t.heightM[i - 10]!;
        if (Math.abs(dh) < 1 || Math.abs(t.verticalSpeedMps[i]!) < 1) continue;
        if (Math.sign(dh) === Math.sign(t.verticalSpeedMps[i]!)) agree++;
        else disagree++;
      }
      expect(agree).toBeGreaterThan(100);
      expect(disagree).toBeLessThan(agree / 20);
    });

    it('keeps the app messages, once per change', () => {
      expect(f.messages.length).toBeGreaterThan(3);
      expect(f.messages.some((m) => m.severity === 'warning' && /Compass Error/.test(m.text))).toBe(true);
    });
  });

  describe('Litchi export (Mavic Pro in Alaska, imperial)', () => {
    let f: ParsedFlight;
    beforeAll(async () => {
      f = await parseFlightLog(readCsvFixture(CSVS.litchi));
    });

    it('is a Mavic Pro flight near Fairbanks with its serials', () => {
      expect(f.header.format).toBe('litchi-csv');
      expect(f.metadata).toMatchObject({
        aircraftModel: 'Mavic Pro', aircraftName: 'N973UA MAVIC PRO', aircraftSerial: '08RDEB7P01039H',
        batterySerial: '093AECR03303DE', rcSerial: '08XLEAM006035J', app: 'Litchi iOS 2.1.1', startTime: '2018-02-16T21:15:26.199Z',
      });
      expect(f.metadata.home).toMatchObject({ latitude: 64.855355, longitude: -147.85857, source: 'recorded' });
    });

    it('converts feet and mph (203 ft max altitude, 12.61 mph max speed)', () => {
      expect(f.metadata.maxHeightM).toBeCloseTo(203 * 0.3048, 6);
      expect(f.metadata.maxHorizontalSpeedMps).toBeCloseTo(12.61 * 0.44704, 6);
      expect(f.metadata.maxDistanceFromHomeM).toBeCloseTo(2529 * 0.3048, -1);
      expect(f.metadata.durationS).toBeCloseTo(473.015, 3);
    });

    it('reads the battery in Litchi’s raw units (mV, mA, 0.1 K)', () => {
      expect(f.metadata.batteryStartPercent).toBe(97);
      expect(f.metadata.batteryEndPercent).toBe(72);
      expect(f.telemetry.numeric.batteryVoltageV[0]).toBeCloseTo(12.618, 6);
      expect(f.telemetry.numeric.batteryCurrentA[0]).toBeCloseTo(2.838, 6);
      expect(f.metadata.batteryStartTemperatureC).toBeCloseTo(19, 6);
      expect(f.telemetry.cellVoltages[0]).toEqual([4.257, 4.25, 4.248]);
      expect(f.telemetry.numeric.batteryFullCapacityMah[100]).toBe(3856);
      expect(f.telemetry.numeric.gimbalPitchDeg[2347]).toBe(-90);
    });
  });

  describe('TXTlogToCSVtool export (CUSTOM./OSD./CENTER_BATTERY. columns, metric)', () => {
    it('is read with the PhantomHelp reader, sticks at ±100 and the DETAILS totals in the header', async () => {
      const f = await parseFlightLog(readCsvFixture(CSVS.txtLogToCsv));
      expect(f.header).toMatchObject({ format: 'phantomhelp-csv', durationS: 245.8, distanceM: 123.4, maxHeightM: 64.5 });
      expect(f.metadata).toMatchObject({ aircraftName: 'species tracker', aircraftSerial: '07JDDBB0010175', batteryStartPercent: 98, batteryEndPercent: 83 });
      expect(f.metadata.maxHeightM).toBe(64.5);
      expect(f.telemetry.numeric.rcThrottle[0]).toBe(-100);
      expect(f.metadata.startTime).toBe('2018-07-04T09:19:31.701Z');
    });
  });
});
