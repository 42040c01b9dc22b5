import { expect } from 'vitest';
import { FlightLogError, type FlightLogErrorCode, type ParsedFlight } from '../../src/index.js';

/** Deterministic bytes (mulberry32), so a failing "random" case can be reproduced. */
export function seededBytes(length: number, seed: number): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

export type Outcome = { flight: ParsedFlight } | { error: FlightLogError };

/**
 * Runs a parse that may fail and asserts it fails cleanly: either a FlightLogError whose code is one of
 * `allowed`, or a flight that holds together. Any other exception type fails the test.
 */
export async function expectCleanOutcome(run: () => Promise<ParsedFlight>, allowed: readonly FlightLogErrorCode[]): Promise<Outcome> {
  let outcome: Outcome;
  try {
    outcome = { flight: await run() };
  } catch (error) {
    expect(error, `expected a FlightLogError, got ${String(error)}`).toBeInstanceOf(FlightLogError);
    const e = error as FlightLogError;
    expect(allowed, `unexpected code ${e.code}: ${e.message}`).toContain(e.code);
    expect(e.message.length).toBeGreaterThan(10);
    return { error: e };
  }
  const f = outcome.flight;
  expect(f.telemetry.length).toBe(f.metadata.frameCount);
  expect(f.metadata.frameCount).toBeGreaterThan(0);
  expect(Number.isFinite(Date.parse(f.metadata.startTime))).toBe(true);
  return outcome;
}
