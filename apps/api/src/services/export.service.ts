import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { SUMMARY_CSV_COLUMNS, type ExportFormat, type FlightDetail, type FlightFilterQuery } from '@dronelog/contracts';
import type { ExportRepository, LogbookRow } from '../repositories/export.repository.js';
import type { FlightFilter } from '../repositories/flight.repository.js';
import { FORMAT_INFO, csvField, csvText, dronelogCsv, geojson, gpx, kml, telemetryJson, type TrackSource } from './export-formats.js';
import { toFilter, type FlightQueryService } from './flight-query.service.js';
import { NotFoundError } from '../errors.js';

/** A file to send: its stream is produced while it is read (never built in memory). */
export interface ExportFile {
  fileName: string;
  contentType: string;
  stream: Readable;
}

/**
 * Server-side exports, all streamed: one flight in six formats, the summary CSV of the filtered flights (one row per
 * flight, from the flights table only), and a zip of per-flight files (yazl) with that summary inside.
 */
export class ExportService {
  readonly #repo: ExportRepository;
  readonly #queries: FlightQueryService;
  readonly #now: () => Date;

  constructor(repo: ExportRepository, queries: FlightQueryService, now: () => Date = () => new Date()) {
    this.#repo = repo;
    this.#queries = queries;
    this.#now = now;
  }

