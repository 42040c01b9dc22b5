/**
 * HTTP API shapes. The wire types come from @dronelog/contracts (type-only imports: the TypeBox
 * runtime never reaches the browser bundle); the few view shapes below are what client.ts
 * normalises those answers into for charts, map and filters.
 */
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
 * GET /api/v1/config: not in @dronelog/contracts yet. Read if the server has it; every field optional.
 * `mapStyleUrl` is the server's MAP_STYLE_URL (a maplibre style); absent → neutral map, no tiles.
 */
export interface AppConfig {
  mapStyleUrl?: string | null;
  djiApiKeyConfigured?: boolean;
  version?: string;
}
