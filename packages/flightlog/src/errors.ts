/** Why a log could not be turned into a flight. Messages are written for pilots, not developers. */
export type FlightLogErrorCode =
  | 'empty-file'
  | 'not-a-flight-log' // not DJI .txt nor a supported CSV
  | 'unreadable' // looks like a DJI log but the parser could not read it (corrupt, panicked)
  | 'unsupported-version'
  | 'keychain-required' // v13+ and no key provider / no keys available
  | 'keychain-rejected' // keys were supplied but decoded to garbage: the keys are wrong
  | 'no-flight-data' // readable but holds no frames
  | 'aborted'; // for callers: parseFlightLog rethrows onHeader / keyProvider errors unchanged, so an onHeader that
  // wants to abort (e.g. duplicate) can throw FlightLogError('aborted', …) itself; the parser never uses it

export class FlightLogError extends Error {
  override readonly name = 'FlightLogError';
  constructor(
    readonly code: FlightLogErrorCode,
    message: string,
    /** Byte offset of the problem when known. */
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
