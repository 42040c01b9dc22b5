/**
 * Real v14 logs decoded with wrong keys. dji-log-parser raises no error then: frames come back full of
 * zeros (keys that fail AES padding) or absurd numbers (an empty keychain). parseFlightLog must refuse
 * them with 'keychain-rejected' ('unreadable' if the WASM panics), never return such a flight.
 * Own file: a panic can poison the WASM instance for the tests that follow it.
 */
import { describe, expect, it } from 'vitest';
import { FlightLogError, parseFlightLog, type KeychainRequest, type Keychains } from '../src/index.js';
import { fixturesAvailable, LOGS, readDjiFixture } from './support/fixtures.js';
import { seededBytes } from './support/outcome.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A keychain of random 32-byte keys and 16-byte IVs for exactly the feature points the log asks for. */
function randomKeychains(request: KeychainRequest, seed: number): Keychains {
  let s = seed;
  return request.keychainsArray.map((group) =>
    group.map(({ featurePoint }) => ({ featurePoint, aesKey: b64(seededBytes(32, s++)), aesIv: b64(seededBytes(16, s++ + 1000)) })),
  );
}

async function rejection(bytes: Uint8Array, getKeychains: (r: KeychainRequest) => Keychains): Promise<FlightLogError> {
  const error = await parseFlightLog(bytes, { keyProvider: { getKeychains: async (r) => getKeychains(r) } }).then(
    (flight) => new Error(`returned a flight of ${flight.metadata.frameCount} frames`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlightLogError);
  return error as FlightLogError;
}

describe.skipIf(!fixturesAvailable())('wrong keychains on real v14 logs', () => {
  const logs = [LOGS.mini4ProV14, LOGS.m350V14, LOGS.go4V14];

  it.each(logs)('%s: an empty keychain [[]] is rejected', async (name) => {
    const error = await rejection(readDjiFixture(name), () => [[]]);
    expect(['keychain-rejected', 'unreadable']).toContain(error.code);
    if (error.code === 'keychain-rejected') expect(error.message).toMatch(/decryption keys .* do not fit/);
  });

  it.each(logs)('%s: random keys for the requested feature points are rejected', async (name) => {
    const error = await rejection(readDjiFixture(name), (r) => randomKeychains(r, 42));
    expect(['keychain-rejected', 'unreadable']).toContain(error.code);
  });

  it('rejects malformed keys before they reach (and panic) the parser', async () => {
    const bytes = readDjiFixture(LOGS.mini4ProV14);
    const bad = await rejection(bytes, (r) => [[{ featurePoint: r.keychainsArray[0]![0]!.featurePoint, aesKey: 'AAAA', aesIv: 'AAAA' }]]);
    expect(bad.code).toBe('keychain-rejected');
    const unknownPoint = await rejection(bytes, () => [[{ featurePoint: 'BaseFeature', aesKey: b64(seededBytes(32, 1)), aesIv: b64(seededBytes(16, 2)) }]]);
    expect(unknownPoint.code).toBe('keychain-rejected');
    // The parser still works afterwards: nothing panicked.
    const again = await rejection(bytes, () => [[]]);
    expect(again.code).toBe('keychain-rejected');
  });
});
