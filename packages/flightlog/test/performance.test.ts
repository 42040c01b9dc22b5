/**
 * Normalisation must cost well under what the WASM parser itself spends on a log: one pass over the
 * frames into typed arrays, then typed-array work only. Measured on the largest offline log (10,166
 * frames), best of three, so that load from other processes affects both sides alike.
 */
import { DJILog } from 'dji-log-parser-js';
import { describe, expect, it } from 'vitest';
import { extractDjiFrames } from '../src/dji/extract.js';
import type { DjiFrame } from '../src/dji/frame.js';
import { normaliseFlight } from '../src/normalise/flight.js';
import type { FlightIdentity } from '../src/normalise/extracted.js';
import { WarningCounter } from '../src/normalise/warnings.js';
import { readLogHeader } from '../src/index.js';
import { fixturesAvailable, LOGS, readDjiFixture } from './support/fixtures.js';

describe.skipIf(!fixturesAvailable())('performance', () => {
  it('normalises a 10k-frame log in well under the parser’s own time', async () => {
    const bytes = readDjiFixture(LOGS.mavicProV8);
    const header = await readLogHeader(bytes);
    const identity = { logVersion: header.version, headerStartMs: null } as FlightIdentity;
    let parser = Infinity;
    let ours = Infinity;
    for (let run = 0; run < 3; run++) {
      let t0 = performance.now();
      const log = new DJILog(bytes);
      const frames = log.frames() as unknown as DjiFrame[];
      log.free();
      parser = Math.min(parser, performance.now() - t0);

      t0 = performance.now();
      const warnings = new WarningCounter();
      const flight = normaliseFlight(extractDjiFrames(frames, warnings), identity, header, warnings);
      ours = Math.min(ours, performance.now() - t0);
      expect(flight.metadata.frameCount).toBe(10_166);
    }
    expect(ours).toBeLessThan(parser / 2);
  });
});
