import { Type, type Static } from '@sinclair/typebox';

/**
 * Smart (auto) tags: which rules run at import and on regeneration, and their thresholds. Stored in the
 * `settings` table (key `smart_tags`); defaults apply when nothing is stored. The rules themselves live in
 * @dronelog/flightlog (`computeSmartTags`); tag names are stable English: "Night Flight", "High Speed",
 * "Cold Battery", "Heavy Load", "Low Battery", "High Altitude", "Long Distance", "Long Flight", "Short Flight",
 * "Aggressive Flying", "No GPS", the country ("United States") and continent ("North America") of the home
 * point, and the source of CSV imports ("Litchi", "Airdata", "PhantomHelp").
 */

/** Rule types, in the order their tags are produced (same list as flightlog's SMART_TAG_TYPES; an api test checks). */
export const SMART_TAG_TYPES = [
  'nightFlight', 'highSpeed', 'coldBattery', 'heavyLoad', 'lowBattery', 'highAltitude', 'longDistance',
  'longFlight', 'shortFlight', 'aggressiveFlying', 'noGps', 'country', 'continent', 'source',
] as const;
export type SmartTagType = (typeof SMART_TAG_TYPES)[number];

const enabledProps = Object.fromEntries(SMART_TAG_TYPES.map((t) => [t, Type.Boolean()])) as {
  [K in SmartTagType]: ReturnType<typeof Type.Boolean>;
};

export const SmartTagEnabled = Type.Object(enabledProps, {
  additionalProperties: false,
  description: 'One switch per rule type; a switched-off type is not produced and is removed by POST /api/v1/tags/regenerate.',
});
export type SmartTagEnabled = Static<typeof SmartTagEnabled>;

export const NightRule = Type.Union([Type.Literal('civil-twilight'), Type.Literal('local-hour')], {
  description:
    '`civil-twilight` (default): night when the sun is more than 6° below the horizon at take-off, mid-flight or landing ' +
    '(the aviation definition; right at every latitude and season). `local-hour`: Open DroneLog’s rule, a local take-off ' +
    'hour ≥ nightStartHour or < nightEndHour — with the real local time of the take-off point (time-zone lookup, DST).',
});
export type NightRule = Static<typeof NightRule>;
// (A union of literals, not StringEnum: the PUT body is checked by TypeBox's compiler, which has no Unsafe kinds.)

const nonNegative = (description: string) => Type.Number({ minimum: 0, description });
const hour = (description: string) => Type.Integer({ minimum: 0, maximum: 23, description });

export const SmartTagThresholds = Type.Object(
  {
    highSpeedMps: nonNegative('High Speed: max horizontal speed above this, m/s (default 15).'),
    coldBatteryC: Type.Number({ description: 'Cold Battery: first battery temperature below this, °C (default 15).' }),
    heavyLoadBatteryUsedPercent: nonNegative('Heavy Load: battery used (first % − last %) above this (default 75) …'),
    heavyLoadMaxDurationS: nonNegative('… in a flight shorter than this, s (default 1200).'),
    lowBatteryPercent: nonNegative('Low Battery: last battery % below this (default 15).'),
    highAltitudeM: nonNegative('High Altitude: max height above take-off (else max altitude) above this, m (default 120).'),
    longDistanceM: nonNegative('Long Distance: max distance from home above this, m (default 1000).'),
    longFlightS: nonNegative('Long Flight: duration above this, s (default 1500).'),
    shortFlightS: nonNegative('Short Flight: duration above 0 and below this, s (default 120).'),
    aggressiveAvgSpeedMps: nonNegative('Aggressive Flying: average ground speed (distance / duration) above this, m/s (default 8).'),
    nightStartHour: hour('local-hour night rule: night from this local hour (default 19) …'),
    nightEndHour: hour('… until this local hour, exclusive (default 6).'),
  },
  { additionalProperties: false, description: 'Thresholds are strict: a value equal to a threshold does not tag.' },
);
export type SmartTagThresholds = Static<typeof SmartTagThresholds>;

export const SmartTagSettings = Type.Object(
  { enabled: SmartTagEnabled, nightRule: NightRule, thresholds: SmartTagThresholds },
  { title: 'SmartTagSettings' },
);
export type SmartTagSettings = Static<typeof SmartTagSettings>;

export const SmartTagSettingsResponse = Type.Object(
  {
    settings: SmartTagSettings,
    defaults: SmartTagSettings,
  },
  { title: 'SmartTagSettingsResponse' },
);
export type SmartTagSettingsResponse = Static<typeof SmartTagSettingsResponse>;

/** PUT body: any subset; what is left out keeps its current value. Does not retag existing flights by itself. */
export const SmartTagSettingsUpdate = Type.Object(
  {
    enabled: Type.Optional(Type.Partial(SmartTagEnabled, { additionalProperties: false })),
    nightRule: Type.Optional(NightRule),
    thresholds: Type.Optional(Type.Partial(SmartTagThresholds, { additionalProperties: false })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change; the rest keep their value. New flights use the result; POST /api/v1/tags/regenerate applies it to existing ones.',
  },
);
export type SmartTagSettingsUpdate = Static<typeof SmartTagSettingsUpdate>;

export const TagRegenerateResponse = Type.Object(
  {
    flights: Type.Integer({ minimum: 0, description: 'Flights whose auto tags were recomputed (all of them).' }),
    changed: Type.Integer({ minimum: 0, description: 'Flights whose auto tags changed.' }),
    added: Type.Integer({ minimum: 0, description: 'Auto tags added, all flights together.' }),
    removed: Type.Integer({ minimum: 0, description: 'Auto tags removed (including those of switched-off types).' }),
  },
  { title: 'TagRegenerateResponse', description: 'Manual tags are never touched.' },
);
export type TagRegenerateResponse = Static<typeof TagRegenerateResponse>;
