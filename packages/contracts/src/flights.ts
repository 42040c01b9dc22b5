import { Type, type Static, type TOptional } from '@sinclair/typebox';
import { Nullable, NullableNumber, PageInfo, PageQuery, SortOrder, StringEnum } from './common.js';

/**
 * Flights: list, detail, telemetry, track, edit, and the filter catalogues (tags, aircraft, batteries).
 * Times are UTC ISO-8601 strings; durations in seconds; distances in metres; speeds in m/s.
 */

// ---------------------------------------------------------------------------------------------
// Point limits (documented in the OpenAPI descriptions and shared with the web app)
// ---------------------------------------------------------------------------------------------

/** Telemetry rows returned per request unless `points` says otherwise (≈ a wide chart, 2 per pixel). */
export const TELEMETRY_POINTS_DEFAULT = 2000;
/** Upper bound of `points` for telemetry. */
export const TELEMETRY_POINTS_MAX = 20_000;
/** Map track points returned unless `points` says otherwise. */
export const TRACK_POINTS_DEFAULT = 1500;
/** Upper bound of `points` for the track. */
export const TRACK_POINTS_MAX = 10_000;

// ---------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------

/** `manual` tags are set by the pilot (PATCH replaces them); `auto` tags come from the importer. */
export const TagKind = Type.Union([Type.Literal('manual'), Type.Literal('auto')]);
export type TagKind = Static<typeof TagKind>;

export const FlightTag = Type.Object({
  name: Type.String(),
  kind: TagKind,
});
export type FlightTag = Static<typeof FlightTag>;

/** Longest manual tag, in characters. */
export const TAG_MAX_LENGTH = 40;
/** Most manual tags on one flight. */
export const TAGS_MAX_PER_FLIGHT = 50;

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

export const FLIGHT_SORT_FIELDS = ['startTime', 'duration', 'distance', 'maxHeight', 'name'] as const;
export const FlightSortField = StringEnum(FLIGHT_SORT_FIELDS, {
  description: 'Sort key (default startTime). Flights without a value for it come last in both directions; ties are broken by id.',
});
export type FlightSortField = Static<typeof FlightSortField>;

/** Checked by the api with a message that explains the format (a schema `pattern` error would quote a regex). */
const DateOrDateTime = Type.String({
  maxLength: 40,
  description:
    'A calendar day `YYYY-MM-DD` (UTC day, inclusive) or an instant `YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]` (exact bound; no offset means UTC). ' +
    'Send an instant with your offset to filter by local days.',
  examples: ['2024-09-01', '2024-09-01T00:00:00+02:00'],
});

const StringList = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
    maxItems: 100,
    description: `${description} Repeat the parameter or separate values with commas.`,
  });

export const FlightListQuery = Type.Object({
    ...PageQuery.properties,
    sort: Type.Optional(FlightSortField),
    order: Type.Optional(SortOrder),
    from: Type.Optional(DateOrDateTime),
    to: Type.Optional(DateOrDateTime),
    aircraft: Type.Optional(StringList('Aircraft serial numbers (any of).')),
    battery: Type.Optional(StringList('Battery serial numbers (any of).')),
    tag: Type.Optional(StringList('Tags, compared case-insensitively; see `tagMatch`.')),
    tagMatch: Type.Optional(StringEnum(['any', 'all'], { description: 'Whether a flight needs any (default) or all of the `tag` values.' })),
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Free text, case-insensitive substring of the name (or its default), notes, aircraft name/model or file name.',
      }),
    ),
});
export type FlightListQuery = Static<typeof FlightListQuery>;

