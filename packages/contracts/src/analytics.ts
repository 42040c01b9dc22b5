import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from './common.js';
import { FlightListQuery } from './flights.js';

/**
 * Analytics over the logbook: the overview dashboard (computed from the `flights` table only — per-flight
 * aggregates are stored at import, telemetry is never scanned on a dashboard load) and the events timeline
 * of one flight (derived from that flight's telemetry and messages).
 */

// ---------------------------------------------------------------------------------------------
// Filters shared by overview, exports and the report
// ---------------------------------------------------------------------------------------------

/** The filters of `GET /flights` without paging and sorting; the same filter → SQL code applies them. */
export const FlightFilterQuery = Type.Omit(FlightListQuery, ['limit', 'offset', 'cursor', 'sort', 'order']);
export type FlightFilterQuery = Static<typeof FlightFilterQuery>;

// ---------------------------------------------------------------------------------------------
// Overview
// ---------------------------------------------------------------------------------------------

/** Days in the activity calendar. */
export const OVERVIEW_ACTIVITY_DAYS = 365;
/** Most take-off points returned for the cluster map (the most recent flights first). */
export const OVERVIEW_TAKEOFF_POINTS_MAX = 5000;
/** Flights per top list. */
export const OVERVIEW_TOP_N = 3;
/** Duration band limits in seconds: < 10 min, 10–20 min (inclusive), > 20 min. */
export const DURATION_BAND_LIMITS_S = [600, 1200] as const;

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar day YYYY-MM-DD.' });

export const OverviewQuery = Type.Object({
  ...FlightFilterQuery.properties,
  activityTo: Type.Optional(
    Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: `Last day (YYYY-MM-DD) of the ${OVERVIEW_ACTIVITY_DAYS}-day activity calendar. Default: the day of \`to\` when given, else today (UTC).`,
    }),
  ),
});
export type OverviewQuery = Static<typeof OverviewQuery>;

export const TimeBasis = StringEnum(['local', 'utc', 'mixed'], {
  description:
    '`local`: every flight was placed by its local start time (offline time-zone lookup at import); `utc`: the logbook has no local ' +
    'times yet, so UTC is used; `mixed`: local where known, UTC for `utcFallbackFlights` flights without a position.',
});
export type TimeBasis = Static<typeof TimeBasis>;

export const OverviewTotals = Type.Object({
  flights: Type.Integer(),
  durationS: Type.Number(),
  distanceM: Type.Number(),
  photos: Type.Integer(),
  videos: Type.Integer(),
  aircraft: Type.Integer({ description: 'Distinct aircraft serials.' }),
  batteries: Type.Integer({ description: 'Distinct battery serials.' }),
});
export type OverviewTotals = Static<typeof OverviewTotals>;

export const OverviewRecords = Type.Object({
  maxHeightM: Nullable(Type.Number({ description: 'Highest height above take-off of any flight.' })),
  maxDistanceFromHomeM: Nullable(Type.Number()),
  maxHorizontalSpeedMps: Nullable(Type.Number()),
  avgDurationS: Nullable(Type.Number({ description: 'Mean over flights with a duration.' })),
  avgDistanceM: Nullable(Type.Number({ description: 'Mean over flights with a distance.' })),
  avgSpeedMps: Nullable(Type.Number({ description: 'Total distance ÷ total duration of the flights that have both.' })),
});
export type OverviewRecords = Static<typeof OverviewRecords>;

export const ActivityDay = Type.Object({
  date: Day,
  flights: Type.Integer(),
  durationS: Type.Number(),
});
export type ActivityDay = Static<typeof ActivityDay>;

export const OverviewActivity = Type.Object(
  {
    from: Day,
    to: Day,
    days: Type.Array(ActivityDay, { description: `Exactly ${OVERVIEW_ACTIVITY_DAYS} days, oldest first, zeros included.` }),
  },
  { description: 'Flights per day (local day of the take-off, see `hourOfDay.timeBasis`) over the window.' },
);
export type OverviewActivity = Static<typeof OverviewActivity>;

export const BreakdownItem = Type.Object({
  serial: Nullable(Type.String({ description: 'null groups the flights without a serial.' })),
  name: Type.String({ description: 'Display name (equipment rename), else the name in the app, else the serial.' }),
  model: Nullable(Type.String()),
  flights: Type.Integer(),
  durationS: Type.Number(),
});
export type BreakdownItem = Static<typeof BreakdownItem>;

export const DURATION_BANDS = ['under-10-min', '10-to-20-min', 'over-20-min'] as const;
export const DurationBand = Type.Object({
  band: StringEnum(DURATION_BANDS),
  minS: Type.Number({ description: 'Inclusive lower bound.' }),
  maxS: Nullable(Type.Number({ description: 'Upper bound (exclusive for the first band, inclusive for the second); null = open.' })),
  flights: Type.Integer(),
  durationS: Type.Number(),
});
export type DurationBand = Static<typeof DurationBand>;

export const HourBucket = Type.Object({
  hour: Type.Integer({ minimum: 0, maximum: 23 }),
  flights: Type.Integer(),
  durationS: Type.Number(),
});
export type HourBucket = Static<typeof HourBucket>;

