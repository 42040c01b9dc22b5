import { describe, expect, it } from 'vitest';
import {
  FlightMode, buildFlight, crc64Jones, decodeKeyStorageBlob, demoFlight, isWellFormedKeychains, keychainsFor,
  malformedKeychains, writeDjiLog, wrongKeychains, xorKey,
} from '../src/index.js';
import { DJILog, type KeychainFeaturePoint } from 'dji-log-parser-js';
import { decode, sha256 } from './helpers.js';

const VERSIONS = [3, 6, 7, 8, 9, 10, 11, 12, 13, 14];

describe('byte stability', () => {
  it.each(VERSIONS)('v%i: the same seed gives identical bytes, another seed different bytes', async (version) => {
    const a = writeDjiLog(demoFlight({ seed: 'stable', durationS: 25 }), { version });
    const b = writeDjiLog(demoFlight({ seed: 'stable', durationS: 25 }), { version });
    const c = writeDjiLog(demoFlight({ seed: 'other', durationS: 25 }), { version });
    expect(await sha256(a.bytes)).toBe(await sha256(b.bytes));
    expect(await sha256(a.bytes)).not.toBe(await sha256(c.bytes));
    expect(a.keychains).toEqual(b.keychains);
    if (version >= 13) expect(a.keychains).not.toEqual(c.keychains);
  });

  it('changing only the number of keychain groups changes the bytes but not the decoded flight', async () => {
    const spec = demoFlight({ seed: 'groups', durationS: 20 });
    const one = writeDjiLog(spec, { version: 14 });
    const two = writeDjiLog(spec, { version: 14, keychainGroups: 2 });
    expect(await sha256(one.bytes)).not.toBe(await sha256(two.bytes));
    const f1 = decode(one.bytes, one.keychains!).frames;
    const f2 = decode(two.bytes, two.keychains!).frames;
    expect(f2.map((f) => f.osd.latitude)).toEqual(f1.map((f) => f.osd.latitude));
  });
});

describe('XOR keystream', () => {
  it('CRC-64/Jones matches the published check value and table entry', () => {
    expect(crc64Jones(0n, new TextEncoder().encode('123456789'))).toBe(0xe9c6d914c4b8d9can);
    expect(crc64Jones(0n, Uint8Array.of(1))).toBe(0x7ad870c830358979n);
  });
  it('keys depend on both the seed and the record type', () => {
    expect(xorKey(7, 1)).not.toEqual(xorKey(7, 2));
    expect(xorKey(7, 1)).not.toEqual(xorKey(8, 1));
    expect(xorKey(7, 1)).toEqual(xorKey(7, 1));
  });
});

