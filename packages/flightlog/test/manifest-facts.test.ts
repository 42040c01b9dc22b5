/**
 * Facts about the real logs written down in fixtures/MANIFEST.md (and the paired PhantomHelp / Airdata
 * exports), checked here as literals, independently of the golden files, so that a golden file cannot
 * simply enshrine a bug.
 */
import { describe, expect, it } from 'vitest';
import { parseFlightLog, readLogHeader, type KeychainRequest, type ParsedFlight } from '../src/index.js';
import { CSVS, readCsvFixture } from './csv/csv-fixtures.js';
import { djiFixtureNames, fixturesAvailable, LOGS, readDjiFixture } from './support/fixtures.js';

const available = fixturesAvailable();

/** Each log is parsed once per file and shared by the tests that look at it. */
const parsed = new Map<string, Promise<ParsedFlight>>();
function flight(name: string): Promise<ParsedFlight> {
  let p = parsed.get(name);
  if (p === undefined) {
    p = parseFlightLog(readDjiFixture(name));
    parsed.set(name, p);
  }
  return p;
}

function lastValue(column: Float64Array): number {
  for (let i = column.length - 1; i >= 0; i--) if (!Number.isNaN(column[i]!)) return column[i]!;
  return NaN;
}

describe.skipIf(!available)('MANIFEST facts', () => {
  describe('df010 Inspire 1 (cross-checked with the PhantomHelp CSV of the same flight)', () => {
    it('has the frame count, version and aircraft the manifest lists', async () => {
      const f = await flight(LOGS.inspire1Df010);
      expect(f.header.version).toBe(9);
      expect(f.metadata.frameCount).toBe(1906);
      expect(f.metadata.gpsFrameCount).toBe(1906);
      expect(f.metadata.aircraftModel).toBe('Inspire 1');
      expect(f.metadata.aircraftName).toBe('RGP Craft');
      expect(f.metadata.aircraftSerial).toBe('0410059536');
      expect(f.metadata.batterySerial).toBe('6781073611');
      expect(f.header.startTime).toBe('2018-06-20T15:16:53.071Z');
      expect(f.header.durationS).toBeCloseTo(199.307, 3);
    });

    it('reaches 55.9 m, as both the log and the CSV say', async () => {
      const f = await flight(LOGS.inspire1Df010);
      expect(f.metadata.maxHeightM).toBeCloseTo(55.9, 1);
      expect(f.header.maxHeightM).toBeCloseTo(55.9, 1);
    });

    it('ends at 39.961206,-106.216457', async () => {
      const f = await flight(LOGS.inspire1Df010);
      expect(f.metadata.landing!.latitude).toBeCloseTo(39.961206, 6);
      expect(f.metadata.landing!.longitude).toBeCloseTo(-106.216457, 6);
      expect(lastValue(f.telemetry.numeric.latitude)).toBeCloseTo(39.961206, 6);
      expect(lastValue(f.telemetry.numeric.longitude)).toBeCloseTo(-106.216457, 6);
    });

    it('ends with 73 % battery and starts with 98 % (the CSV value), not the 0 % of the frames before the first battery record', async () => {
      const f = await flight(LOGS.inspire1Df010);
      expect(f.metadata.batteryEndPercent).toBe(73);
      expect(f.metadata.batteryStartPercent).toBe(98);
      expect(Number.isNaN(f.telemetry.numeric.batteryPercent[0]!)).toBe(true);
      expect(Math.min(...f.telemetry.numeric.batteryPercent.filter((v) => !Number.isNaN(v)))).toBeGreaterThan(0);
    });

    it('has a DJI home point near the take-off point and a flown distance close to DJI’s own', async () => {
      const f = await flight(LOGS.inspire1Df010);
      expect(f.metadata.home?.source).toBe('recorded');
      expect(f.metadata.home!.latitude).toBeCloseTo(39.9612, 3);
      expect(f.header.distanceM).toBeCloseTo(2187.1, 0);
      expect(f.metadata.distanceM).toBeGreaterThan(2187.1 * 0.97);
      expect(f.metadata.distanceM).toBeLessThan(2187.1 * 1.03);
    });
  });

  it('reads the only v3 log (DJI GO 1.1.0): 2246 frames, Phantom 3 Professional, zero battery serial → null', async () => {
    const f = await flight(LOGS.phantom3V3);
    expect(f.header.version).toBe(3);
    expect(f.metadata.frameCount).toBe(2246);
    expect(f.metadata.gpsFrameCount).toBe(2246);
    expect(f.metadata.aircraftModel).toBe('Phantom 3 Professional');
    expect(f.metadata.aircraftName).toBe('DeVore Design P3P 1');
    expect(f.header.batterySerial).toBeNull();
    expect(f.metadata.batterySerial).toBeNull();
    expect(f.header.startTime).toBe('2015-06-10T16:38:57.100Z');
    expect(f.metadata.maxHeightM).toBeCloseTo(5.9, 1);
    expect(f.header.place).toBe('Brookfield Place, Orange County, Florida');
  });

  it('reads the v4 sample: 871 frames, max 39.5 m', async () => {
    const f = await flight(LOGS.phantom3V4);
    expect(f.header.version).toBe(4);
    expect(f.metadata.frameCount).toBe(871);
    expect(f.metadata.maxHeightM).toBeCloseTo(39.5, 1);
    expect(f.metadata.aircraftSerial).toBe('03Z0265508');
  });

  it('reads the largest offline log (v8 Mavic Pro): 10166 frames, max 30.7 m', async () => {
    const f = await flight(LOGS.mavicProV8);
    expect(f.header.version).toBe(8);
    expect(f.metadata.frameCount).toBe(10166);
    expect(f.metadata.aircraftModel).toBe('Mavic Pro');
    expect(f.metadata.maxHeightM).toBeCloseTo(30.7, 1);
    expect(f.metadata.durationS).toBeGreaterThan(1000);
  });

  it('does not assume flyTime starts at 0 (phantom3_0 starts at 806.9 s)', async () => {
    const f = await flight(LOGS.phantom3Continuation);
    expect(f.metadata.frameCount).toBe(1091);
    expect(f.telemetry.timeMs[0]).toBe(0);
    expect(f.metadata.startTime).toBe('2018-01-12T20:57:12.776Z');
    // totalTime 109.5 s in the header; the frames span ~109.5 s too, not 806.9 + 109.5.
    expect(f.metadata.durationS).toBeGreaterThan(108);
    expect(f.metadata.durationS).toBeLessThan(111);
  });

  it('ignores garbage header coordinates (phantom3_6: latitude −9.7e119) while the frames are fine', async () => {
    const f = await flight(LOGS.phantom3GarbageDetails);
    expect(f.header.latitude).toBeNull();
    expect(f.header.longitude).toBeNull();
    expect(f.header.startTime).toBe('2018-04-07T20:24:07.000Z');
    expect(f.metadata.gpsFrameCount).toBe(2143);
    expect(f.metadata.takeoff).not.toBeNull();
  });

  it('gives no header position when details lat/lon are ~0 but the frames have GPS (mavic2_11: 3660 of 4012)', async () => {
    const f = await flight(LOGS.mavic2LateGps);
    expect(f.header.latitude).toBeNull();
    expect(f.metadata.frameCount).toBe(4012);
    expect(f.metadata.gpsFrameCount).toBe(3660);
    expect(f.metadata.maxHeightM).toBeCloseTo(12.7, 1);
  });

  it('parses a no-GPS Inspire 1 flight (df063: 261 frames, 0 positions) instead of rejecting it', async () => {
    const f = await flight(LOGS.inspire1NoGps);
    expect(f.metadata.frameCount).toBe(261);
    expect(f.metadata.gpsFrameCount).toBe(0);
    expect(f.metadata.home).toBeNull();
    expect(f.metadata.takeoff).toBeNull();
    expect(f.metadata.distanceM).toBe(0);
    expect(f.metadata.maxHeightM).toBeCloseTo(0.2, 1);
    expect(f.warnings.find((w) => w.code === 'gps-zero')?.count).toBe(261);
  });

  it('parses a no-GPS Matrice 210 log written by platform 5 (df059_2141: 63 frames)', async () => {
    const f = await flight(LOGS.matrice210NoGps);
    expect(f.header.version).toBe(11);
    expect(f.metadata.frameCount).toBe(63);
    expect(f.metadata.gpsFrameCount).toBe(0);
    expect(f.metadata.aircraftModel).toBe('Matrice 210');
    expect(f.header.app).toBe('Platform 5 4.2.16');
  });

  it('reads the Matrice 210 flight to 97.3 m', async () => {
    const f = await flight(LOGS.matrice210Long);
    expect(f.metadata.frameCount).toBe(5160);
    expect(f.metadata.maxHeightM).toBeCloseTo(97.3, 1);
  });

  it('reads the near-empty 7-frame log', async () => {
    const f = await flight(LOGS.phantom4ProTiny);
    expect(f.metadata.frameCount).toBe(7);
    expect(f.metadata.maxHeightM).toBe(0);
  });

  it('prefers the Recover record camera serial when the header one is cut by a NUL (df063 P4P V2)', async () => {
    const f = await flight(LOGS.phantom4ProV2);
    expect(f.header.cameraSerial).toBe('0BDDF5H00');
    expect(f.metadata.cameraSerial).toBe('0BDDF5H00100RA');
    expect(f.metadata.aircraftName).toBe('DF063 - Phantom4Pro V2');
  });

  describe('battery cycles and design capacity (raw CenterBattery / SmartBatteryStatic records)', () => {
    it('df010: 10 charge cycles, as the PhantomHelp export of the same flight says (BATTERY.timesCharged)', async () => {
      const f = await flight(LOGS.inspire1Df010);
      const csv = await parseFlightLog(readCsvFixture(CSVS.phantomHelpDf010));
      expect(f.metadata.batteryCycles).toBe(10);
      expect(csv.metadata.batteryCycles).toBe(10);
      // A CenterBattery pack (Inspire 1 TB47/TB48) reports no design capacity.
      expect(f.metadata.batteryDesignCapacityMah).toBeNull();
    });

    it('reports the design capacity DJI publishes for each smart battery', async () => {
      // DJI specifications: Mavic 2 3850 mAh, Spark 1480 mAh, Mavic Air 2375 mAh, TB50 (Matrice 210) 4280 mAh.
      const expected: Array<[string, number]> = [
        [LOGS.mavic2Short, 3850],
        ['chrisvm_spark_0.txt', 1480],
        ['vtolabs-droner_df068_MavicAir_DJIFlightRecord_2018-06-19_[14-50-34].txt', 2375],
        [LOGS.matrice210Long, 4280],
      ];
      for (const [name, mah] of expected) expect((await flight(name)).metadata.batteryDesignCapacityMah, name).toBe(mah);
    });

    it('never counts backwards for one battery across its flights (Red Cat Mavic 2: 0 → 1 → 2 over ten flights)', async () => {
      const mavic2 = djiFixtureNames().filter((n) => n.startsWith('chrisvm_mavic2_'));
      const flights = await Promise.all(mavic2.map((n) => flight(n)));
      flights.sort((a, b) => a.metadata.startTime.localeCompare(b.metadata.startTime));
      expect(new Set(flights.map((f) => f.metadata.batterySerial))).toEqual(new Set(['0P2AFC7534006E']));
      const cycles = flights.map((f) => f.metadata.batteryCycles);
      expect(cycles).toEqual([...cycles].sort((a, b) => a! - b!));
      expect([cycles[0], cycles.at(-1)]).toEqual([0, 2]);
    });

    it('ignores the blank static part of Phantom 4 CenterBattery records (life, serial and discharges all 0)', async () => {
      const f = await flight(LOGS.phantom4ProV2);
      expect(f.metadata.batteryCycles).toBeNull();
    });
  });

  describe('v14 headers (encrypted: no frames offline)', () => {
    it('reads the DJI GO 4 4.12 log: CJK name, totalDistance in metres (170.4)', async () => {
      const h = await readLogHeader(readDjiFixture(LOGS.go4V14));
      expect(h.version).toBe(14);
      expect(h.encrypted).toBe(true);
      expect(h.aircraftName).toBe('瞿宗耀的无人机逗你玩h');
      expect(h.aircraftModel).toBe('Phantom 4 Pro V2.0');
      expect(h.distanceM).toBeCloseTo(170.4, 1);
    });

    it('reads the DJI Fly Mini 2 log: totalDistance 0.739 km → 739 m', async () => {
      const h = await readLogHeader(readDjiFixture(LOGS.mini2V14));
      expect(h.aircraftModel).toBe('Mini 2');
      expect(h.app).toBe('DJIFly 1.4.8');
      expect(h.distanceM).toBeCloseTo(739.1, 1);
      expect(h.startTime).toBe('2021-09-06T02:23:47.611Z');
    });

    it('reads the DJI Pilot 2 Matrice 350 log: 0.042 km → 42.3 m (Airdata: 138.7 ft)', async () => {
      const h = await readLogHeader(readDjiFixture(LOGS.m350V14));
      expect(h.aircraftModel).toBe('Matrice 350 RTK');
      expect(h.distanceM).toBeCloseTo(42.3, 1);
    });

    it('reads the Mini 4 Pro header and hands the key provider department 3, version 4', async () => {
      const bytes = readDjiFixture(LOGS.mini4ProV14);
      const h = await readLogHeader(bytes);
      expect(h.aircraftModel).toBe('Mini 4 Pro');
      expect(h.aircraftSerial).toBe('1581F6Z9C23CP003');
      let request: KeychainRequest | undefined;
      const stop = new Error('stop');
      await expect(
        parseFlightLog(bytes, { keyProvider: { getKeychains: async (r) => ((request = r), Promise.reject(stop)) } }),
      ).rejects.toBe(stop);
      expect(request?.version).toBe(4);
      expect(request?.department).toBe(3);
    });

    it('reads the truncated Mini 3 Pro log (1747 bytes) and the synthetic metadata-only log', async () => {
      const truncated = await readLogHeader(readDjiFixture(LOGS.truncatedV14));
      expect(truncated.aircraftModel).toBe('Mini 3 Pro');
      expect(truncated.startTime).toBe('2024-06-17T18:02:04.902Z');
      const minimal = await readLogHeader(readDjiFixture(LOGS.minimalV14));
      expect(minimal.aircraftModel).toBe('Mini 2');
      expect(minimal.aircraftSerial).toBe('1ZNBBK');
    });

    it('rejects every v14 log without a key provider with keychain-required', async () => {
      for (const name of [LOGS.go4V14, LOGS.mini2V14, LOGS.m350V14, LOGS.minimalV14, LOGS.truncatedV14]) {
        await expect(parseFlightLog(readDjiFixture(name)), name).rejects.toMatchObject({ name: 'FlightLogError', code: 'keychain-required' });
      }
    });
  });
});
