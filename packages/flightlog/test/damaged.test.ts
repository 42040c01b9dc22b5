/**
 * Real logs with bytes flipped in the middle. The parser may decode around the damage, or panic
 * (`RuntimeError: unreachable`), which can leave the WASM instance unusable for the rest of this file;
 * hence these cases live in their own file (vitest runs each file in a separate worker).
 */
import { describe, expect, it } from 'vitest';
import { parseFlightLog } from '../src/index.js';
import { fixturesAvailable, LOGS, readDjiFixture } from './support/fixtures.js';
import { expectCleanOutcome, seededBytes } from './support/outcome.js';

/** Copies the log and XORs `count` bytes, every `stride` bytes, from the middle on, with seeded noise. */
function damaged(name: string, count: number, stride: number, seed: number): Uint8Array {
  const bytes = readDjiFixture(name).slice();
  const noise = seededBytes(count, seed);
  const start = Math.floor(bytes.length / 2);
  for (let k = 0; k < count; k++) {
    const at = start + k * stride;
    bytes[at] = bytes[at]! ^ (noise[k]! | 1);
  }
  return bytes;
}

describe.skipIf(!fixturesAvailable())('logs with flipped bytes in the middle', () => {
  // Small logs of every offline version family (v3, v8, v9, v11) keep this file fast.
  const logs = [LOGS.phantom3V3, LOGS.phantom3Continuation, LOGS.inspire1Df010, LOGS.mavic2Short, LOGS.matrice210Short];

  it.each(logs)('%s: a FlightLogError or a flight, never another exception', async (name) => {
    for (const [count, stride, seed] of [[1, 1, 1], [64, 1, 2], [300, 7, 3], [2000, 3, 4]] as const) {
      const outcome = await expectCleanOutcome(() => parseFlightLog(damaged(name, count, stride, seed)), ['unreadable']);
      if ('flight' in outcome) {
        // Whatever survived the damage is still filtered: no impossible positions or heights.
        const { numeric } = outcome.flight.telemetry;
        for (let i = 0; i < numeric.latitude.length; i++) {
          const lat = numeric.latitude[i]!;
          if (!Number.isNaN(lat)) expect(Math.abs(lat)).toBeLessThanOrEqual(90);
          const h = numeric.heightM[i]!;
          if (!Number.isNaN(h)) expect(Math.abs(h)).toBeLessThanOrEqual(10_000);
        }
      }
    }
  });
});