describe('keychains', () => {
  const spec = demoFlight({ seed: 'keys', durationS: 20 });

  it('keychainsFor returns the keychains of v13+ logs and refuses older ones', () => {
    const log = writeDjiLog(spec, { version: 14, keychainGroups: 2 });
    const k = keychainsFor(log);
    expect(k).toEqual(log.keychains);
    expect(isWellFormedKeychains(k)).toBe(true);
    expect(k.map((g) => g.map((e) => e.featurePoint))).toEqual([
      [
        'FR_Standardization_Feature_Base_1', 'FR_Standardization_Feature_AirLink_5',
        'FR_Standardization_Feature_DJIFlyCustom_7', 'FR_Standardization_Feature_Gimbal_10',
        'FR_Standardization_Feature_RC_11', 'FR_Standardization_Feature_Camera_12', 'FR_Standardization_Feature_Battery_13',
      ],
      expect.any(Array),
    ]);
    expect(k[0]).not.toEqual(k[1]); // each group has its own keys
    expect(() => keychainsFor(writeDjiLog(spec, { version: 12 }))).toThrow(/not encrypted/);
  });

  it('v13 uses the v13 feature-point table (Base, AirLink, AfterSales, DJIFlyCustom)', () => {
    const log = writeDjiLog(spec, { version: 13 });
    expect(log.keychains![0]!.map((e) => e.featurePoint)).toEqual([
      'FR_Standardization_Feature_Base_1', 'FR_Standardization_Feature_AirLink_5',
      'FR_Standardization_Feature_AfterSales_6', 'FR_Standardization_Feature_DJIFlyCustom_7',
    ]);
  });

  it('keychainsRequest() of the parser equals the request the writer announces, blobs are self-describing', () => {
    const log = writeDjiLog(spec, { version: 14, keychainGroups: 2, department: 3, keychainRequestVersion: 4 });
    const { request } = decode(log.bytes);
    expect(request).toEqual(log.request);
    expect(request.version).toBe(4);
    expect(request.department).toBe(3);
    for (const [g, group] of request.keychainsArray.entries()) {
      for (const [i, entry] of group.entries()) {
        const k = decodeKeyStorageBlob(Buffer.from(entry.aesCiphertext, 'base64'))!;
        expect(k).not.toBeNull();
        expect(Buffer.from(k.key).toString('base64')).toBe(log.keychains![g]![i]!.aesKey);
        expect(Buffer.from(k.iv).toString('base64')).toBe(log.keychains![g]![i]!.aesIv);
      }
    }
  });

  it('an unknown department is sent as 3 (DJI Fly)', () => {
    const log = writeDjiLog(spec, { version: 14, department: 42 });
    expect(decode(log.bytes).request.department).toBe(3);
    expect(log.request!.department).toBe(3);
  });

  it.each([13, 14])('v%i: wrong keychains decode without error to garbage the importer must reject', (version) => {
    const log = writeDjiLog(spec, { version, keychainGroups: 2 });
    const wrong = wrongKeychains(log.keychains!);
    expect(wrong.map((g) => g.map((e) => e.featurePoint))).toEqual(log.keychains!.map((g) => g.map((e) => e.featurePoint)));
    expect(wrong[0]![0]!.aesKey).not.toBe(log.keychains![0]![0]!.aesKey);
    expect(isWellFormedKeychains(wrong)).toBe(true);
    const { frames } = decode(log.bytes, wrong);
    expect(frames.length).toBe(spec.samples.length);
    const near = frames.filter((f, i) => Math.abs(f.osd.latitude - spec.samples[i]!.latitude) < 0.01).length;
    expect(near).toBe(0);
    // Failed AES padding gives all-zero records; the odd record whose padding happens to be valid gives
    // absurd numbers (e.g. 1e-34°). Either way no frame has a plausible position or a real clock.
    const plausible = frames.filter(
      (f) => Math.abs(f.osd.latitude) > 1e-6 && Math.abs(f.osd.latitude) <= 90 && Math.abs(f.osd.longitude) > 1e-6 && Math.abs(f.osd.longitude) <= 180,
    );
    expect(plausible).toHaveLength(0);
    expect(frames.every((f) => f.custom.dateTime.startsWith('1970-01-01'))).toBe(true);
  });

  it('empty keychains and missing groups decode silently to garbage', () => {
    const log = writeDjiLog(spec, { version: 14, keychainGroups: 2 });
    const empty = decode(log.bytes, malformedKeychains(log.keychains!, 'empty')).frames;
    expect(empty.length).toBe(spec.samples.length);
    expect(empty.every((f) => Math.abs(f.osd.latitude - spec.home.latitude) > 0.01)).toBe(true);

    const firstOnly = decode(log.bytes, malformedKeychains(log.keychains!, 'missing-groups')).frames;
    const half = Math.floor(spec.samples.length / 2);
    expect(firstOnly.slice(0, half - 1).every((f, i) => Math.abs(f.osd.latitude - spec.samples[i]!.latitude) < 1e-9)).toBe(true);
    expect(firstOnly.slice(half + 1).every((f) => Math.abs(f.osd.latitude - spec.home.latitude) > 0.01)).toBe(true);
  });

  it('isWellFormedKeychains rejects the malformed kinds that panic the WASM parser', () => {
    const k = writeDjiLog(spec, { version: 14 }).keychains!;
    expect(isWellFormedKeychains(malformedKeychains(k, 'short-key'))).toBe(false);
    expect(isWellFormedKeychains(malformedKeychains(k, 'unknown-feature-point'))).toBe(false);
    expect(isWellFormedKeychains(malformedKeychains(k, 'not-base64'))).toBe(false);
    expect(isWellFormedKeychains({ data: k })).toBe(false);
  });
});

