import { TELEMETRY_NUMERIC_FIELDS, type ExportFormat, type FlightDetail } from '@dronelog/contracts';
import { DRONELOG_CSV_COLUMNS, writeDronelogCsv, type FlightMessage, type FlightMetadata } from '@dronelog/flightlog';
import type { TelemetryPage, TextRow } from '../repositories/export.repository.js';

/**
 * Pure writers of the per-flight export formats. Each takes the flight and an async source of telemetry pages and
 * yields text pieces of at most one page, so a flight of any length streams through constant memory.
 */

export interface TrackSource {
  /** Rows with a valid position; each row is [t_ms, latitude, longitude, height above take-off, altitude ASL]. */
  pages(): AsyncIterable<TextRow[]>;
  /** How many such rows there are (decides between a path and a single point). */
  count: number;
}

export interface FormatInfo {
  extension: string;
  contentType: string;
}

export const FORMAT_INFO: Record<ExportFormat, FormatInfo> = {
  csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8' },
  json: { extension: 'json', contentType: 'application/json; charset=utf-8' },
  gpx: { extension: 'gpx', contentType: 'application/gpx+xml; charset=utf-8' },
  kml: { extension: 'kml', contentType: 'application/vnd.google-earth.kml+xml; charset=utf-8' },
  'kml-relative': { extension: 'relative.kml', contentType: 'application/vnd.google-earth.kml+xml; charset=utf-8' },
  geojson: { extension: 'geojson', contentType: 'application/geo+json; charset=utf-8' },
};

// ---------------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------------

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * A free-text CSV field (names, notes, tags) that a spreadsheet could take for a formula (=, +, -, @, tab, CR first)
 * gets a leading apostrophe, as OWASP recommends for CSV injection.
 */