export const FlightSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String({
    description: 'The pilot\'s name for the flight, or a default "<aircraft model> · <UTC start YYYY-MM-DD HH:MM>" when none is set.',
  }),
  customName: Nullable(Type.String({ description: 'The name set by the pilot (null when `name` is the default).' })),
  startTime: Type.String({ format: 'date-time' }),
  endTime: Nullable(Type.String({ format: 'date-time' })),
  localTimeZone: Nullable(
    Type.String({
      description: 'IANA time zone at the home point (offline lookup), e.g. Europe/Berlin, to show times as flown; null when unknown.',
    }),
  ),
  durationS: Nullable(Type.Number()),
  distanceM: Nullable(Type.Number({ description: 'Length of the flown track.' })),
  maxHeightM: Nullable(Type.Number({ description: 'Above take-off.' })),
  maxHorizontalSpeedMps: Nullable(Type.Number()),
  maxDistanceFromHomeM: Nullable(Type.Number()),
  aircraftName: Nullable(Type.String()),
  aircraftModel: Nullable(Type.String()),
  aircraftSerial: Nullable(Type.String()),
  batterySerial: Nullable(Type.String()),
  homeLat: Nullable(Type.Number()),
  homeLon: Nullable(Type.Number()),
  photoCount: Type.Integer(),
  videoCount: Type.Integer(),
  batteryStartPercent: Nullable(Type.Number()),
  batteryEndPercent: Nullable(Type.Number()),
  fileName: Nullable(Type.String()),
  color: Nullable(Type.String({ description: '#rrggbb' })),
  tags: Type.Array(FlightTag),
});
export type FlightSummary = Static<typeof FlightSummary>;

/** Aggregates over every flight matching the filters (all pages), computed from the flights table. */
export const FlightTotals = Type.Object({
  flights: Type.Integer(),
  durationS: Type.Number(),
  distanceM: Type.Number(),
  maxHeightM: Nullable(Type.Number()),
});
export type FlightTotals = Static<typeof FlightTotals>;

export const FlightListResponse = Type.Object({
  ...PageInfo.properties,
  items: Type.Array(FlightSummary),
  totals: FlightTotals,
});
export type FlightListResponse = Static<typeof FlightListResponse>;

// ---------------------------------------------------------------------------------------------
// Detail
// ---------------------------------------------------------------------------------------------

export const FlightMessage = Type.Object({
  tMs: Type.Integer({ description: 'Milliseconds since the start of the flight.' }),
  severity: Type.String({ description: 'tip | warning | caution' }),
  text: Type.String(),
});
export type FlightMessage = Static<typeof FlightMessage>;

export const ParseWarning = Type.Object({
  code: Type.String(),
  count: Type.Integer(),
  message: Type.String(),
});
export type ParseWarning = Static<typeof ParseWarning>;

export const FlightDetail = Type.Object({
    ...FlightSummary.properties,
    notes: Nullable(Type.String()),
    fileSize: Nullable(Type.Integer()),
    sourceFormat: Type.String(),
    logVersion: Nullable(Type.Integer()),
    productType: Nullable(Type.String()),
    cameraSerial: Nullable(Type.String()),
    rcSerial: Nullable(Type.String()),
    homeAltitudeM: Nullable(Type.Number()),
    homeSource: Nullable(Type.String({ description: 'recorded | first-fix' })),
    takeoffLat: Nullable(Type.Number()),
    takeoffLon: Nullable(Type.Number()),
    landingLat: Nullable(Type.Number()),
    landingLon: Nullable(Type.Number()),
    maxAltitudeM: Nullable(Type.Number()),
    maxVerticalSpeedMps: Nullable(Type.Number()),
    batteryCycles: Nullable(Type.Integer({ description: 'Charge cycles the battery reported during the flight (highest value).' })),
    batteryDesignCapacityMah: Nullable(Type.Number({ description: 'Design capacity the smart battery reported, mAh.' })),
    batteryMinTempC: Nullable(Type.Number()),
    batteryMaxTempC: Nullable(Type.Number()),
    minVoltageV: Nullable(Type.Number()),
    app: Nullable(Type.String()),
    firmware: Nullable(Type.String()),
    place: Nullable(Type.String()),
    frameCount: Type.Integer(),
    gpsFrameCount: Type.Integer(),
    importedAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    messages: Type.Array(FlightMessage),
    parseWarnings: Type.Array(ParseWarning),
});
export type FlightDetail = Static<typeof FlightDetail>;

// ---------------------------------------------------------------------------------------------
// Edit
// ---------------------------------------------------------------------------------------------

