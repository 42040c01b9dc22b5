/**
 * Smart (auto) tags: Open DroneLog's rule set, computed from per-flight aggregates only, so the API can
 * recompute them from its flights table without reading telemetry.
 */
import { countryAt } from '../place/country.js';
import { isCivilNight } from '../place/sun.js';
import { localStartTime } from '../place/time-zone.js';
import type { LogFormat, ParsedFlight } from '../types.js';

export const SMART_TAG_TYPES = [
  'nightFlight', 'highSpeed', 'coldBattery', 'heavyLoad', 'lowBattery', 'highAltitude', 'longDistance',
  'longFlight', 'shortFlight', 'aggressiveFlying', 'noGps', 'country', 'continent', 'source',
] as const;
export type SmartTagType = (typeof SMART_TAG_TYPES)[number];

/** The stable English tag names of the fixed rules (country, continent and source tags are names of their own). */
export const SMART_TAG_NAMES = {
  nightFlight: 'Night Flight',
  highSpeed: 'High Speed',
  coldBattery: 'Cold Battery',
  heavyLoad: 'Heavy Load',
  lowBattery: 'Low Battery',
  highAltitude: 'High Altitude',
  longDistance: 'Long Distance',
  longFlight: 'Long Flight',
  shortFlight: 'Short Flight',
  aggressiveFlying: 'Aggressive Flying',
  noGps: 'No GPS',
} as const satisfies Partial<Record<SmartTagType, string>>;

/** Source tags by log format (Open DroneLog tags Litchi and Airdata imports; PhantomHelp CSVs get one too). */
export const SOURCE_TAGS: Readonly<Partial<Record<LogFormat, string>>> = {
  'litchi-csv': 'Litchi',
  'airdata-csv': 'Airdata',
  'phantomhelp-csv': 'PhantomHelp',
};

/**
 * Night: 'civil-twilight' (default) = the sun more than 6° below the horizon at take-off, mid-flight or
 * landing — the definition aviation rules use (FAA, EASA), right at any latitude and season; 'local-hour' =
 * Open DroneLog's rule, a local take-off hour ≥ nightStartHour or < nightEndHour (real local time here).
 */
export type NightRule = 'civil-twilight' | 'local-hour';

export interface SmartTagThresholds {
  /** High Speed: max horizontal speed above this, m/s. */
  highSpeedMps: number;
  /** Cold Battery: first battery temperature below this, °C. */
  coldBatteryC: number;
  /** Heavy Load: battery used (first % − last %) above this … */
  heavyLoadBatteryUsedPercent: number;
  /** … in a flight shorter than this, s. */
  heavyLoadMaxDurationS: number;
  /** Low Battery: last battery % below this. */
  lowBatteryPercent: number;
  /** High Altitude: max height above take-off (else max altitude) above this, m. */
  highAltitudeM: number;
  /** Long Distance: max distance from home above this, m. */
  longDistanceM: number;
  /** Long Flight: duration above this, s. */
  longFlightS: number;
  /** Short Flight: duration above 0 and below this, s. */
  shortFlightS: number;
  /** Aggressive Flying: average ground speed (distance / duration) above this, m/s. */
  aggressiveAvgSpeedMps: number;
  /** 'local-hour' night rule: night from this local hour (inclusive) … */
  nightStartHour: number;
  /** … until this local hour (exclusive). */
  nightEndHour: number;
}

export interface SmartTagSettings {
  /** Per-type switches; a disabled type is never produced (and regeneration removes it). */
  enabled: Record<SmartTagType, boolean>;
  nightRule: NightRule;
  thresholds: SmartTagThresholds;
}

export const DEFAULT_SMART_TAG_THRESHOLDS: Readonly<SmartTagThresholds> = Object.freeze({
  highSpeedMps: 15,
  coldBatteryC: 15,
  heavyLoadBatteryUsedPercent: 75,
  heavyLoadMaxDurationS: 1200,
  lowBatteryPercent: 15,
  highAltitudeM: 120,
  longDistanceM: 1000,
  longFlightS: 1500,
  shortFlightS: 120,
  aggressiveAvgSpeedMps: 8,
  nightStartHour: 19,
  nightEndHour: 6,
});

/** Fresh defaults (every type on, civil-twilight night, Open DroneLog's thresholds). */
export function defaultSmartTagSettings(): SmartTagSettings {
  return {
    enabled: Object.fromEntries(SMART_TAG_TYPES.map((t) => [t, true])) as Record<SmartTagType, boolean>,
    nightRule: 'civil-twilight',
    thresholds: { ...DEFAULT_SMART_TAG_THRESHOLDS },
  };
}

/**
 * Settings from stored JSON (possibly partial, older or hand-edited): every valid field is taken, anything
 * missing or invalid falls back to its default. Never throws.
 */
export function resolveSmartTagSettings(stored: unknown): SmartTagSettings {
  const out = defaultSmartTagSettings();
  if (!isObject(stored)) return out;
  if (isObject(stored.enabled)) {
    for (const type of SMART_TAG_TYPES) {
      const v = stored.enabled[type];
      if (typeof v === 'boolean') out.enabled[type] = v;
    }
  }
  if (stored.nightRule === 'civil-twilight' || stored.nightRule === 'local-hour') out.nightRule = stored.nightRule;
  if (isObject(stored.thresholds)) {
    for (const key of Object.keys(DEFAULT_SMART_TAG_THRESHOLDS) as Array<keyof SmartTagThresholds>) {
      const v = stored.thresholds[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) continue;
      if ((key === 'nightStartHour' || key === 'nightEndHour') && !(Number.isInteger(v) && v <= 23)) continue;
      out.thresholds[key] = v;
    }
  }
  return out;
}

