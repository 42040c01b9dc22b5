import { mapAirdata } from '../airdata/airdata-csv.js';
import { FlightLogError } from '../errors.js';
import { mapLitchi } from '../litchi/litchi-csv.js';
import type { CsvFormat, ParsedFlight, ParseOptions } from '../types.js';
import { finishCsvFlight, WarningCounter, type CsvExtraction } from './build.js';
import { isDronelogCsv, readDronelogCsv } from './dronelog-csv.js';
import { mapPhantomHelp } from './phantomhelp-csv.js';
import { CsvTable, normaliseName } from './table.js';
import { readCsvDocument, type CsvDocument } from './text.js';

/** The message for files that are neither a DJI log nor a CSV Dronelog reads. */
export const NOT_A_FLIGHT_LOG_MESSAGE =
  'This file is not a DJI flight log or a flight CSV that Dronelog reads. Dronelog reads DJI flight records ' +
  '(DJIFlightRecord_*.txt) and CSV exports from Litchi, Airdata, PhantomHelp / TXTlogToCSVtool and Dronelog itself.';

/**
 * Which CSV flight format a header row is, in this order (the first match wins):
 * 1. `dronelog-csv`: a `# dronelog-csv 1` comment line, or the columns time_ms, latitude, longitude, height_m;
 * 2. `airdata-csv`: time(millisecond), datetime(utc) and flycState (or flycStateRaw);
 * 3. `litchi-csv`: latitude, longitude, datetime(utc) or datetime(local), and one of dronetype / planename / isflying;
 * 4. `phantomhelp-csv`: OSD.latitude and OSD.longitude plus a clock (CUSTOM.updateTime, CUSTOM.date or OSD.flyTime).
 * Names match case- and space-insensitively. Anything else is not a flight CSV.
 */
export function detectCsvFormat(doc: Pick<CsvDocument, 'comments' | 'header'>): CsvFormat | null {
  if (isDronelogCsv(doc)) return 'dronelog-csv';
  const cells = new Set(doc.header.map(normaliseName));
  const names = new Set(doc.header.map((h) => normaliseName(h.replace(/[([].*$/, ''))));
  if (cells.has('time(millisecond)') && cells.has('datetime(utc)') && (names.has('flycstate') || names.has('flycstateraw'))) return 'airdata-csv';
  if (
    names.has('latitude') && names.has('longitude') &&
    (cells.has('datetime(utc)') || cells.has('datetime(local)')) &&
    (names.has('dronetype') || names.has('planename') || names.has('isflying'))
  ) return 'litchi-csv';
  if (names.has('osd.latitude') && names.has('osd.longitude') && (names.has('custom.updatetime') || names.has('custom.date') || names.has('osd.flytime'))) {
    return 'phantomhelp-csv';
  }
  return null;
}

/** Decodes a CSV flight log (any of the formats above) into the normalised flight. */
export async function parseCsvFlight(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedFlight> {
  const doc = readCsvDocument(bytes);
  const format = detectCsvFormat(doc);
  if (format === null) throw new FlightLogError('not-a-flight-log', NOT_A_FLIGHT_LOG_MESSAGE);
  if (format === 'dronelog-csv') return readDronelogCsv(doc, options);
  const table = new CsvTable(doc.header, doc.rows);
  const warnings = new WarningCounter();
  let extraction: CsvExtraction;
  try {
    extraction = format === 'airdata-csv' ? mapAirdata(table, warnings) : format === 'litchi-csv' ? mapLitchi(table, warnings) : mapPhantomHelp(table, warnings);
  } catch (error) {
    if (error instanceof FlightLogError) throw error;
    throw new FlightLogError('unreadable', 'This CSV flight log could not be read (its columns do not hold the values their names promise).', undefined, {
      cause: error,
    });
  }
  return finishCsvFlight(format, extraction, warnings, options);
}
