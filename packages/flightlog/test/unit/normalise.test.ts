import { describe, expect, it } from 'vitest';
import { isPlausibleBatteryReading } from '../../src/dji/extract.js';
import type { DjiFrame } from '../../src/dji/frame.js';
import { base64ByteLength, FEATURE_POINTS, validateKeychains } from '../../src/dji/keychains.js';
import { FrameQuality } from '../../src/dji/plausibility.js';
import { sniffDjiPrefix } from '../../src/dji/sniff.js';
import { FlightLogError } from '../../src/errors.js';
import { blankOutOfRange, createTelemetry, wrapDegrees } from '../../src/normalise/columns.js';
import { MessageCollector, splitAppMessages } from '../../src/normalise/messages.js';
import { normaliseStick } from '../../src/normalise/sticks.js';
import { WarningCounter } from '../../src/normalise/warnings.js';
import { computeFlightStats } from '../../src/stats/flight-stats.js';
import type { KeychainRequest } from '../../src/types.js';

describe('normaliseStick', () => {
  it('maps DJI raw 364…1024…1684 to −100…0…+100', () => {
    expect(normaliseStick(1024)).toBe(0);
    expect(normaliseStick(1684)).toBe(100);
    expect(normaliseStick(364)).toBe(-100);
    expect(normaliseStick(1354)).toBe(50);
  });
  it('clamps slight overshoot and refuses non-readings', () => {
    expect(normaliseStick(1700)).toBe(100);
    expect(normaliseStick(350)).toBe(-100);
    expect(normaliseStick(0)).toBeNaN(); // no RC record
    expect(normaliseStick(39353)).toBeNaN(); // garbage
    expect(normaliseStick(undefined)).toBeNaN();
  });
});

describe('app messages', () => {
  it('splits the parser’s "; "-joined messages', () => {
    expect(splitAppMessages('Flight mode changed to GPSAtti.; Gimbal pitch axis endpoint reached.')).toEqual([
      'Flight mode changed to GPSAtti.',
      'Gimbal pitch axis endpoint reached.',
    ]);
    expect(splitAppMessages('')).toEqual([]);
    expect(splitAppMessages(undefined)).toEqual([]);
  });

  it('drops consecutive duplicates and times each message on its row', () => {
    const c = new MessageCollector();
    c.addFrame(0, 'Flight mode changed to GPSAtti.', '');
    c.addFrame(1, '', 'Low battery');
    c.addFrame(2, '', 'Low battery'); // repeated every frame while active
    c.addFrame(3, 'Takeoff', 'Low battery');
    c.addFrame(4, '', '');
    c.addFrame(5, '', 'Low battery'); // comes back after a gap: kept
    const messages = c.toMessages(Float64Array.from([0, 100, 200, 300, 400, 500]));
    expect(messages).toEqual([
      { timeMs: 0, severity: 'tip', text: 'Flight mode changed to GPSAtti.' },
      { timeMs: 100, severity: 'warning', text: 'Low battery' },
      { timeMs: 300, severity: 'tip', text: 'Takeoff' },
      { timeMs: 500, severity: 'warning', text: 'Low battery' },
    ]);
  });
});

describe('columns', () => {
  it('blanks physically impossible values and counts them', () => {
    const t = createTelemetry(3);
    t.numeric.heightM.set([10, 3275.5 * 10, -2250]);
    t.numeric.pitchDeg.set([-2308, 5, 0]);
    t.numeric.batteryPercent.set([50, 144, NaN]);
    const w = new WarningCounter();
    blankOutOfRange(t, w);
    expect([...t.numeric.heightM]).toEqual([10, NaN, NaN]);
    expect([...t.numeric.pitchDeg]).toEqual([NaN, 5, 0]);
    expect([...t.numeric.batteryPercent]).toEqual([50, NaN, NaN]);
    expect(w.count('value-out-of-range')).toBe(4);
  });

  it('wraps headings into (−180, 180]', () => {
    expect(wrapDegrees(-531.1)).toBeCloseTo(-171.1, 6);
    expect(wrapDegrees(190)).toBe(-170);
    expect(wrapDegrees(-180)).toBe(180);
    expect(wrapDegrees(45)).toBe(45);
  });
});

describe('computeFlightStats', () => {
  it('counts photos as rising edges and recordings as starts', () => {
    const t = createTelemetry(8);
    t.isPhoto.set([0, 1, 0, 0, 1, 0, 0, 0]);
    t.isVideo.set([1, 1, 0, 0, 1, 1, 1, 0]);
    t.numeric.verticalSpeedMps.set([0, 2, -4.5, 1, 0, 0, 0, 0]);
    t.numeric.batteryPercent.set([NaN, 98, 97, 96, 90, 80, 73, NaN]);
    const s = computeFlightStats(t);
    expect(s.photoCount).toBe(2);
    expect(s.videoCount).toBe(2);
    expect(s.maxVerticalSpeedMps).toBe(4.5);
    expect(s.batteryStartPercent).toBe(98);
    expect(s.batteryEndPercent).toBe(73);
    expect(s.maxHeightM).toBeNull();
  });
});