export function csvText(v: string | null): string {
  if (v === null) return '';
  return csvField(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
}

export function xml(v: string | null | undefined): string {
  return (v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const timeAt = (startMs: number, tMs: string | null): string => new Date(startMs + Number(tMs ?? 0)).toISOString();

// ---------------------------------------------------------------------------------------------
// CSV and JSON: every telemetry row
// ---------------------------------------------------------------------------------------------

/** The flight's metadata as @dronelog/flightlog has it (only what the database knows; the reader recomputes the rest). */
export function flightMetadata(f: FlightDetail): FlightMetadata {
  const known: Partial<FlightMetadata> = {
    aircraftName: f.aircraftName,
    aircraftModel: f.aircraftModel,
    productType: f.productType,
    aircraftSerial: f.aircraftSerial,
    batterySerial: f.batterySerial,
    cameraSerial: f.cameraSerial,
    rcSerial: f.rcSerial,
    startTime: f.startTime,
    endTime: f.endTime ?? f.startTime,
    durationS: f.durationS ?? 0,
    home:
      f.homeLat !== null && f.homeLon !== null
        ? { latitude: f.homeLat, longitude: f.homeLon, altitudeM: f.homeAltitudeM, source: f.homeSource === 'recorded' ? 'recorded' : 'first-fix' }
        : null,
    takeoff: f.takeoffLat !== null && f.takeoffLon !== null ? { latitude: f.takeoffLat, longitude: f.takeoffLon } : null,
    landing: f.landingLat !== null && f.landingLon !== null ? { latitude: f.landingLat, longitude: f.landingLon } : null,
    maxHeightM: f.maxHeightM,
    maxAltitudeM: f.maxAltitudeM,
    maxHorizontalSpeedMps: f.maxHorizontalSpeedMps,
    maxVerticalSpeedMps: f.maxVerticalSpeedMps,
    maxDistanceFromHomeM: f.maxDistanceFromHomeM,
    photoCount: f.photoCount,
    videoCount: f.videoCount,
    batteryStartPercent: f.batteryStartPercent,
    batteryEndPercent: f.batteryEndPercent,
    batteryCycles: f.batteryCycles,
    batteryDesignCapacityMah: f.batteryDesignCapacityMah,
    batteryMinTemperatureC: f.batteryMinTempC,
    batteryMaxTemperatureC: f.batteryMaxTempC,
    minVoltageV: f.minVoltageV,
    app: f.app,
    firmware: f.firmware,
    frameCount: f.frameCount,
    gpsFrameCount: f.gpsFrameCount,
    place: f.place,
  };
  if (f.distanceM !== null) known.distanceM = f.distanceM;
  if (f.logVersion !== null) known.logVersion = f.logVersion;
  // Keys the database does not hold are left out (not null), so a re-import recomputes them from the telemetry.
  return known as FlightMetadata;
}

/**
 * Dronelog CSV (@dronelog/flightlog's writeDronelogCsv, which POST /imports reads back): written page by page — the
 * comment lines and header row come with the first page, later pages contribute their rows only.
 */
export async function* dronelogCsv(flight: FlightDetail, pages: AsyncIterable<TelemetryPage>): AsyncGenerator<string> {
  const metadata = flightMetadata(flight);
  const extras = {
    name: flight.customName,
    notes: flight.notes,
    color: flight.color,
    tags: flight.tags.filter((t) => t.kind === 'manual').map((t) => t.name),
  };
  const messages = flight.messages.map((m) => ({ timeMs: m.tMs, severity: m.severity as FlightMessage['severity'], text: m.text }));
  const warnings = flight.parseWarnings;
  const headerRow = `\r\n${DRONELOG_CSV_COLUMNS.join(',')}\r\n`;
  let first = true;
  for await (const page of pages) {
    const text = writeDronelogCsv({ metadata, telemetry: page, ...(first ? { messages, warnings } : {}) }, extras);
    if (first) {
      yield text;
      first = false;
    } else {
      yield text.slice(text.indexOf(headerRow) + headerRow.length);
    }
  }
  if (first) yield writeDronelogCsv({ metadata, telemetry: { length: 0, timeMs: [], numeric: {} }, messages, warnings }, extras);
}

const jsonNumber = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? 'null' : String(v));

/**
 * `{ format, version, flight, telemetry: { columns, rows } }`: the flight as GET /flights/:id returns it, and one array
 * per telemetry row under Dronelog CSV's column names plus `time_utc`.
 */
export async function* telemetryJson(flight: FlightDetail, pages: AsyncIterable<TelemetryPage>): AsyncGenerator<string> {
  const startMs = Date.parse(flight.startTime);
  const columns = ['time_ms', 'time_utc', ...DRONELOG_CSV_COLUMNS.slice(1)];
  yield `{"format":"dronelog-flight","version":1,"flight":${JSON.stringify(flight)},"telemetry":{"columns":${JSON.stringify(columns)},"rows":[`;
  let first = true;
  for await (const page of pages) {
    const numeric = TELEMETRY_NUMERIC_FIELDS.map((f) => page.numeric[f]);
    let out = '';
    for (let i = 0; i < page.length; i++) {
      const t = page.timeMs[i] ?? 0;
      let row = `${first ? '\n' : ',\n'}[${t},"${new Date(startMs + t).toISOString()}"`;
      for (const col of numeric) row += ',' + jsonNumber(col[i]);
      const mode = page.flightMode[i];
      const cells = page.cellVoltages[i];
      row += `,${mode == null ? 'null' : JSON.stringify(mode)},${page.isPhoto[i] ? 1 : 0},${page.isVideo[i] ? 1 : 0}`;
      row += `,${cells == null ? 'null' : `[${cells.map(jsonNumber).join(',')}]`}]`;
      out += row;
      first = false;
    }
    yield out;
  }
  yield '\n]}}\n';
}

// ---------------------------------------------------------------------------------------------
// GPX, KML, GeoJSON: the track
// ---------------------------------------------------------------------------------------------

function description(f: FlightDetail): string {
  const parts = [
    [f.aircraftName, f.aircraftModel].filter(Boolean).join(' · '),
    f.aircraftSerial ? `aircraft ${f.aircraftSerial}` : '',
    f.batterySerial ? `battery ${f.batterySerial}` : '',
    f.durationS !== null ? `${Math.round(f.durationS)} s` : '',
    f.distanceM !== null ? `${Math.round(f.distanceM)} m flown` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** GPX 1.1: a track with timestamps and elevation (m above sea level when known); a waypoint for a flight without one. */
export async function* gpx(flight: FlightDetail, track: TrackSource): AsyncGenerator<string> {
  const startMs = Date.parse(flight.startTime);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<gpx version="1.1" creator="Dronelog" xmlns="http://www.topografix.com/GPX/1/1">\n' +
    `<metadata><name>${xml(flight.name)}</name><desc>${xml(description(flight))}</desc><time>${flight.startTime}</time></metadata>\n`;
  if (track.count === 0) {
    const lat = flight.takeoffLat ?? flight.homeLat;
    const lon = flight.takeoffLon ?? flight.homeLon;
    if (lat !== null && lon !== null) {
      yield `<wpt lat="${lat}" lon="${lon}"><time>${flight.startTime}</time><name>${xml(flight.name)}</name><desc>${xml(description(flight))}</desc></wpt>\n`;
    }
    yield '</gpx>\n';
    return;
  }
  yield `<trk><name>${xml(flight.name)}</name><desc>${xml(description(flight))}</desc><trkseg>\n`;
  for await (const page of track.pages()) {
    let out = '';
    for (const [t, lat, lon, , alt] of page) {
      out += `<trkpt lat="${lat}" lon="${lon}">${alt != null ? `<ele>${alt}</ele>` : ''}<time>${timeAt(startMs, t ?? null)}</time></trkpt>\n`;
    }
    yield out;
  }
  yield '</trkseg></trk>\n</gpx>\n';
}

/**
 * KML 2.2 path. `absolute`: altitude above sea level (recorded, else home altitude + height). `relative`: height
 * above the take-off point drawn relativeToGround — the variant that stays above the terrain in Google Earth when the
 * absolute altitude is off (Open DroneLog #186/#187); over sloping ground it is height above take-off, not above the
 * ground below. Rows without the needed altitude are left out of the path.
 */
export async function* kml(flight: FlightDetail, track: TrackSource, mode: 'absolute' | 'relative'): AsyncGenerator<string> {
  const altIndex = mode === 'absolute' ? 4 : 3;
  const lat = flight.takeoffLat ?? flight.homeLat;
  const lon = flight.takeoffLon ?? flight.homeLon;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n' +
    `<name>${xml(flight.name)}</name>\n<description>${xml(description(flight))}</description>\n` +
    '<Style id="track"><LineStyle><color>ff00a5ff</color><width>3</width></LineStyle></Style>\n' +
    (lat !== null && lon !== null
      ? `<Placemark><name>Take-off</name><TimeStamp><when>${flight.startTime}</when></TimeStamp><Point><coordinates>${lon},${lat}</coordinates></Point></Placemark>\n`
      : '');
  if (track.count > 0) {
    yield `<Placemark><name>${xml(flight.name)}</name><styleUrl>#track</styleUrl>\n<LineString><extrude>0</extrude><tessellate>0</tessellate>` +
      `<altitudeMode>${mode === 'absolute' ? 'absolute' : 'relativeToGround'}</altitudeMode>\n<coordinates>\n`;
    for await (const page of track.pages()) {
      let out = '';
      for (const row of page) {
        const alt = row[altIndex];
        if (alt == null) continue;
        out += `${row[2]},${row[1]},${alt}\n`;
      }
      yield out;
    }
    yield '</coordinates>\n</LineString></Placemark>\n';
  }
  yield '</Document>\n</kml>\n';
}

/**
 * GeoJSON (RFC 7946) FeatureCollection with one Feature: a LineString of [lon, lat, height above take-off] (2D where
 * the height is unknown), or a Point at take-off for a flight with fewer than two positions; the flight's summary as
 * properties, plus `coordTimes` (ISO time of each coordinate) as togeojson writes them.
 */
export async function* geojson(flight: FlightDetail, track: TrackSource): AsyncGenerator<string> {
  const { messages: _messages, parseWarnings: _warnings, ...summary } = flight;
  const properties = JSON.stringify({ ...summary, heightReference: 'takeoff' });
  const startMs = Date.parse(flight.startTime);
  yield '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":';
  if (track.count < 2) {
    const lat = flight.takeoffLat ?? flight.homeLat;
    const lon = flight.takeoffLon ?? flight.homeLon;
    yield lat !== null && lon !== null ? `{"type":"Point","coordinates":[${lon},${lat}]}` : 'null';
    yield `,"properties":${properties}}]}\n`;
    return;
  }
  yield '{"type":"LineString","coordinates":[';
  let first = true;
  for await (const page of track.pages()) {
    let out = '';
    for (const [, lat, lon, h] of page) {
      out += `${first ? '' : ','}[${lon},${lat}${h != null ? `,${h}` : ''}]`;
      first = false;
    }
    yield out;
  }
  yield `]},"properties":${properties.slice(0, -1)},"coordTimes":[`;
  first = true;
  for await (const page of track.pages()) {
    let out = '';
    for (const [t] of page) {
      out += `${first ? '' : ','}"${timeAt(startMs, t ?? null)}"`;
      first = false;
    }
    yield out;
  }
  yield ']}}]}\n';
}