  /** One flight; 404 (before anything is streamed) when it does not exist. */
  async flight(id: number, format: ExportFormat = 'csv'): Promise<ExportFile> {
    const flight = await this.#queries.get(id);
    return {
      fileName: flightFileName(flight, format),
      contentType: FORMAT_INFO[format].contentType,
      stream: Readable.from(await this.#flightPieces(flight, format), { objectMode: false }),
    };
  }

  /** Text pieces of one flight in a format (the track count is read first: it decides path vs point). */
  async #flightPieces(flight: FlightDetail, format: ExportFormat): Promise<AsyncIterable<string>> {
    if (format === 'csv') return dronelogCsv(flight, this.#repo.telemetryPages(flight.id));
    if (format === 'json') return telemetryJson(flight, this.#repo.telemetryPages(flight.id));
    const track: TrackSource = {
      count: await this.#repo.trackRowCount(flight.id),
      pages: () => this.#repo.trackPages(flight.id, flight.homeAltitudeM),
    };
    if (format === 'gpx') return gpx(flight, track);
    if (format === 'geojson') return geojson(flight, track);
    return kml(flight, track, format === 'kml' ? 'absolute' : 'relative');
  }

  /** One CSV row per filtered flight (SUMMARY_CSV_COLUMNS). Filters are checked before anything is streamed. */
  summaryCsv(query: FlightFilterQuery): ExportFile {
    const filter = toFilter(query);
    return {
      fileName: `dronelog-summary-${this.#stamp()}.csv`,
      contentType: 'text/csv; charset=utf-8',
      stream: Readable.from(this.#summaryPieces(filter), { objectMode: false }),
    };
  }

  async *#summaryPieces(filter: FlightFilter): AsyncGenerator<string> {
    yield SUMMARY_CSV_COLUMNS.join(',') + '\n';
    for await (const page of this.#repo.logbookPages(filter, 'utc')) yield page.map(summaryLine).join('');
  }

  /**
   * A zip of one file per filtered flight in `format` plus summary.csv, streamed by yazl: entries are added while the
   * flights are listed page by page, and each entry's data is produced only when yazl reaches it.
   */
  zip(query: FlightFilterQuery & { format?: ExportFormat }): ExportFile {
    const filter = toFilter(query);
    const format = query.format ?? 'csv';
    const zip = new ZipFile();
    const output = zip.outputStream as Readable;
    const fail = (err: unknown) => output.destroy(err instanceof Error ? err : new Error(String(err)));
    zip.on('error', fail);
    const lazy = (name: string, mtime: Date, pieces: () => Promise<AsyncIterable<string>>) =>
      zip.addReadStreamLazy(name, { mtime }, (cb) => {
        pieces().then(
          (it) => {
            const stream = Readable.from(it, { objectMode: false });
            stream.on('error', fail);
            cb(null, stream);
          },
          (err: unknown) => {
            fail(err);
          },
        );
      });

    const now = this.#now();
    lazy('summary.csv', now, async () => this.#summaryPieces(filter));
    const fill = async () => {
      for await (const page of this.#repo.logbookPages(filter, 'utc')) {
        for (const row of page) {
          lazy(`${row.id}_${baseName(row.name, row.startTime)}.${FORMAT_INFO[format].extension}`, new Date(row.startTime), async () => {
            const flight = await this.#queries.get(row.id).catch((err: unknown) => {
              if (err instanceof NotFoundError) return null; // deleted since it was listed: an empty entry
              throw err;
            });
            return flight ? this.#flightPieces(flight, format) : emptyPieces();
          });
        }
      }
      zip.end();
    };
    fill().catch(fail);
    return { fileName: `dronelog-flights-${this.#stamp()}.zip`, contentType: 'application/zip', stream: output };
  }

  #stamp(): string {
    return this.#now().toISOString().slice(0, 10);
  }
}

async function* emptyPieces(): AsyncGenerator<string> {
  // nothing
}

const fixed = (v: number | null, digits: number) => (v === null ? '' : String(Math.round(v * 10 ** digits) / 10 ** digits));
const plain = (v: number | null) => (v === null ? '' : String(v));

function addSeconds(wall: string, seconds: number): string {
  return new Date(Date.parse(`${wall}Z`) + Math.round(seconds * 1000)).toISOString().slice(0, 19);
}

function summaryLine(r: LogbookRow): string {
  const landing = r.durationS !== null ? addSeconds(r.localStart, r.durationS) : null;
  const values: string[] = [
    String(r.id),
    csvText(r.name),
    csvText(r.aircraftName),
    csvText(r.aircraftModel),
    csvText(r.aircraftSerial),
    csvText(r.batterySerial),
    r.localStart.slice(0, 10),
    r.localStart.slice(11, 19),
    landing ? landing.slice(11, 19) : '',
    r.localKnown && r.timeZone ? csvField(r.timeZone) : 'UTC',
    r.startTime,
    fixed(r.durationS, 1),
    fixed(r.distanceM, 1),
    fixed(r.maxHeightM, 1),
    fixed(r.maxAltitudeM, 1),
    fixed(r.maxDistanceFromHomeM, 1),
    fixed(r.maxSpeedMps, 2),
    plain(r.takeoffLat),
    plain(r.takeoffLon),
    plain(r.landingLat),
    plain(r.landingLon),
    plain(r.batteryStartPercent),
    plain(r.batteryEndPercent),
    plain(r.batteryStartTempC),
    plain(r.batteryEndTempC),
    plain(r.batteryStartVoltageV),
    plain(r.batteryEndVoltageV),
    String(r.photoCount),
    String(r.videoCount),
    csvText(r.tags.join('; ') || null),
    csvText(r.notes),
    csvField(r.sourceFormat),
    csvText(r.fileName),
  ];
  return values.join(',') + '\n';
}

/** ASCII-only, filesystem-safe: "2024-09-01_1455_Sunset_over_the_lake" (UTC start, then the name). */
export function baseName(name: string, startTime: string): string {
  const stamp = `${startTime.slice(0, 10)}_${startTime.slice(11, 13)}${startTime.slice(14, 16)}`;
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 80);
  return slug ? `${stamp}_${slug}` : stamp;
}

export function flightFileName(flight: FlightDetail, format: ExportFormat): string {
  return `${baseName(flight.name, flight.startTime)}.${FORMAT_INFO[format].extension}`;
}

/**
 * Content-Disposition for a download: an ASCII `filename` (quotes and backslashes replaced) and the RFC 5987
 * `filename*` in UTF-8 for clients that read it.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
