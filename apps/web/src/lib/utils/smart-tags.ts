/**
 * The smart-tag settings form: which thresholds belong to which rule, labels, and conversion between the
 * stored SI values (m/s, °C, m, s) and what the pilot reads and types (km/h or mph, °C or °F, m or ft, minutes).
 * Only fields the pilot changed are sent back, so a value never drifts through a round trip of unit conversion.
 */
import type { SmartTagSettings, SmartTagThresholds, SmartTagType } from '@dronelog/contracts';
import { M_PER_FT, M_PER_MI, type UnitSystem } from './units.js';

export type ThresholdKey = keyof SmartTagThresholds;
type Kind = 'speed' | 'temperature' | 'length' | 'minutes' | 'percent' | 'hour';

export interface ThresholdField {
  key: ThresholdKey;
  label: string;
  kind: Kind;
}

export interface RuleSpec {
  type: SmartTagType;
  tag: string;
  description: string;
  fields: ThresholdField[];
}

/** Rules in the order the API lists them, with their tag name and thresholds. */
export const RULES: readonly RuleSpec[] = [
  { type: 'nightFlight', tag: 'Night Flight', description: 'Flown in the dark', fields: [] },
  { type: 'highSpeed', tag: 'High Speed', description: 'Max horizontal speed above', fields: [{ key: 'highSpeedMps', label: 'Speed', kind: 'speed' }] },
  { type: 'coldBattery', tag: 'Cold Battery', description: 'First battery temperature below', fields: [{ key: 'coldBatteryC', label: 'Temperature', kind: 'temperature' }] },
  {
    type: 'heavyLoad',
    tag: 'Heavy Load',
    description: 'Battery used above … in a flight shorter than …',
    fields: [
      { key: 'heavyLoadBatteryUsedPercent', label: 'Battery used', kind: 'percent' },
      { key: 'heavyLoadMaxDurationS', label: 'Flight shorter than', kind: 'minutes' },
    ],
  },
  { type: 'lowBattery', tag: 'Low Battery', description: 'Battery at landing below', fields: [{ key: 'lowBatteryPercent', label: 'Battery', kind: 'percent' }] },
  { type: 'highAltitude', tag: 'High Altitude', description: 'Max height above take-off above', fields: [{ key: 'highAltitudeM', label: 'Height', kind: 'length' }] },
  { type: 'longDistance', tag: 'Long Distance', description: 'Max distance from home above', fields: [{ key: 'longDistanceM', label: 'Distance', kind: 'length' }] },
  { type: 'longFlight', tag: 'Long Flight', description: 'Flight time above', fields: [{ key: 'longFlightS', label: 'Duration', kind: 'minutes' }] },
  { type: 'shortFlight', tag: 'Short Flight', description: 'Flight time below', fields: [{ key: 'shortFlightS', label: 'Duration', kind: 'minutes' }] },
  { type: 'aggressiveFlying', tag: 'Aggressive Flying', description: 'Average ground speed above', fields: [{ key: 'aggressiveAvgSpeedMps', label: 'Average speed', kind: 'speed' }] },
  { type: 'noGps', tag: 'No GPS', description: 'No GPS position recorded', fields: [] },
  { type: 'country', tag: 'Country', description: 'Country of the home point, e.g. "Switzerland"', fields: [] },
  { type: 'continent', tag: 'Continent', description: 'Continent of the home point, e.g. "Europe"', fields: [] },
  { type: 'source', tag: 'Source', description: 'App of a CSV import: Litchi, Airdata, PhantomHelp', fields: [] },
];

export const NIGHT_HOURS: readonly ThresholdField[] = [
  { key: 'nightStartHour', label: 'Night from', kind: 'hour' },
  { key: 'nightEndHour', label: 'until', kind: 'hour' },
];

export function unitLabel(kind: Kind, system: UnitSystem): string {
  const imp = system === 'imperial';
  switch (kind) {
    case 'speed':
      return imp ? 'mph' : 'km/h';
    case 'temperature':
      return imp ? '°F' : '°C';
    case 'length':
      return imp ? 'ft' : 'm';
    case 'minutes':
      return 'min';
    case 'percent':
      return '%';
    case 'hour':
      return 'h';
  }
}

/** SI → shown value, rounded to at most 1 decimal (hours: whole). */
export function toDisplay(kind: Kind, si: number, system: UnitSystem): number {
  const imp = system === 'imperial';
  const v =
    kind === 'speed'
      ? imp
        ? (si * 3600) / M_PER_MI
        : si * 3.6
      : kind === 'temperature'
        ? imp
          ? (si * 9) / 5 + 32
          : si
        : kind === 'length'
          ? imp
            ? si / M_PER_FT
            : si
          : kind === 'minutes'
            ? si / 60
            : si;
  return kind === 'hour' ? Math.round(v) : Math.round(v * 10) / 10;
}

/** Shown value → SI. */
export function fromDisplay(kind: Kind, shown: number, system: UnitSystem): number {
  const imp = system === 'imperial';
  switch (kind) {
    case 'speed':
      return imp ? (shown * M_PER_MI) / 3600 : shown / 3.6;
    case 'temperature':
      return imp ? ((shown - 32) * 5) / 9 : shown;
    case 'length':
      return imp ? shown * M_PER_FT : shown;
    case 'minutes':
      return shown * 60;
    default:
      return shown;
  }
}

/** An input's value as text: <input type=number> binds numbers, or null when empty. */
export function text(v: string | number | null | undefined): string {
  return v === null || v === undefined ? '' : String(v).trim();
}

const ALL_FIELDS: readonly ThresholdField[] = [...RULES.flatMap((r) => r.fields), ...NIGHT_HOURS];

/** Form strings for every threshold, in display units. */
export function thresholdInputs(t: SmartTagThresholds, system: UnitSystem): Record<ThresholdKey, string> {
  return Object.fromEntries(ALL_FIELDS.map((f) => [f.key, String(toDisplay(f.kind, t[f.key], system))])) as Record<ThresholdKey, string>;
}

/**
 * The thresholds the pilot changed (inputs that differ from `initial`), converted to SI; or an error naming the
 * first bad field. Hours must be whole 0–23; everything else but temperature must be ≥ 0.
 */
export function changedThresholds(
  inputs: Record<ThresholdKey, string | number | null>,
  initial: Record<ThresholdKey, string | number | null>,
  system: UnitSystem,
): { thresholds: Partial<SmartTagThresholds> } | { error: string } {
  const out: Partial<SmartTagThresholds> = {};
  for (const f of ALL_FIELDS) {
    const raw = text(inputs[f.key]);
    if (raw === text(initial[f.key])) continue;
    const n = Number(raw);
    if (raw === '' || !Number.isFinite(n)) return { error: `${f.label}: enter a number.` };
    if (f.kind === 'hour' && (!Number.isInteger(n) || n < 0 || n > 23)) return { error: `${f.label}: a whole hour from 0 to 23.` };
    if (f.kind !== 'temperature' && n < 0) return { error: `${f.label}: must not be negative.` };
    const si = fromDisplay(f.kind, n, system);
    out[f.key] = f.kind === 'hour' ? n : Math.round(si * 1000) / 1000;
  }
  return { thresholds: out };
}

/** True when the enabled switches or the night rule differ. */
export function switchesChanged(a: Pick<SmartTagSettings, 'enabled' | 'nightRule'>, b: Pick<SmartTagSettings, 'enabled' | 'nightRule'>): boolean {
  return a.nightRule !== b.nightRule || RULES.some((r) => a.enabled[r.type] !== b.enabled[r.type]);
}