export const FlightPatchBody = Type.Object(
  {
    name: Type.Optional(
      Nullable(Type.String({ maxLength: 200, description: 'Up to 200 characters; null or "" restores the default name.' })),
    ),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 10_000, description: 'Up to 10 000 characters; null or "" clears.' }))),
    color: Type.Optional(
      Nullable(Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'Hex colour #rrggbb, e.g. #1e90ff; null clears.' })),
    ),
    tags: Type.Optional(
      Type.Array(Type.String({ maxLength: TAG_MAX_LENGTH }), {
        maxItems: TAGS_MAX_PER_FLIGHT,
        description:
          `Replaces all manual tags (auto tags stay). Each 1–${TAG_MAX_LENGTH} characters after trimming, no commas; ` +
          'duplicates (case-insensitive) are merged; [] removes all manual tags.',
      }),
    ),
  },
  { minProperties: 1, additionalProperties: false, description: 'Send only the fields to change (at least one); no other fields.' },
);
export type FlightPatchBody = Static<typeof FlightPatchBody>;

// ---------------------------------------------------------------------------------------------
// Telemetry
// ---------------------------------------------------------------------------------------------

/** Numeric telemetry series, named as in @dronelog/flightlog's TELEMETRY_NUMERIC_FIELDS (kept in sync by a test in apps/api). */
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

/** Every field `GET /flights/:id/telemetry` accepts in `fields`. */
export const TELEMETRY_FIELDS = [...TELEMETRY_NUMERIC_FIELDS, 'cellVoltages', 'flightMode', 'isPhoto', 'isVideo'] as const;
export type TelemetryField = (typeof TELEMETRY_FIELDS)[number];

/** Fields returned when `fields` is omitted. */
export const DEFAULT_TELEMETRY_FIELDS: readonly TelemetryField[] = [
  'heightM', 'horizontalSpeedMps', 'verticalSpeedMps', 'distanceFromHomeM', 'batteryPercent',
];

/**
 * Series kept as picked samples (the value of a real row at the returned time) when downsampling:
 * positions, headings that wrap at ±180°, and non-numeric series. Everything else keeps its
 * per-bucket minimum and maximum.
 */
export const TELEMETRY_SAMPLED_FIELDS: readonly TelemetryField[] = ['latitude', 'longitude', 'yawDeg', 'gimbalYawDeg', 'cellVoltages', 'flightMode'];

export const TelemetryQuery = Type.Object({
  fields: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), {
      maxItems: 64,
      description: `Series to return, comma-separated or repeated; default ${DEFAULT_TELEMETRY_FIELDS.join(',')}. Valid: ${TELEMETRY_FIELDS.join(', ')}.`,
    }),
  ),
  points: Type.Optional(
    Type.Integer({
      minimum: 2,
      maximum: TELEMETRY_POINTS_MAX,
      default: TELEMETRY_POINTS_DEFAULT,
      description: `Most rows to return (default ${TELEMETRY_POINTS_DEFAULT}, max ${TELEMETRY_POINTS_MAX}); more rows than this are downsampled.`,
    }),
  ),
  from: Type.Optional(Type.Integer({ description: 'Window start, ms since flight start (inclusive) — for zooming.' })),
  to: Type.Optional(Type.Integer({ description: 'Window end, ms since flight start (inclusive).' })),
});
export type TelemetryQuery = Static<typeof TelemetryQuery>;

/** Telemetry arrays hold up to 20 000 × 35 values: `nullable` serializes about twice as fast as anyOf. */
const SeriesValue = NullableNumber();
const NumberSeries = Type.Array(SeriesValue);
const numericSeries = Object.fromEntries(TELEMETRY_NUMERIC_FIELDS.map((f) => [f, Type.Optional(NumberSeries)])) as {
  [K in TelemetryNumericField]: TOptional<typeof NumberSeries>;
};

export const TelemetrySeries = Type.Object(
  {
    ...numericSeries,
    isPhoto: Type.Optional(Type.Array(SeriesValue, { description: '1 on rows where a photo was taken, else 0.' })),
    isVideo: Type.Optional(Type.Array(SeriesValue, { description: '1 while recording, else 0.' })),
    cellVoltages: Type.Optional(Type.Array(Nullable(Type.Array(SeriesValue)), { description: 'Volts per cell.' })),
    flightMode: Type.Optional(Type.Array(Nullable(Type.String()))),
  },
  { description: 'One array per requested field, each as long as `t`; null = not recorded.' },
);
export type TelemetrySeries = Static<typeof TelemetrySeries>;