/** The per-flight figures the rules look at (all of them are columns of the API's flights table). */
export interface SmartTagFacts {
  format: LogFormat | string;
  /** UTC ISO-8601. */
  startTime: string;
  endTime: string | null;
  durationS: number | null;
  /** Home point, else the take-off point; null without GPS. */
  position: { latitude: number; longitude: number } | null;
  /** Valid GPS positions in the flight. */
  gpsFrameCount: number;
  distanceM: number | null;
  maxHorizontalSpeedMps: number | null;
  maxHeightM: number | null;
  maxAltitudeM: number | null;
  maxDistanceFromHomeM: number | null;
  batteryStartPercent: number | null;
  batteryEndPercent: number | null;
  batteryStartTemperatureC: number | null;
}

/** The facts of a freshly parsed flight. */
export function smartTagFacts(flight: ParsedFlight): SmartTagFacts {
  const m = flight.metadata;
  const point = m.home ?? m.takeoff;
  return {
    format: flight.header.format,
    startTime: m.startTime,
    endTime: m.endTime,
    durationS: m.durationS,
    position: point === null ? null : { latitude: point.latitude, longitude: point.longitude },
    gpsFrameCount: m.gpsFrameCount,
    distanceM: m.distanceM,
    maxHorizontalSpeedMps: m.maxHorizontalSpeedMps,
    maxHeightM: m.maxHeightM,
    maxAltitudeM: m.maxAltitudeM,
    maxDistanceFromHomeM: m.maxDistanceFromHomeM,
    batteryStartPercent: m.batteryStartPercent,
    batteryEndPercent: m.batteryEndPercent,
    batteryStartTemperatureC: m.batteryStartTemperatureC,
  };
}

/**
 * The auto tags of one flight, in a stable order (rules in SMART_TAG_TYPES order), only for enabled types.
 * Thresholds are strict (a value equal to a threshold does not tag), as in Open DroneLog. A rule whose input
 * is unknown (null) does not tag. Night, country and continent need a position: a flight without GPS gets none.
 */
export function computeSmartTags(flight: ParsedFlight | SmartTagFacts, settings: SmartTagSettings = defaultSmartTagSettings()): string[] {
  const f = 'telemetry' in flight ? smartTagFacts(flight) : flight;
  const th = settings.thresholds;
  const on = settings.enabled;
  const tags: string[] = [];
  const add = (type: keyof typeof SMART_TAG_NAMES, when: boolean): void => {
    if (on[type] && when) tags.push(SMART_TAG_NAMES[type]);
  };
  const gt = (v: number | null, limit: number): boolean => v !== null && Number.isFinite(v) && v > limit;
  const lt = (v: number | null, limit: number): boolean => v !== null && Number.isFinite(v) && v < limit;
  const duration = f.durationS !== null && Number.isFinite(f.durationS) ? f.durationS : null;
  const position = f.position !== null && Number.isFinite(f.position.latitude) && Number.isFinite(f.position.longitude) ? f.position : null;

  add('nightFlight', position !== null && isNightFlight(position, f.startTime, f.endTime, settings));
  add('highSpeed', gt(f.maxHorizontalSpeedMps, th.highSpeedMps));
  add('coldBattery', lt(f.batteryStartTemperatureC, th.coldBatteryC));
  const used = f.batteryStartPercent !== null && f.batteryEndPercent !== null ? f.batteryStartPercent - f.batteryEndPercent : null;
  add('heavyLoad', gt(used, th.heavyLoadBatteryUsedPercent) && duration !== null && duration < th.heavyLoadMaxDurationS);
  add('lowBattery', lt(f.batteryEndPercent, th.lowBatteryPercent));
  add('highAltitude', gt(f.maxHeightM ?? f.maxAltitudeM, th.highAltitudeM));
  add('longDistance', gt(f.maxDistanceFromHomeM, th.longDistanceM));
  add('longFlight', gt(duration, th.longFlightS));
  add('shortFlight', duration !== null && duration > 0 && duration < th.shortFlightS);
  const average = duration !== null && duration > 0 && f.distanceM !== null ? f.distanceM / duration : null;
  add('aggressiveFlying', gt(average, th.aggressiveAvgSpeedMps));
  add('noGps', position === null && !(f.gpsFrameCount > 0));

  if ((on.country || on.continent) && position !== null) {
    const place = countryAt(position.latitude, position.longitude);
    if (place !== null && on.country) tags.push(place.country);
    if (place?.continent != null && on.continent) tags.push(place.continent);
  }
  const source = SOURCE_TAGS[f.format as LogFormat];
  if (on.source && source !== undefined) tags.push(source);
  return [...new Set(tags)];
}

function isNightFlight(
  p: { latitude: number; longitude: number },
  startTime: string,
  endTime: string | null,
  settings: SmartTagSettings,
): boolean {
  const start = Date.parse(startTime);
  if (!Number.isFinite(start)) return false;
  if (settings.nightRule === 'local-hour') {
    const local = localStartTime(p.latitude, p.longitude, startTime);
    if (local === null) return false;
    const { nightStartHour: from, nightEndHour: to } = settings.thresholds;
    // A window across midnight (19 → 6) or within one day (0 → 5).
    return from > to ? local.hour >= from || local.hour < to : local.hour >= from && local.hour < to;
  }
  const endParsed = endTime === null ? NaN : Date.parse(endTime);
  const end = Number.isFinite(endParsed) && endParsed >= start ? endParsed : start;
  return [start, (start + end) / 2, end].some((t) => isCivilNight(p.latitude, p.longitude, t));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
