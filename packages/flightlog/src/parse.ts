import { NOT_A_FLIGHT_LOG_MESSAGE, parseCsvFlight } from './csv/parse-csv.js';
import { looksLikeCsvText } from './csv/text.js';
import { parseFlightLog as parseDjiLog, readLogHeader as readDjiHeader } from './dji/parse.js';
import { FlightLogError } from './errors.js';
import type { LogHeader, ParsedFlight, ParseOptions } from './types.js';

/** Tolerate an ArrayBuffer from JS callers (a worker message, an HTTP body). */
function asBytes(input: Uint8Array): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input as ArrayBufferLike);
}

/**
 * Bytes in, normalised flight out, for every supported format. The format is told by content, never by file
 * name: text that starts like a table (no NUL byte, valid UTF-8, a delimiter in the first line) goes to the
 * CSV readers (Litchi, Airdata, PhantomHelp / TXTlogToCSVtool, Dronelog — see `detectCsvFormat`), anything
 * else to the DJI .txt decoder. `header.format` says which one read it.
 *
 * Throws FlightLogError; a file that is none of them gets 'not-a-flight-log' with a message listing the
 * formats. Errors thrown by `options.onHeader` or by the key provider propagate unchanged.
 */
export async function parseFlightLog(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedFlight> {
  const input = asBytes(bytes);
  if (looksLikeCsvText(input)) return parseCsvFlight(input, options);
  return withGeneralMessage(() => parseDjiLog(input, options));
}

/** Reads only what a log says about itself (cheap for DJI logs; a CSV is read whole, it is small). */
export async function readLogHeader(bytes: Uint8Array): Promise<LogHeader> {
  const input = asBytes(bytes);
  if (looksLikeCsvText(input)) return (await parseCsvFlight(input)).header;
  return withGeneralMessage(() => readDjiHeader(input));
}

async function withGeneralMessage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof FlightLogError && error.code === 'not-a-flight-log') {
      throw new FlightLogError('not-a-flight-log', NOT_A_FLIGHT_LOG_MESSAGE, error.offset, { cause: error });
    }
    throw error;
  }
}
