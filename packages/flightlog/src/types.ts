/**
 * The normalised flight: what every log format is turned into.
 * Units are SI throughout (m, m/s, degrees, °C, V, A, mAh, %); times are UTC.
 * Telemetry is columnar (one typed array per field, all the same length) so it can be
 * transferred out of a worker without copying and appended to DuckDB column by column.
 * Missing values are NaN in the numeric columns and null in the others.
 */

/** The CSV formats `parseFlightLog` reads (detected by content, never by file name). */
export type CsvFormat = 'litchi-csv' | 'airdata-csv' | 'phantomhelp-csv' | 'dronelog-csv';
/** Every format `parseFlightLog` reads; stored by the API as flights.source_format. */
export type LogFormat = 'dji-txt' | CsvFormat;
export const LOG_FORMATS: readonly LogFormat[] = ['dji-txt', 'litchi-csv', 'airdata-csv', 'phantomhelp-csv', 'dronelog-csv'];

/** What a log says about itself before any frame is decoded (cheap to read, works for v13+ without keys). */
export interface LogHeader {
  format: LogFormat;
  /** DJI log format version (1–14+); 0 for CSV formats (a Dronelog CSV keeps the version of the log it came from). */
  version: number;
  /** True when frames are AES-encrypted and need keychains from DJI (v13+). */
  encrypted: boolean;
  /** As set by the pilot: cut at the first NUL, trimmed, any script (CJK names are common). */
  aircraftName: string | null;
  /** Human name of the model, e.g. "Mini 4 Pro"; raw numbers are named where known ("Air 3" for 120). */
  aircraftModel: string | null;
  /** The parser's raw productType: enum name ("Mavic2") or, for ids it does not know, the number as a string ("120"). */
  productType: string | null;
  aircraftSerial: string | null;
  batterySerial: string | null;
  cameraSerial: string | null;
  rcSerial: string | null;
  /** UTC start time as ISO-8601, or null if the header has none. */
  startTime: string | null;
  /** Duration recorded in the header, seconds. */
  durationS: number | null;
  /** Distance recorded in the header, metres (already converted from km for DJI Fly / Pilot logs;
   * DJI GO / GO 4 logs, even v14 ones, store metres). */
  distanceM: number | null;
  maxHeightM: number | null;
  /** Header lat/lon only when plausible (not 0,0, not garbage). Often ~0 when the GPS fix came after
   * take-off; prefer metadata.takeoff / home. */
  latitude: number | null;
  longitude: number | null;
  /** e.g. "DJIFly 1.13.10", "Android 4.3.4"; unknown platform numbers as "Platform 5 4.2.16". */
  app: string | null;
  /** Street/city/area as recorded by the app, when present. */
  place: string | null;
}

/** The request body DJI's keychain API takes (built by the parser from the log's KeyStorage records). */
export interface KeychainRequest {
  version: number;
  department: number;
  keychainsArray: Array<Array<{ featurePoint: string; aesCiphertext: string }>>;
}

/** DJI's answer: one group of feature-point keys per keychain group in the log. */
export type Keychains = Array<Array<{ featurePoint: string; aesKey: string; aesIv: string }>>;

/**
 * Supplies keychains for encrypted (v13+) logs. Implemented outside this package
 * (cache in the database, then HTTP to DJI) so parsing stays pure.
 * Throw to abort; the error is reported as the reason the log could not be decoded.
 */
export interface KeyProvider {
  getKeychains(request: KeychainRequest, header: LogHeader): Promise<Keychains>;
}

export interface ParseOptions {
  /** Needed for v13+ logs. Without it, such a log fails with code 'keychain-required'. */
  keyProvider?: KeyProvider;
  /** Called once the header is read, before keys are requested and frames decoded; awaited. Throw to
   * abort (e.g. duplicate): parseFlightLog rethrows the error unchanged. */
  onHeader?: (header: LogHeader) => void | Promise<void>;
  /** Original file name; used for hints only, never as a path. */
  fileName?: string;
}