describe('battery plausibility', () => {
  it('accepts real readings and refuses misdecoded ones', () => {
    expect(isPlausibleBatteryReading(73, 23.3, [3.8, 3.83, 3.81, 3.82, 3.85, 3.81])).toBe(true);
    expect(isPlausibleBatteryReading(76, 46.2, null)).toBe(true); // Matrice 600 Pro, 12S
    expect(isPlausibleBatteryReading(201, 51.34, [3.79, 3.8, 3.79, 3.79])).toBe(false);
    expect(isPlausibleBatteryReading(53, 51.34, [3.79, 3.8, 3.79, 3.79])).toBe(false); // cells do not add up
    expect(isPlausibleBatteryReading(3, 2965.76, null)).toBe(false);
  });
});

describe('keychain validation (malformed keychains panic the WASM, so they never reach it)', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const iv = Buffer.alloc(16, 9).toString('base64');
  const request: KeychainRequest = {
    version: 4,
    department: 3,
    keychainsArray: [[{ featurePoint: 'FR_Standardization_Feature_Base_1', aesCiphertext: 'AAAA' }]],
  };
  const rejected = (k: unknown) => {
    try {
      validateKeychains(k, request);
      return null;
    } catch (e) {
      return e instanceof FlightLogError ? e.code : e;
    }
  };

  it('accepts well-formed keychains, including an empty group', () => {
    expect(rejected([[{ featurePoint: FEATURE_POINTS[0], aesKey: key, aesIv: iv }]])).toBeNull();
    expect(rejected([[]])).toBeNull(); // well-formed; decodes to garbage and is rejected after decoding
  });

  it('refuses unknown feature points, wrong key lengths and unpadded base64', () => {
    expect(rejected([[{ featurePoint: 'BaseFeature', aesKey: key, aesIv: iv }]])).toBe('keychain-rejected');
    expect(rejected([[{ featurePoint: FEATURE_POINTS[0], aesKey: 'AAAA', aesIv: iv }]])).toBe('keychain-rejected');
    expect(rejected([[{ featurePoint: FEATURE_POINTS[0], aesKey: key.replace(/=+$/, ''), aesIv: iv }]])).toBe('keychain-rejected');
    expect(rejected('nope')).toBe('keychain-rejected');
    expect(rejected([null])).toBe('keychain-rejected');
  });

  it('refuses keychains with fewer groups than the log has key groups', () => {
    expect(rejected([])).toBe('keychain-rejected');
  });

  it('measures base64', () => {
    expect(base64ByteLength(key)).toBe(32);
    expect(base64ByteLength(iv)).toBe(16);
    expect(base64ByteLength('abc')).toBe(-1);
  });
});

describe('sniffDjiPrefix', () => {
  const code = (bytes: Uint8Array) => {
    try {
      return sniffDjiPrefix(bytes);
    } catch (e) {
      return (e as FlightLogError).code;
    }
  };
  const prefix = (version: number, offset: number, length = 1000) => {
    const b = new Uint8Array(length);
    new DataView(b.buffer).setBigUint64(0, BigInt(offset), true);
    b[10] = version;
    return b;
  };

  it('classifies prefixes without calling the parser', () => {
    expect(code(new Uint8Array(0))).toBe('empty-file');
    expect(code(new Uint8Array(99))).toBe('not-a-flight-log');
    expect(code(prefix(0, 500))).toBe('not-a-flight-log');
    expect(code(prefix(200, 500))).toBe('not-a-flight-log');
    expect(code(prefix(9, 2 ** 40))).toBe('not-a-flight-log');
    expect(code(prefix(9, 5000))).toBe('unreadable'); // details beyond the end: truncated
    expect(code(prefix(9, 500))).toBe(9);
    expect(code(prefix(3, 500))).toBe(3);
    expect(code(prefix(14, 0))).toBe(14);
    expect(code(prefix(12, 2 ** 40))).toBe(12); // v12 ignores the offset field
    const notInfo = prefix(14, 0);
    notInfo[100] = 0x51;
    expect(code(notInfo)).toBe('not-a-flight-log');
  });
});

describe('FrameQuality', () => {
  const frame = (osd: Partial<DjiFrame['osd']>) =>
    ({ osd: { latitude: 0, longitude: 0, height: 0, pitch: 0, roll: 0, yaw: 0, xSpeed: 0, ySpeed: 0, zSpeed: 0, ...osd } }) as DjiFrame;

  it('calls all-zero frames (wrong AES keys) garbage', () => {
    const q = new FrameQuality();
    for (let i = 0; i < 10; i++) q.add(frame({}));
    expect(q.isGarbage()).toBe(true);
    expect(q.isMostlyImplausible()).toBe(false);
  });

  it('calls absurd XOR-only frames (empty keychain) garbage', () => {
    const q = new FrameQuality();
    for (let i = 0; i < 10; i++) q.add(frame({ latitude: 1.03e305, longitude: -5.2e28, height: 3275.5, pitch: -2308 }));
    expect(q.isGarbage()).toBe(true);
    expect(q.isMostlyImplausible()).toBe(true);
  });

  it('accepts an indoor flight without GPS: positions 0 but attitude and height alive', () => {
    const q = new FrameQuality();
    for (let i = 0; i < 10; i++) q.add(frame({ pitch: 1.4, roll: -4.7, yaw: -145.4, height: i * 0.1 }));
    expect(q.isGarbage()).toBe(false);
  });
});