describe('buildFlight', () => {
  it('builds a flight from timed waypoints (metres from home) and decodes it', () => {
    const spec = buildFlight({
      seed: 'waypoints',
      aircraft: 'Phantom 3 Standard',
      startTime: '2018-06-20T15:04:19.847Z',
      home: { latitude: 39.96, longitude: -106.21, altitudeM: 2500 },
      path: [
        { tS: 0, northM: 0, eastM: 0, heightM: 0 },
        { tS: 4, northM: 0, eastM: 0, heightM: 0 },
        { tS: 10, northM: 0, eastM: 0, heightM: 20 },
        { tS: 30, northM: 100, eastM: 50, heightM: 20, flightMode: FlightMode.GoHome }, // mode holds until the next waypoint
        { tS: 40, northM: 0, eastM: 0, heightM: 20, flightMode: FlightMode.AutoLanding },
        { tS: 50, northM: 0, eastM: 0, heightM: 0 },
        { tS: 53, northM: 0, eastM: 0, heightM: 0 },
      ],
      events: [
        { tS: 20, type: 'photo' },
        { tS: 15, type: 'tip', text: 'Hello from the testkit' },
      ],
    });
    expect(spec.samples).toHaveLength(530);
    const log = writeDjiLog(spec, { version: 9 });
    const { frames, details } = decode(log.bytes);
    expect(frames).toHaveLength(530);
    expect(details.productType).toBe('Phantom3Standard');
    const top = frames[200]!; // t = 20 s, mid-way along the 100 m N / 50 m E leg flown in 20 s
    expect(top.osd.height).toBeCloseTo(20, 1);
    expect(Math.hypot(top.osd.xSpeed, top.osd.ySpeed)).toBeCloseTo(Math.hypot(100, 50) / 20, 0);
    expect(frames[450]!.osd.flycState).toBe('AutoLanding');
    expect(frames.filter((f) => f.camera.isPhoto)).toHaveLength(1);
    expect(frames[0]!.osd.isMotorOn).toBe(false); // motors start 3 s before take-off (t ≈ 4 s)
    expect(frames[20]!.osd.isMotorOn).toBe(true);
    expect(frames[20]!.osd.flycState).toBe('EngineStart');
    expect(frames.at(-1)!.osd.isMotorOn).toBe(false);
    expect(frames.at(-1)!.battery.chargeLevel).toBeLessThan(frames[0]!.battery.chargeLevel);
  });

  it('builds a flight from a position generator at another tick rate', () => {
    const spec = buildFlight({
      seed: 'gen',
      aircraft: 'Mavic Air 2',
      startTime: Date.UTC(2021, 4, 25, 18, 31, 35),
      tickHz: 5,
      durationS: 20,
      home: { latitude: 47.37, longitude: 8.54 },
      path: (t) => ({ latitude: 47.37 + t * 1e-5, longitude: 8.54, heightM: Math.min(t, 10) }),
    });
    expect(spec.samples).toHaveLength(100);
    const { frames } = decode(writeDjiLog(spec, { version: 7 }).bytes);
    expect(frames).toHaveLength(100);
    expect(Date.parse(frames[5]!.custom.dateTime) - Date.parse(frames[0]!.custom.dateTime)).toBe(1000);
    expect(frames[50]!.osd.latitude).toBeCloseTo(47.37 + 10 * 1e-5, 9);
  });

  it('refuses start times outside 2011–2099 (the parser would drop the Custom clock)', () => {
    expect(() => demoFlight({ seed: 1, startTime: '2010-12-31T23:59:59Z' })).toThrow(/2011–2099/);
  });
});

describe('demoFlight', () => {
  it('is a realistic flight: take-off, loop, return, landing, battery from 98 % down, photos, a video, a tip and a warning', () => {
    const spec = demoFlight({ seed: 42, durationS: 300, aircraft: 'Mini 4 Pro', startTime: '2024-06-01T09:30:00Z' });
    const s = spec.samples;
    expect(s).toHaveLength(3000);
    expect(s[0]!.onGround && s.at(-1)!.onGround).toBe(true);
    expect(Math.max(...s.map((x) => x.heightM))).toBeGreaterThan(30);
    expect(Math.max(...s.map((x) => x.distanceFromHomeM))).toBeGreaterThan(100);
    expect(s.at(-1)!.distanceFromHomeM).toBeLessThan(1);
    expect(s[0]!.battery.percent).toBe(98);
    expect(s.at(-1)!.battery.percent).toBeLessThan(95);
    expect(s.filter((x) => x.photo).length).toBeGreaterThanOrEqual(3);
    expect(s.some((x) => x.recording)).toBe(true);
    expect(s.flatMap((x) => x.tips)).toHaveLength(1);
    expect(s.flatMap((x) => x.warnings)).toHaveLength(1);
    const modes = new Set(s.map((x) => x.flightMode));
    for (const m of [FlightMode.EngineStart, FlightMode.AutoTakeoff, FlightMode.GPSAtti, FlightMode.GoHome, FlightMode.AutoLanding]) {
      expect(modes.has(m)).toBe(true);
    }
  });
});

describe('battery records', () => {
  const records = (bytes: Uint8Array, keychains?: unknown[][]) => {
    const log = new DJILog(bytes);
    try {
      return log.records(keychains as KeychainFeaturePoint[][] | undefined);
    } finally {
      log.free();
    }
  };

  it.each([3, 6, 7, 10, 12, 13, 14])('v%i: SmartBatteryStatic records decode to the design capacity and cycle count written', (version) => {
    const spec = demoFlight({ seed: 'static', durationS: 25, batteryCycles: 212, batteryDesignCapacityMah: 2590 });
    const log = writeDjiLog(spec, { version });
    const statics = records(log.bytes, log.keychains ?? undefined).flatMap((r) =>
      r.type === 'SmartBatteryGroup' && r.content.type === 'SmartBatteryStatic' ? [r.content] : [],
    );
    // One per second of the 25 s flight.
    expect(statics.length).toBe(Math.ceil(spec.samples.length / spec.tickHz));
    expect(statics[0]).toMatchObject({ index: 1, designed_capacity: 2590, loop_times: 212, full_voltage: 8800, battery_life: 95 });
    // The CenterBattery record says the same cycle count.
    const center = records(log.bytes, log.keychains ?? undefined).find((r) => r.type === 'CenterBattery');
    expect(center?.type === 'CenterBattery' && center.content.numberOfDischarges).toBe(212);
  });

  it('writes no SmartBatteryStatic record unless a design capacity is given (older specs keep their bytes)', () => {
    const log = writeDjiLog(demoFlight({ seed: 'static', durationS: 25 }), { version: 12 });
    expect(records(log.bytes).some((r) => r.type === 'SmartBatteryGroup' && r.content.type === 'SmartBatteryStatic')).toBe(false);
  });
});
