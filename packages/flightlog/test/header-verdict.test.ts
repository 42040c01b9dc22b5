/**
 * Before v13 the header verdict (`onHeader`: in the API a duplicate check on the main thread) overlaps the decode
 * instead of preceding it; it is still called with the header before anything is decoded, and what it throws is what
 * the parse throws.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseFlightLog } from '../src/index.js';
import { fixturesAvailable, LOGS, readDjiFixture } from './support/fixtures.js';

describe.skipIf(!fixturesAvailable())('header verdict of an unencrypted log', () => {
  it('is asked for at once, and the parse waits for it', async () => {
    let settle!: () => void;
    const calls: string[] = [];
    const parse = parseFlightLog(readDjiFixture(LOGS.mavicProV8), {
      onHeader: (header) => {
        calls.push(`onHeader:${header.version}`);
        return new Promise<void>((resolve) => (settle = resolve));
      },
    }).then((f) => {
      calls.push('parsed');
      return f;
    });
    await vi.waitFor(() => expect(calls).toEqual(['onHeader:8']));
    // The decode is done in well under a second; the parse still waits for the verdict.
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls).toEqual(['onHeader:8']);
    settle();
    expect((await parse).telemetry.timeMs.length).toBeGreaterThan(1000);
    expect(calls).toEqual(['onHeader:8', 'parsed']);
  });

  it('rethrows its refusal as is, after the decode it overlapped', async () => {
    const refusal = new Error('this flight is already in the logbook');
    const slowRefusal = () => new Promise<void>((_resolve, reject) => setTimeout(() => reject(refusal), 20));
    await expect(parseFlightLog(readDjiFixture(LOGS.mavicProV8), { onHeader: slowRefusal })).rejects.toBe(refusal);
    await expect(
      parseFlightLog(readDjiFixture(LOGS.phantom3V4), {
        onHeader: () => {
          throw refusal;
        },
      }),
    ).rejects.toBe(refusal);
  });
});
