import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './common.js';
import { FlightFilterQuery } from './analytics.js';

/**
 * Server-side exports (streamed, never built as one string): one flight as CSV / JSON / GPX / KML / GeoJSON,
 * a summary CSV of the filtered flights, a zip of per-flight files; and the printable logbook report.
 */

export const EXPORT_FORMATS = ['csv', 'json', 'gpx', 'kml', 'kml-relative', 'geojson'] as const;
export const ExportFormat = StringEnum(EXPORT_FORMATS, {
  default: 'csv',
  description:
    '`csv`: Dronelog CSV, re-importable through POST /imports (comment lines `# dronelog-csv 1`, `# metadata: {…}`, `# extras: {…}` ' +
    'with name/notes/colour/manual tags, `# messages: […]`, then `time_ms` and every telemetry column in snake_case with its unit ' +
    '(`height_m`, `battery_voltage_v`, …), `flight_mode`, `is_photo`, `is_video`, `cell_voltages`); `json`: the flight (as GET /flights/:id) ' +
    'and telemetry rows under the same column names plus `time_utc`; `gpx`: track with timestamps and elevation above sea level (a waypoint for a flight without telemetry); ' +
    '`kml`: path with absolute altitude (above sea level); `kml-relative`: path with height above the take-off point, drawn ' +
    'relativeToGround (stays above ground in Google Earth); `geojson`: a LineString Feature [lon, lat, height above take-off] with ' +
    'the flight as properties and `coordTimes`.',
});
export type ExportFormat = Static<typeof ExportFormat>;

export const ExportQuery = Type.Object({ format: Type.Optional(ExportFormat) });
export type ExportQuery = Static<typeof ExportQuery>;

export const ZipExportQuery = Type.Object({ ...FlightFilterQuery.properties, format: Type.Optional(ExportFormat) });
export type ZipExportQuery = Static<typeof ZipExportQuery>;

/**
 * Columns of `GET /exports/summary.csv`, one row per flight (Open DroneLog's summary columns, from the flights table only).
 * `date`, `takeoff_time` and `landing_time` are local to the take-off point when its time zone is known (`time_zone`), else UTC.
 * Take-off/landing battery values are the first/last readings of the flight.
 */
export const SUMMARY_CSV_COLUMNS = [
  'flight_id', 'name', 'aircraft_name', 'aircraft_model', 'aircraft_serial', 'battery_serial',
  'date', 'takeoff_time', 'landing_time', 'time_zone', 'start_time_utc',
  'duration_s', 'distance_m', 'max_height_m', 'max_altitude_m', 'max_distance_from_home_m', 'max_speed_mps',
  'takeoff_lat', 'takeoff_lon', 'landing_lat', 'landing_lon',
  'battery_takeoff_percent', 'battery_landing_percent', 'battery_takeoff_temp_c', 'battery_landing_temp_c',
  'battery_takeoff_voltage_v', 'battery_landing_voltage_v',
  'photo_count', 'video_count', 'tags', 'notes', 'source_format', 'file_name',
] as const;

// ---------------------------------------------------------------------------------------------
// Logbook report
// ---------------------------------------------------------------------------------------------

export const CURRENCY_DEFAULT = { hours: 2, days: 90 } as const;

const CurrencyParams = {
  currencyHours: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 1000,
      default: CURRENCY_DEFAULT.hours,
      description: `Flight hours required in the currency window (default ${CURRENCY_DEFAULT.hours}, e.g. the UK's 2 h in 90 days).`,
    }),
  ),
  currencyDays: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 3650, default: CURRENCY_DEFAULT.days, description: `Currency window in days (default ${CURRENCY_DEFAULT.days}).` }),
  ),
};

export const ReportQuery = Type.Object({
  ...FlightFilterQuery.properties,
  pilot: Type.Optional(Type.String({ maxLength: 100, description: 'Pilot name printed on the report.' })),
  title: Type.Optional(Type.String({ maxLength: 200, description: 'Document title (default "Flight Logbook").' })),
  ...CurrencyParams,
});
export type ReportQuery = Static<typeof ReportQuery>;

export const ReportTotalsQuery = Type.Object({ ...FlightFilterQuery.properties, ...CurrencyParams });
export type ReportTotalsQuery = Static<typeof ReportTotalsQuery>;

export const PeriodTotal = Type.Object({
  days: Type.Union([Type.Integer(), Type.Null()], { description: 'Length of the period ending now; null = all time.' }),
  flights: Type.Integer(),
  durationS: Type.Number(),
  distanceM: Type.Number(),
});
export type PeriodTotal = Static<typeof PeriodTotal>;

export const ReportTotals = Type.Object(
  {
    asOf: Type.String({ format: 'date-time' }),
    periods: Type.Array(PeriodTotal, { description: 'Last 30, 90 and 365 days, then all time.' }),
    currency: Type.Object({
      requiredHours: Type.Number(),
      windowDays: Type.Integer(),
      durationS: Type.Number({ description: 'Flight time in the window.' }),
      current: Type.Boolean({ description: 'durationS ≥ requiredHours × 3600.' }),
    }),
    firstFlightAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastFlightAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  {
    description:
      'Totals for a "totals" card: periods end now and follow every filter except from/to (a period is its own date range).',
  },
);
export type ReportTotals = Static<typeof ReportTotals>;
