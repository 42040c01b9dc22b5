/**
 * Files that are not (whole) DJI logs must give a FlightLogError with a pilot-readable message, never
 * another exception. These cases are all refused before the WASM parser could panic (a panic can poison
 * the module instance; damaged.test.ts holds the cases that may reach one).
 */
import { describe, expect, it } from 'vitest';
import { FlightLogError, parseFlightLog, readLogHeader } from '../src/index.js';
import { fixturesAvailable, LOGS, readDjiFixture } from './support/fixtures.js';
import { expectCleanOutcome, seededBytes } from './support/outcome.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof FlightLogError) return e.code;
    throw e;
  }
}

describe('files that are not DJI logs', () => {
  it('says an empty file is empty', async () => {
    await expect(parseFlightLog(new Uint8Array(0))).rejects.toMatchObject({ code: 'empty-file', message: 'This file is empty.' });
    await expect(readLogHeader(new Uint8Array(0))).rejects.toBeInstanceOf(FlightLogError);
  });

  it('refuses 50 random bytes as not a flight log', async () => {
    const error = await parseFlightLog(seededBytes(50, 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlightLogError);
    expect(error).toMatchObject({ code: 'not-a-flight-log' });
    expect((error as Error).message).toMatch(/not a DJI flight log/);
  });

  it('refuses 10 KB of random bytes as not a flight log, whatever the seed', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      expect(await codeOf(parseFlightLog(seededBytes(10_000, seed))), `seed ${seed}`).toBe('not-a-flight-log');
    }
  });

  it('refuses a version byte that could be DJI when the rest is noise', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const bytes = seededBytes(10_000, seed);
      bytes[10] = 1 + (seed % 14); // every version 1–14
      await expectCleanOutcome(() => parseFlightLog(bytes), ['not-a-flight-log', 'unreadable', 'keychain-required']);
    }
  });

  it('accepts an ArrayBuffer as well as a Uint8Array', async () => {
    expect(await codeOf(parseFlightLog(new ArrayBuffer(0) as unknown as Uint8Array))).toBe('empty-file');
    expect(await codeOf(parseFlightLog(seededBytes(500, 3).buffer as unknown as Uint8Array))).toBe('not-a-flight-log');
  });

  it('refuses 10 KB of zeros and a text file', async () => {
    expect(await codeOf(parseFlightLog(new Uint8Array(10_000)))).toBe('not-a-flight-log');
    expect(await codeOf(parseFlightLog(new TextEncoder().encode('datetime,latitude,longitude\n'.repeat(20))))).toBe('not-a-flight-log');
  });
});

describe.skipIf(!fixturesAvailable())('truncated real logs', () => {
  const cut = (name: string, fraction: number) => {
    const bytes = readDjiFixture(name);
    return bytes.slice(0, Math.floor(bytes.length * fraction));
  };

  it('reports a v9 log cut to 30 % as damaged or truncated (its details are at the end)', async () => {
    const error = (await parseFlightLog(cut(LOGS.inspire1Df010, 0.3)).catch((e: unknown) => e)) as FlightLogError;
    expect(error).toBeInstanceOf(FlightLogError);
    expect(error.code).toBe('unreadable');
    expect(error.message).toMatch(/^This file is not a readable DJI flight log \(it may be damaged or truncated\)/);
    expect(error.offset).toBeGreaterThan(0);
  });

  it('handles v3, v4, v8, v10 and v11 logs cut at several points', async () => {
    for (const name of [LOGS.phantom3V3, LOGS.phantom3V4, LOGS.mavicProV8, LOGS.mavicProV10, LOGS.matrice210Long]) {
      for (const fraction of [0.01, 0.3, 0.7, 0.999]) {
        await expectCleanOutcome(() => parseFlightLog(cut(name, fraction)), ['unreadable', 'not-a-flight-log']);
      }
    }
  });

  it('still reads the header of a v14 log cut to 30 % and asks for keys', async () => {
    const bytes = cut(LOGS.mini4ProV14, 0.3);
    const header = await readLogHeader(bytes);
    expect(header.aircraftModel).toBe('Mini 4 Pro');
    expect(await codeOf(parseFlightLog(bytes))).toBe('keychain-required');
  });

  it('does not crash on the truncated Mini 3 Pro sample with an (empty) keychain: no frames or wrong keys', async () => {
    const outcome = await expectCleanOutcome(
      () => parseFlightLog(readDjiFixture(LOGS.truncatedV14), { keyProvider: { getKeychains: async () => [[]] } }),
      ['no-flight-data', 'keychain-rejected', 'unreadable'],
    );
    expect('error' in outcome).toBe(true);
  });

  it('reports no flight data for the metadata-only v14 log once keys are supplied', async () => {
    const result = parseFlightLog(readDjiFixture(LOGS.minimalV14), { keyProvider: { getKeychains: async () => [[]] } });
    await expect(result).rejects.toMatchObject({ code: 'no-flight-data' });
  });
});
