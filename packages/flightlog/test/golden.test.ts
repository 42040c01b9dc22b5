/**
 * Golden summaries of every real log in fixtures/dji, committed under test/golden/<file>.json.
 * Regenerate with `UPDATE_GOLDEN=1 pnpm test`, then review the diff by hand: these files were checked
 * against MANIFEST.md, and manifest-facts.test.ts re-checks the key facts independently.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FlightLogError, parseFlightLog, readLogHeader, TELEMETRY_NUMERIC_FIELDS, type KeychainRequest, type ParsedFlight } from '../src/index.js';
import { djiFixtureNames, fixturesAvailable, readDjiFixture } from './support/fixtures.js';
import { summariseFlight, summariseHeader } from './support/summary.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';
const available = fixturesAvailable();

/** Invariants every parsed flight must hold, whatever the log. */
function checkInvariants(f: ParsedFlight): void {
  const t = f.telemetry;
  expect(t.length).toBe(f.metadata.frameCount);
  expect(t.timeMs.length).toBe(t.length);
  for (const field of TELEMETRY_NUMERIC_FIELDS) expect(t.numeric[field].length, field).toBe(t.length);
  expect(t.cellVoltages.length).toBe(t.length);
  expect(t.flightMode.length).toBe(t.length);
  expect(t.isPhoto.length).toBe(t.length);
  expect(t.isVideo.length).toBe(t.length);
  expect(t.timeMs[0]).toBe(0);
  // Row checks collect the first failing row instead of calling expect() per row (10k rows × 5 checks).
  let positions = 0;
  let photos = 0;
  let badRow = -1;
  for (let i = 0; i < t.length && badRow < 0; i++) {
    const lat = t.numeric.latitude[i]!;
    const hasDistance = !Number.isNaN(t.numeric.distanceFromHomeM[i]!);
    if (
      (i > 0 && !(t.timeMs[i]! >= t.timeMs[i - 1]!)) ||
      Number.isNaN(lat) !== Number.isNaN(t.numeric.longitude[i]!) ||
      hasDistance !== (f.metadata.home !== null && !Number.isNaN(lat))
    ) {
      badRow = i;
    }
    if (!Number.isNaN(lat)) positions++;
    photos += t.isPhoto[i]!;
  }
  expect(badRow, 'first row breaking an invariant').toBe(-1);
  expect(positions).toBe(f.metadata.gpsFrameCount);
  expect(photos).toBe(f.metadata.photoCount);
  expect(Date.parse(f.metadata.endTime) - Date.parse(f.metadata.startTime)).toBe(Math.round(f.metadata.durationS * 1000));
  for (const m of f.messages) expect(m.timeMs).toBeGreaterThanOrEqual(0);
}

async function summarise(name: string) {
  const bytes = readDjiFixture(name);
  const header = await readLogHeader(bytes);
  let parse: unknown;
  try {
    const flight = await parseFlightLog(bytes);
    checkInvariants(flight);
    parse = summariseFlight(flight);
  } catch (error) {
    if (!(error instanceof FlightLogError)) throw error;
    parse = { error: error.code, message: error.message };
  }
  const summary: Record<string, unknown> = { file: name, header: summariseHeader(header), parse };
  if (header.encrypted) summary['keychainRequest'] = await capturedKeychainRequest(bytes);
  // JSON round trip: drops undefined, turns -0 into 0, matches what is on disk.
  return JSON.parse(JSON.stringify(summary)) as unknown;
}

/** What an encrypted log asks DJI for, seen through a KeyProvider that stops the parse right there. */
async function capturedKeychainRequest(bytes: Uint8Array) {
  const stop = new Error('stop after the request');
  let seen: KeychainRequest | undefined;
  await expect(
    parseFlightLog(bytes, {
      keyProvider: {
        getKeychains: async (request) => {
          seen = request;
          throw stop;
        },
      },
    }),
  ).rejects.toBe(stop);
  return {
    version: seen!.version,
    department: seen!.department,
    groupSizes: seen!.keychainsArray.map((g) => g.length),
    featurePoints: [...new Set(seen!.keychainsArray.flat().map((e) => e.featurePoint))].sort(),
  };
}

describe.skipIf(!available)('golden summaries of the real DJI logs', () => {
  const names = available ? djiFixtureNames() : [];

  it('covers every fixture with a golden file', () => {
    if (update) return;
    const missing = names.filter((n) => !existsSync(join(GOLDEN_DIR, `${n}.json`)));
    expect(missing, 'run UPDATE_GOLDEN=1 pnpm test to create them').toEqual([]);
    const stale = readdirSync(GOLDEN_DIR).filter((f) => !names.includes(f.replace(/\.json$/, '')));
    expect(stale, 'golden files without a fixture').toEqual([]);
  });

  it.each(names)('%s', async (name) => {
    const actual = await summarise(name);
    const file = join(GOLDEN_DIR, `${name}.json`);
    if (update) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
