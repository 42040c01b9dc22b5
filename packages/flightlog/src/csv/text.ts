import { parse } from 'csv-parse/sync';
import { FlightLogError } from '../errors.js';

/** How many leading bytes decide "text or binary". */
const SNIFF_BYTES = 4096;

/**
 * True when the bytes look like a text table rather than a binary DJI log: the first 4 KB hold no NUL byte,
 * are valid UTF-8 (a BOM is fine), and the first line has a comma, semicolon or tab, or is a `sep=` line or a
 * `#` comment. Every DJI .txt log has NUL bytes in its 8-byte offset field, so this never claims one.
 */
export function looksLikeCsvText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, Math.min(bytes.length, SNIFF_BYTES));
  if (head.length === 0 || head.includes(0)) return false;
  let text: string;
  try {
    // stream: true tolerates a multi-byte character cut at the 4 KB boundary.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < bytes.length });
  } catch {
    return false;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = /^[^\r\n]*/.exec(text)![0];
  return /^sep=/i.test(firstLine) || firstLine.startsWith('#') || /[,;\t]/.test(firstLine);
}

/** A CSV file split into its `#` comment lines (before the header), header cells and data rows. */
export interface CsvDocument {
  /** Text of the leading `#` lines, without the `#`. */
  comments: string[];
  header: string[];
  rows: string[][];
}

/**
 * Decodes and splits a CSV file: UTF-8 with or without BOM, an optional Excel `sep=X` first line (PhantomHelp
 * writes `sep=,`), optional leading `#` comment lines, then RFC 4180 records (quoted fields with commas, quotes
 * and line breaks; CRLF or LF). Cells are trimmed (PhantomHelp separates with ", "); blank lines are skipped.
 */
export function readCsvDocument(bytes: Uint8Array): CsvDocument {
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let delimiter = ',';
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep !== null) {
    delimiter = sep[1]!;
    text = text.slice(sep[0].length);
  }
  const comments: string[] = [];
  while (text.startsWith('#')) {
    const end = text.indexOf('\n');
    const line = end < 0 ? text : text.slice(0, end);
    comments.push(line.slice(1).replace(/\r$/, ''));
    text = end < 0 ? '' : text.slice(end + 1);
  }
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new FlightLogError('not-a-flight-log', 'This CSV file could not be read: its quoting or line structure is broken.', undefined, {
      cause: error,
    });
  }
  const [header = [], ...rows] = records;
  return { comments, header, rows };
}