export const OverviewHourOfDay = Type.Object({
  timeBasis: TimeBasis,
  utcFallbackFlights: Type.Integer({ description: 'Flights placed by UTC because their local time is unknown.' }),
  hours: Type.Array(HourBucket, { description: '24 entries, hour 0 first.' }),
});
export type OverviewHourOfDay = Static<typeof OverviewHourOfDay>;

export const TakeoffPoint = Type.Tuple([Type.Integer(), Type.Number(), Type.Number()], {
  description: '[flight id, latitude, longitude]',
});
export type TakeoffPoint = Static<typeof TakeoffPoint>;

export const OverviewTakeoffs = Type.Object(
  {
    points: Type.Array(TakeoffPoint),
    total: Type.Integer({ description: 'Flights with a take-off (or home) position.' }),
    limit: Type.Integer(),
    truncated: Type.Boolean({ description: 'True when `total` > `limit`: only the most recent `limit` flights are returned.' }),
  },
  {
    description:
      `Take-off positions for a cluster map: the recorded take-off point, else the home point. At most ${OVERVIEW_TAKEOFF_POINTS_MAX} ` +
      '(the most recent flights).',
  },
);
export type OverviewTakeoffs = Static<typeof OverviewTakeoffs>;

export const TopFlight = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  startTime: Type.String({ format: 'date-time' }),
  localTimeZone: Nullable(Type.String({ description: 'IANA time zone at the home point, to show the date as flown; null when unknown.' })),
  value: Type.Number({ description: 'Seconds (longest), metres from home (furthest) or metres above take-off (highest).' }),
});
export type TopFlight = Static<typeof TopFlight>;

export const OverviewTopFlights = Type.Object({
  longest: Type.Array(TopFlight, { description: 'By duration.' }),
  furthest: Type.Array(TopFlight, { description: 'By maximum distance from home.' }),
  highest: Type.Array(TopFlight, { description: 'By maximum height above take-off.' }),
});
export type OverviewTopFlights = Static<typeof OverviewTopFlights>;

export const OverviewResponse = Type.Object(
  {
    totals: OverviewTotals,
    records: OverviewRecords,
    activity: OverviewActivity,
    byAircraft: Type.Array(BreakdownItem, { description: 'Most flights first.' }),
    byBattery: Type.Array(BreakdownItem, { description: 'Most flights first.' }),
    durationBands: Type.Array(DurationBand, { description: 'Flights without a duration are in no band.' }),
    hourOfDay: OverviewHourOfDay,
    takeoffs: OverviewTakeoffs,
    topFlights: OverviewTopFlights,
  },
  { description: 'Every widget follows the same filters as GET /flights. Computed from the flights table only.' },
);
export type OverviewResponse = Static<typeof OverviewResponse>;

// ---------------------------------------------------------------------------------------------
// Events timeline of one flight
// ---------------------------------------------------------------------------------------------

/** Battery % levels whose downward crossing is an event: the first is a warning, the second critical. */
export const LOW_BATTERY_PERCENT = [30, 15] as const;
/** Fewer satellites than this (after the first fix) is a GPS-weak event. */
export const MIN_SATELLITES = 6;
/** Two losses of the same kind less than this apart are one event. */
export const EVENT_MERGE_GAP_MS = 2000;

export const FLIGHT_EVENT_TYPES = [
  'message',
  'mode-change',
  'return-to-home',
  'landing',
  'low-battery',
  'rc-signal-lost',
  'gps-weak',
] as const;
export const FlightEventType = StringEnum(FLIGHT_EVENT_TYPES, {
  description:
    '`message`: a tip/warning/caution the app logged; `mode-change`: the flight mode changed; `return-to-home`: a GoHome mode began; ' +
    '`landing`: an automatic/forced landing mode began; `low-battery`: the battery fell below a LOW_BATTERY_PERCENT level; ' +
    '`rc-signal-lost`: the remote-control link read 0 %; `gps-weak`: fewer than MIN_SATELLITES satellites after the first fix.',
});
export type FlightEventType = Static<typeof FlightEventType>;

export const EventSeverity = StringEnum(['info', 'warning', 'critical']);
export type EventSeverity = Static<typeof EventSeverity>;

export const FlightEvent = Type.Object({
  tMs: Type.Integer({ description: 'Milliseconds since the start of the flight.' }),
  endMs: Nullable(Type.Integer({ description: 'End of a lasting condition (loss, RTH), null for instants or when it lasted to the end.' })),
  type: FlightEventType,
  severity: EventSeverity,
  title: Type.String(),
  detail: Nullable(Type.String()),
});
export type FlightEvent = Static<typeof FlightEvent>;

export const FlightEventsResponse = Type.Object({
  flightId: Type.Integer(),
  events: Type.Array(FlightEvent, { description: 'Ordered by time.' }),
  truncated: Type.Boolean({ description: 'True when a type produced more than 500 events and the rest were left out.' }),
});
export type FlightEventsResponse = Static<typeof FlightEventsResponse>;