export const TelemetryResponse = Type.Object(
  {
    t: Type.Array(Type.Integer(), { description: 'Milliseconds since flight start, non-decreasing; shared x axis of every series.' }),
    series: TelemetrySeries,
    points: Type.Integer({ description: 'Rows returned (length of `t`).' }),
    totalPoints: Type.Integer({ description: 'Rows recorded in the requested window before downsampling.' }),
    bucketMs: Type.Integer({ description: 'Width of a downsampling bucket in ms; 0 when the rows are returned as recorded.' }),
  },
  {
    description:
      'Columnar telemetry for uPlot. When the window holds more rows than `points`, it is cut into ⌊points/2⌋ equal time buckets ' +
      'and each bucket yields up to 2 rows at the times of its first and last recorded row. Envelope series carry the bucket minimum ' +
      'and maximum (in the order they occurred), so every spike and the global min/max survive; picked series (lat/lon, yaw, gimbal yaw, ' +
      'cell voltages, flight mode) carry the values recorded at exactly those times, never an average.',
  },
);
export type TelemetryResponse = Static<typeof TelemetryResponse>;

// ---------------------------------------------------------------------------------------------
// Track
// ---------------------------------------------------------------------------------------------

export const TrackQuery = Type.Object({
  points: Type.Optional(
    Type.Integer({
      minimum: 3,
      maximum: TRACK_POINTS_MAX,
      default: TRACK_POINTS_DEFAULT,
      description: `Most points to return (default ${TRACK_POINTS_DEFAULT}, max ${TRACK_POINTS_MAX}).`,
    }),
  ),
});
export type TrackQuery = Static<typeof TrackQuery>;

export const TrackPoint = Type.Tuple([Type.Number(), Type.Number(), NullableNumber(), Type.Integer()], {
  description: '[longitude, latitude, heightM (above take-off, null if unknown), tMs since flight start]',
});
export type TrackPoint = Static<typeof TrackPoint>;

export const TrackResponse = Type.Object(
  {
    track: Type.Array(TrackPoint),
    points: Type.Integer({ description: 'Points returned.' }),
    totalPoints: Type.Integer({ description: 'Rows with a valid GPS position.' }),
  },
  {
    description:
      'Map track: only rows with a valid position (finite, in range, not 0,0). When there are more than `points`, the rows are cut ' +
      'into ⌊(points−1)/2⌋ buckets of equal row count and each keeps its first point and its point farthest from the chord between ' +
      'its first and last points (corners survive); the very last point is always kept.',
  },
);
export type TrackResponse = Static<typeof TrackResponse>;

// ---------------------------------------------------------------------------------------------
// Filter catalogues
// ---------------------------------------------------------------------------------------------

export const TagCount = Type.Object({
  name: Type.String(),
  count: Type.Integer({ description: 'Flights with this tag.' }),
  kinds: Type.Array(TagKind),
});
export type TagCount = Static<typeof TagCount>;
export const TagListResponse = Type.Object({ items: Type.Array(TagCount) });
export type TagListResponse = Static<typeof TagListResponse>;

export const AircraftSummary = Type.Object({
  serial: Type.String(),
  name: Nullable(Type.String({ description: 'Name given in the app, from the latest flight that has one.' })),
  model: Nullable(Type.String()),
  flightCount: Type.Integer(),
  totalDurationS: Type.Number(),
  lastFlightAt: Type.String({ format: 'date-time' }),
});
export type AircraftSummary = Static<typeof AircraftSummary>;
export const AircraftListResponse = Type.Object({ items: Type.Array(AircraftSummary) });
export type AircraftListResponse = Static<typeof AircraftListResponse>;

export const BatterySummary = Type.Object({
  serial: Type.String(),
  aircraftModel: Nullable(Type.String({ description: 'Model of the aircraft it flew in most recently.' })),
  flightCount: Type.Integer(),
  totalDurationS: Type.Number(),
  maxCycles: Nullable(Type.Integer({ description: 'Highest charge-cycle count seen.' })),
  lastFlightAt: Type.String({ format: 'date-time' }),
});
export type BatterySummary = Static<typeof BatterySummary>;
export const BatteryListResponse = Type.Object({ items: Type.Array(BatterySummary) });
export type BatteryListResponse = Static<typeof BatteryListResponse>;
