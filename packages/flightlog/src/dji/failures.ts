import { FlightLogError } from '../errors.js';

/** The FlightLogErrors the DJI decoder throws, with messages written for pilots. */

export const UNREADABLE_MESSAGE = 'This file is not a readable DJI flight log (it may be damaged or truncated).';

export function emptyFile(): FlightLogError {
  return new FlightLogError('empty-file', 'This file is empty.');
}

export function notAFlightLog(offset?: number): FlightLogError {
  return new FlightLogError(
    'not-a-flight-log',
    'This file is not a DJI flight log. Dronelog reads the DJIFlightRecord_*.txt files that DJI apps save after each flight.',
    offset,
  );
}

export function unreadable(cause?: unknown, offset?: number): FlightLogError {
  return new FlightLogError('unreadable', UNREADABLE_MESSAGE, offset ?? offsetFromParserError(cause), { cause });
}

export function truncated(expectedBytes: number, actualBytes: number): FlightLogError {
  return new FlightLogError(
    'unreadable',
    `${UNREADABLE_MESSAGE.slice(0, -1)}: it ends after ${actualBytes} bytes but says it is ${expectedBytes} bytes long.`,
    actualBytes,
  );
}

export function unsupportedVersion(version: number, cause?: unknown): FlightLogError {
  return new FlightLogError(
    'unsupported-version',
    `This DJI flight log uses format version ${version}, which Dronelog cannot read yet.`,
    10,
    { cause },
  );
}

export function keychainRequired(version: number, app: string | null): FlightLogError {
  return new FlightLogError(
    'keychain-required',
    `This log is encrypted (${app ?? 'DJI'} format v${version}). Dronelog needs a DJI API key to fetch its decryption keys.`,
  );
}

export function keychainRejected(reason: 'garbage' | 'malformed' | 'incomplete'): FlightLogError {
  const why = {
    garbage: 'decoding the flight with them gave impossible positions and values',
    malformed: 'they are not in the format DJI issues (32-byte keys and 16-byte IVs, base64)',
    incomplete: 'they cover fewer parts of the log than it has',
  }[reason];
  return new FlightLogError(
    'keychain-rejected',
    `The decryption keys for this encrypted log do not fit it: ${why}. If they came from a cache, clear it and fetch them from DJI again.`,
  );
}

export function noFlightData(): FlightLogError {
  return new FlightLogError('no-flight-data', 'This flight log holds no flight data (the aircraft recorded no telemetry).');
}

/** dji-log-parser errors mention the byte where parsing failed ("… at 0x1a2b"). */
export function offsetFromParserError(error: unknown): number | undefined {
  const text = typeof error === 'string' ? error : error instanceof Error ? error.message : '';
  const match = /\bat 0x([0-9a-f]+)/i.exec(text);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 16);
}
