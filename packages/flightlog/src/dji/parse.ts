import type { LogHeader, ParsedFlight, ParseOptions } from '../types.js';

/** Reads only the header (no keys needed). Throws FlightLogError when the bytes are not a DJI log. */
export async function readLogHeader(_bytes: Uint8Array): Promise<LogHeader> {
  throw new Error('not implemented');
}

/** Bytes in, normalised flight out. Throws FlightLogError. */
export async function parseFlightLog(_bytes: Uint8Array, _options: ParseOptions = {}): Promise<ParsedFlight> {
  throw new Error('not implemented');
}
