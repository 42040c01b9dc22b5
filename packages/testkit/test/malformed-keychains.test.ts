// In its own file: a WASM panic may leave the parser instance unusable, and vitest isolates files.
import { describe, expect, it } from 'vitest';
import { DJILog, type KeychainFeaturePoint } from 'dji-log-parser-js';
import { demoFlight, malformedKeychains, writeDjiLog } from '../src/index.js';

describe('malformed keychains make the WASM parser throw (panic) instead of decoding', () => {
  const log = writeDjiLog(demoFlight({ seed: 'malformed', durationS: 10 }), { version: 14 });
  it.each(['short-key', 'unknown-feature-point', 'not-base64'] as const)('%s', (kind) => {
    const parser = new DJILog(log.bytes);
    expect(() => parser.frames(malformedKeychains(log.keychains!, kind) as unknown as KeychainFeaturePoint[][])).toThrow();
  });
});
