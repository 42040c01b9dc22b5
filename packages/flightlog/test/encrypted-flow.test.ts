/**
 * The encrypted (v13+) path end to end, on synthetic v14 logs written with known AES keys
 * (support/synthetic-v14.ts): header without keys, the onHeader → KeyProvider → decode order, error
 * propagation, and that a correctly decoded flight (with or without GPS) is accepted while wrong keys
 * are rejected.
 */
import { describe, expect, it } from 'vitest';
import { FlightLogError, parseFlightLog, readLogHeader, type KeychainRequest, type Keychains, type LogHeader } from '../src/index.js';
import { expectCleanOutcome } from './support/outcome.js';
import { demoTicks, writeSyntheticV14 } from './support/synthetic-v14.js';

const log = writeSyntheticV14(demoTicks());
const provider = (keychains: Keychains) => ({ getKeychains: async () => keychains });

describe('encrypted logs', () => {
  it('reads the header without keys', async () => {
    const h = await readLogHeader(log.bytes);
    expect(h).toMatchObject({
      format: 'dji-txt', version: 14, encrypted: true, aircraftName: 'synthetic mini', aircraftModel: 'Mini 4 Pro',
      productType: 'Mini4Pro', startTime: '2024-09-01T12:55:49.500Z', app: 'DJIFly 1.13.10',
    });
    expect(h.distanceM).toBeCloseTo(269, 0); // 0.269 km in a DJI Fly log
  });

  it('calls onHeader, awaits it, then asks the key provider with the request and the header', async () => {
    const calls: string[] = [];
    let seenRequest: KeychainRequest | undefined;
    let seenHeader: LogHeader | undefined;
    const flight = await parseFlightLog(log.bytes, {
      onHeader: async (header) => {
        calls.push(`onHeader:${header.version}`);
        await new Promise((r) => setTimeout(r, 20));
        calls.push('onHeader:done');
      },
      keyProvider: {
        getKeychains: async (request, header) => {
          calls.push('getKeychains');
          seenRequest = request;
          seenHeader = header;
          return log.keychains;
        },
      },
    });
    expect(calls).toEqual(['onHeader:14', 'onHeader:done', 'getKeychains']);
    expect(seenHeader).toEqual(flight.header);
    expect(seenRequest?.version).toBe(4);
    expect(seenRequest?.department).toBe(3);
    // The request carries the log's KeyStorage blobs (here self-describing: key ‖ IV).
    const entries = seenRequest!.keychainsArray[0]!;
    expect(entries.map((e) => e.featurePoint).sort()).toEqual(log.keychains[0]!.map((e) => e.featurePoint).sort());
    const base = entries.find((e) => e.featurePoint === 'FR_Standardization_Feature_Base_1')!;
    const keyEntry = log.keychains[0]!.find((e) => e.featurePoint === 'FR_Standardization_Feature_Base_1')!;
    expect(Buffer.from(base.aesCiphertext, 'base64').subarray(0, 32).toString('base64')).toBe(keyEntry.aesKey);
  });

  it('decodes the flight with the right keys', async () => {
    const f = await parseFlightLog(log.bytes, { keyProvider: provider(log.keychains) });
    const m = f.metadata;
    expect(m.frameCount).toBe(300);
    expect(m.gpsFrameCount).toBe(300);
    expect(m.startTime).toBe('2024-09-01T12:55:49.500Z');
    expect(m.durationS).toBeCloseTo(29.9, 3);
    expect(m.maxHeightM).toBeCloseTo(30, 1);
    expect(m.maxHorizontalSpeedMps).toBeCloseTo(5, 3);
    expect(m.maxVerticalSpeedMps).toBeCloseTo(3, 3);
    expect(f.telemetry.numeric.verticalSpeedMps[10]).toBeCloseTo(3, 3); // zSpeed −3 (down) → climbing at 3 m/s
    expect(f.telemetry.numeric.velocityNorthMps[10]).toBeCloseTo(5, 3);
    expect(m.distanceM).toBeCloseTo(149.5, 0); // 299 steps of 0.5 m
    expect(m.home).toMatchObject({ source: 'recorded', altitudeM: 1490 });
    expect(m.home!.latitude).toBeCloseTo(45.4718, 6);
    expect(m.batteryStartPercent).toBe(95);
    expect(m.batteryEndPercent).toBe(86);
    expect(m.photoCount).toBe(1);
    expect(m.videoCount).toBe(1);
    expect(f.telemetry.isPhoto[150]).toBe(1);
    expect(f.telemetry.numeric.rcElevator[0]).toBe(100);
    expect(f.telemetry.numeric.rcElevator[200]).toBe(0);
    expect(f.telemetry.cellVoltages[0]).toEqual([expect.closeTo(4.1, 3), expect.closeTo(4.1, 3)]);
    expect(f.telemetry.flightMode[0]).toBe('GPSAtti');
    expect(m.aircraftSerial).toBe('1581F6Z9C23CP003');
    expect(f.messages.map((x) => x.text)).toContain('Aircraft is taking off.');
    expect(f.warnings).toEqual([]);
  });

  it('accepts a correctly decoded indoor flight without GPS (zero positions are not wrong keys)', async () => {
    const indoor = writeSyntheticV14(demoTicks({ gps: false }), 9);
    const f = await parseFlightLog(indoor.bytes, { keyProvider: provider(indoor.keychains) });
    expect(f.metadata.frameCount).toBe(300);
    expect(f.metadata.gpsFrameCount).toBe(0);
    expect(f.metadata.home).toBeNull(); // no fix to check the recorded home against… and it is 0,0 here
    expect(f.metadata.maxHeightM).toBeCloseTo(30, 1);
  });

  it('gives a valid partial flight for an encrypted log cut in the middle (its header comes first)', async () => {
    const cut = log.bytes.slice(0, Math.floor(log.bytes.length * 0.5));
    const f = await parseFlightLog(cut, { keyProvider: provider(log.keychains) });
    expect(f.metadata.frameCount).toBeGreaterThan(100);
    expect(f.metadata.frameCount).toBeLessThan(300);
    expect(f.metadata.gpsFrameCount).toBe(f.metadata.frameCount);
    expect(f.metadata.startTime).toBe('2024-09-01T12:55:49.500Z');
    expect(f.warnings.map((w) => w.code)).toContain('truncated');
  });

  it('never crashes on an encrypted log cut anywhere', async () => {
    for (const fraction of [0.02, 0.1, 0.33, 0.77, 0.999]) {
      const cut = log.bytes.slice(0, Math.floor(log.bytes.length * fraction));
      await expectCleanOutcome(() => parseFlightLog(cut, { keyProvider: provider(log.keychains) }), ['no-flight-data', 'unreadable']);
    }
  });

  it('falls back to flyTime and the header start when frames carry no clock', async () => {
    const noClock = writeSyntheticV14(demoTicks({ clock: false }), 11);
    const f = await parseFlightLog(noClock.bytes, { keyProvider: provider(noClock.keychains) });
    expect(f.metadata.startTime).toBe(f.header.startTime);
    expect(f.metadata.durationS).toBeCloseTo(29.9, 3);
  });

  it('fails with keychain-required, naming the app and version, when there is no key provider', async () => {
    await expect(parseFlightLog(log.bytes)).rejects.toThrow(
      new FlightLogError(
        'keychain-required',
        'This log is encrypted (DJI Fly format v14). Dronelog needs a DJI API key to fetch its decryption keys.',
      ),
    );
    await expect(parseFlightLog(log.bytes)).rejects.toMatchObject({ code: 'keychain-required' });
  });

  it('rethrows what onHeader throws, as is, before asking for keys', async () => {
    class Duplicate extends Error {}
    const duplicate = new Duplicate('already imported');
    let asked = false;
    const result = parseFlightLog(log.bytes, {
      onHeader: () => {
        throw duplicate;
      },
      keyProvider: { getKeychains: async () => ((asked = true), log.keychains) },
    });
    await expect(result).rejects.toBe(duplicate);
    expect(asked).toBe(false);
  });

  it('lets key provider errors propagate unchanged', async () => {
    const quota = new TypeError('DJI API quota exceeded');
    await expect(parseFlightLog(log.bytes, { keyProvider: { getKeychains: () => Promise.reject(quota) } })).rejects.toBe(quota);
  });

  it('rejects wrong keys: another log’s keys, an empty keychain, a missing group', async () => {
    const other = writeSyntheticV14(demoTicks(), 99);
    for (const keychains of [other.keychains, [[]], []] as Keychains[]) {
      await expect(parseFlightLog(log.bytes, { keyProvider: provider(keychains) })).rejects.toMatchObject({ code: 'keychain-rejected' });
    }
  });

  it('never calls the parser’s own fetchKeychains (no network)', async () => {
    const original = globalThis.fetch;
    let fetched = false;
    globalThis.fetch = (() => {
      fetched = true;
      return Promise.reject(new Error('no network in tests'));
    }) as typeof fetch;
    try {
      await parseFlightLog(log.bytes, { keyProvider: provider(log.keychains) });
      await parseFlightLog(log.bytes).catch(() => undefined);
    } finally {
      globalThis.fetch = original;
    }
    expect(fetched).toBe(false);
  });
});
