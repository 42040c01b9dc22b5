import type { DJILog } from 'dji-log-parser-js';
import { FlightLogError } from '../errors.js';
import type { KeychainRequest, Keychains } from '../types.js';
import { unreadable, unsupportedVersion } from './failures.js';
import type { DjiRawRecord } from './battery-records.js';
import type { DjiDetails, DjiFrame } from './frame.js';

/** Newest format version this parser build is known to read. */
export const NEWEST_KNOWN_VERSION = 14;

function failure(version: number, error: unknown): FlightLogError {
  if (error instanceof FlightLogError) return error;
  return version > NEWEST_KNOWN_VERSION ? unsupportedVersion(version, error) : unreadable(error);
}

/**
 * Size of the WASM parser's linear memory in this thread, bytes (loads the module if it is not loaded yet). It grows
 * with the largest log parsed and never shrinks: a caller that reuses a thread for several parses checks it.
 */
export async function parserMemoryBytes(): Promise<number> {
  const mod = (await import('dji-log-parser-js')) as unknown as { __wasm?: { memory?: { buffer: ArrayBuffer } } };
  return mod.__wasm?.memory?.buffer.byteLength ?? 0;
}

/**
 * Thin wrapper around dji-log-parser-js (Rust compiled to WASM, inlined in the ESM module).
 *
 * - The module is imported lazily: importing it instantiates the WASM (about 50 MB RSS), which callers
 *   that only need this package's types or errors should not pay for.
 * - The parser throws plain strings ("Parse error: …") and panics as `RuntimeError: unreachable`; both
 *   become FlightLogError 'unreadable' here. After a panic the WASM instance may be unusable; the API
 *   parses each log in a throwaway worker, so nothing here tries to recover it (and no module state is kept).
 * - fetchKeychains is never called: keys come from the caller's KeyProvider.
 */
export class DjiLogHandle {
  readonly #log: DJILog;
  /** Format version (the prefix byte the parser also reads). */
  readonly version: number;

  private constructor(log: DJILog, version: number) {
    this.#log = log;
    this.version = version;
  }

  static async open(bytes: Uint8Array, version: number): Promise<DjiLogHandle> {
    const { DJILog } = await import('dji-log-parser-js');
    try {
      return new DjiLogHandle(new DJILog(bytes), version);
    } catch (error) {
      throw failure(version, error);
    }
  }

  details(): DjiDetails {
    return this.#call(() => this.#log.details as unknown as DjiDetails);
  }

  keychainsRequest(): KeychainRequest {
    return this.#call(() => this.#log.keychainsRequest() as unknown as KeychainRequest);
  }

  /** Decodes all frames. For v13+ logs pass the keychains; the result is garbage (not an error) when they are wrong. */
  frames(keychains?: Keychains): DjiFrame[] {
    return this.#call(() => this.#log.frames(keychains as Parameters<DJILog['frames']>[0]) as unknown as DjiFrame[]);
  }

  /** Decodes all raw records (same keychains as frames()); about 60 % of the frames() time. */
  records(keychains?: Keychains): DjiRawRecord[] {
    return this.#call(() => this.#log.records(keychains as Parameters<DJILog['records']>[0]) as unknown as DjiRawRecord[]);
  }

  /** Releases the WASM-side object. Safe to call after a panic (then it does nothing useful). */
  free(): void {
    try {
      this.#log.free();
    } catch {
      // After a WASM panic free() can throw too; the worker that owns this instance is discarded anyway.
    }
  }

  #call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw failure(this.version, error);
    }
  }
}