export interface FlightMetadata {
  aircraftName: string | null;
  aircraftModel: string | null;
  productType: string | null;
  aircraftSerial: string | null;
  batterySerial: string | null;
  cameraSerial: string | null;
  rcSerial: string | null;
  /** UTC ISO-8601 start time of the first frame, from the frames' own clock (custom.dateTime, ms
   * precision); the header's start time when frames carry no clock. */
  startTime: string;
  /** UTC ISO-8601 end time of the last frame. */
  endTime: string;
  durationS: number;
  /** Home point as recorded by the aircraft (DJI home record), else the first valid GPS fix. */
  home: { latitude: number; longitude: number; altitudeM: number | null; source: 'recorded' | 'first-fix' } | null;
  /** Take-off point: first valid GPS fix. */
  takeoff: { latitude: number; longitude: number } | null;
  /** Landing point: last valid GPS fix. */
  landing: { latitude: number; longitude: number } | null;
  /** Haversine sum over the filtered track, metres, leaving out steps where the aircraft reported zero
   * horizontal speed at both ends (GPS jitter while standing still). */
  distanceM: number;
  maxHeightM: number | null;
  maxAltitudeM: number | null;
  maxHorizontalSpeedMps: number | null;
  maxVerticalSpeedMps: number | null;
  maxDistanceFromHomeM: number | null;
  photoCount: number;
  videoCount: number;
  /** First and last known battery % (ignores the 0 % frames before the first battery record). */
  batteryStartPercent: number | null;
  batteryEndPercent: number | null;
  /** Charge cycles the battery reported (DJI CenterBattery / SmartBatteryStatic records, PhantomHelp CSV
   * `timesCharged`); the highest value seen in the flight. Null when the log has none. */
  batteryCycles: number | null;
  /** Design (nominal) capacity the smart battery reported, mAh (DJI SmartBatteryStatic records); null when absent.
   * The full-charge capacity it still holds is the telemetry column batteryFullCapacityMah. */
  batteryDesignCapacityMah: number | null;
  batteryMinTemperatureC: number | null;
  batteryMaxTemperatureC: number | null;
  /** First battery temperature reading, °C (the "cold battery" smart tag looks at it). */
  batteryStartTemperatureC: number | null;
  minVoltageV: number | null;
  app: string | null;
  /** Not exposed by dji-log-parser frames: currently always null for DJI logs. */
  firmware: string | null;
  logVersion: number;
  frameCount: number;
  /** Frames with a valid GPS position after filtering. */
  gpsFrameCount: number;
  place: string | null;
}

export const TELEMETRY_NUMERIC_FIELDS = [
  'latitude', 'longitude',
  'heightM', 'vpsHeightM', 'altitudeM', 'distanceFromHomeM',
  'horizontalSpeedMps', 'verticalSpeedMps', 'velocityNorthMps', 'velocityEastMps', 'velocityDownMps',
  'pitchDeg', 'rollDeg', 'yawDeg',
  'gimbalPitchDeg', 'gimbalRollDeg', 'gimbalYawDeg',
  'batteryPercent', 'batteryVoltageV', 'batteryCurrentA', 'batteryTemperatureC',
  'batteryFullCapacityMah', 'batteryRemainingCapacityMah',
  'satellites', 'gpsLevel',
  'rcAileron', 'rcElevator', 'rcThrottle', 'rcRudder', 'rcUplinkPercent', 'rcDownlinkPercent',
] as const;
export type TelemetryNumericField = (typeof TELEMETRY_NUMERIC_FIELDS)[number];

export interface Telemetry {
  /** Number of rows; every column has this length. */
  length: number;
  /** Milliseconds since metadata.startTime, from the frames' own clocks; non-decreasing (a clock that
   * goes backwards is held and reported as a 'time-backwards' warning). */
  timeMs: Float64Array;
  /**
   * Numeric columns; NaN = not recorded / filtered. lat/lon are NaN where the GPS was rejected.
   * Velocities: North/East/Down as DJI logs them; verticalSpeedMps is positive up (= −down).
   * RC sticks: −100 … +100 (raw 364 … 1684, centre 1024). RC link and battery in %.
   * Headings (yaw, gimbal yaw) in (−180, 180].
   */
  numeric: Record<TelemetryNumericField, Float64Array>;
  /** Cell voltages in V per row (null when the log has none for that frame). */
  cellVoltages: Array<number[] | null>;
  /** Flight mode name per row, e.g. "GPSAtti", "GoHome" (null when unknown). */
  flightMode: Array<string | null>;
  /** 1 on the frame a photo was taken (rising edge). */
  isPhoto: Uint8Array;
  /** 1 while recording video. */
  isVideo: Uint8Array;
}

export type MessageSeverity = 'tip' | 'warning' | 'caution';
export interface FlightMessage {
  timeMs: number;
  severity: MessageSeverity;
  text: string;
}

/** Why some frames or values were dropped; counts per reason. */
export interface ParseWarning {
  code:
    | 'gps-zero' | 'gps-out-of-range' | 'gps-jump' | 'gps-nan'
    | 'time-backwards' | 'time-estimated'
    | 'value-out-of-range' | 'battery-implausible' | 'battery-records-unreadable' | 'battery-info-unreadable' | 'home-implausible'
    | 'frame-corrupt' | 'truncated'
    | string;
  count: number;
  message: string;
}

/**
 * What the pilot added to a flight in Dronelog, carried by a Dronelog CSV export so that a re-import restores
 * it. Tags here are the manual ones (auto tags are recomputed on import).
 */
export interface FlightExtras {
  name?: string | null;
  notes?: string | null;
  /** #rrggbb */
  color?: string | null;
  tags?: string[];
}

export interface ParsedFlight {
  header: LogHeader;
  metadata: FlightMetadata;
  telemetry: Telemetry;
  messages: FlightMessage[];
  warnings: ParseWarning[];
  /** Only for re-imported Dronelog CSV exports: name, notes, colour and manual tags to restore. */
  extras?: FlightExtras;
}
