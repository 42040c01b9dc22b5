/**
 * HTTP API shapes used by the web app.
 * TEMPORARY: written against the agreed shapes while @dronelog/contracts is being written; replaced by
 * re-exports from @dronelog/contracts as soon as those land (see README "Contract").
 */

export interface FlightSummary {
  id: string;
  /** User-given name, else null (the UI falls back to fileName / date). */
  name: string | null;
  fileName: string | null;
  startTime: string;
  endTime: string | null;
  /** IANA zone of the take-off point, when the API knows it. */
  timeZone?: string | null;
  durationS: number | null;
  distanceM: number | null;
  maxHeightM: number | null;
  maxHorizontalSpeedMps: number | null;
  maxDistanceFromHomeM: number | null;
  batteryStartPercent: number | null;
  batteryEndPercent: number | null;
  aircraftName: string | null;
  aircraftModel: string | null;
  aircraftSerial: string | null;
  batterySerial: string | null;
  color: string | null;
  tags: string[];
  place?: string | null;
}

export interface FlightTotals {
  flights: number;
  durationS: number;
  distanceM: number;
  maxHeightM?: number | null;
  maxDistanceFromHomeM?: number | null;
}

export interface FlightListResponse {
  items: FlightSummary[];
  total: number;
  limit: number;
  offset: number;
  totals: FlightTotals;
}

export interface FlightMessageDto {
  timeMs: number;
  severity: 'tip' | 'warning' | 'caution' | string;
  text: string;
}

export interface FlightDetail extends FlightSummary {
  notes: string | null;
  maxVerticalSpeedMps?: number | null;
  maxAltitudeM?: number | null;
  home?: { latitude: number; longitude: number; altitudeM: number | null } | null;
  takeoff?: { latitude: number; longitude: number } | null;
  landing?: { latitude: number; longitude: number } | null;
  batteryCycles?: number | null;
  minVoltageV?: number | null;
  batteryMinTemperatureC?: number | null;
  batteryMaxTemperatureC?: number | null;
  photoCount?: number | null;
  videoCount?: number | null;
  app?: string | null;
  firmware?: string | null;
  logVersion?: number | null;
  frameCount?: number | null;
  messages?: FlightMessageDto[];
  importedAt?: string | null;
}

export interface FlightPatch {
  name?: string | null;
  notes?: string | null;
  color?: string | null;
  tags?: string[];
}

/** Columnar telemetry: `t` is ms since flight start; each series has t.length values (null = no data). */
export interface TelemetryResponse {
  t: number[];
  series: Record<string, (number | null)[]>;
  /** Per-cell voltages, when the log has them: one column per cell. */
  cells?: (number | null)[][] | null;
  from?: number;
  to?: number;
  points?: number;
  /** Rows in the flight before downsampling. */
  totalPoints?: number;
}

/** [lon, lat, heightM, tMs] */
export type TrackPoint = [number, number, number, number];
export interface TrackResponse {
  points: TrackPoint[];
}

export interface NamedCount {
  name: string;
  /** Serial or key to filter by; equals name when the API has no serial. */
  value?: string;
  count?: number;
}

export type ImportStatus = 'imported' | 'duplicate' | 'failed' | 'awaiting-key' | 'pending';

export interface ImportFileResult {
  fileName: string;
  status: ImportStatus;
  reason?: string | null;
  flightId?: string | null;
  sha256?: string | null;
}

export interface ImportResponse {
  results: ImportFileResult[];
}

export interface ImportLedgerEntry extends ImportFileResult {
  id?: string;
  at?: string;
  size?: number;
}

export interface AppConfig {
  mapStyleUrl?: string | null;
  djiApiKeyConfigured?: boolean;
  version?: string;
}

export interface ApiErrorBody {
  error: string;
  message: string;
}
