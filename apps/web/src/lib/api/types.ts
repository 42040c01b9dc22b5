/**
 * HTTP API shapes. The wire types come from @dronelog/contracts (type-only imports: the TypeBox
 * runtime never reaches the browser bundle); the few view shapes below are what client.ts
 * normalises those answers into for charts, map and filters.
 */
import type { ClientConfig } from '@dronelog/contracts';

export type {
  AircraftSummary,
  BatterySummary,
  ErrorResponse,
  FlightDetail,
  FlightListResponse,
  FlightMessage,
  FlightPatchBody,
  FlightSortField,
  FlightSummary,
  FlightTag,
  FlightTotals,
  ImportEntry,
  ImportFileResult,
  ImportList,
  ImportOutcomeStatus,
  ImportStatus,
  ImportUploadResponse,
  OdlImportReport,
  TagCount,
  TelemetryField,
  TelemetryResponse,
  TrackResponse,
} from '@dronelog/contracts';

/** A filter option (aircraft, battery, tag): `value` is what the list API filters by. */
export interface NamedCount {
  name: string;
  value: string;
  count?: number;
}

/**
 * Columnar telemetry as the charts and map use it: `t` in ms since start, one column per numeric
 * field, and cell voltages transposed to one column per cell (the API sends them row-wise).
 */
export interface ChartTelemetry {
  t: number[];
  series: Record<string, (number | null)[]>;
  cells: (number | null)[][] | null;
  points: number;
  totalPoints: number;
}

/** [lon, lat, heightM, tMs] with height filled in (the API sends null where unknown). */
export type TrackPoint = [number, number, number, number];

/**
 * GET /api/v1/config (`ClientConfig` in @dronelog/contracts), every field optional: a server without the route
 * (404) gives {} = neutral map, no tiles. `basemap` says which style the map loads (see $lib/map/basemap.ts).
 */
export type AppConfig = Partial<ClientConfig>;
