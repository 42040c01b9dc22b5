/**
 * Units written into CSV column names — `altitude(feet)`, `OSD.hSpeed [MPH]`, `battery_temperature(f)` —
 * and their conversion to the SI units of the normalised flight (m, m/s, °C).
 */

export type Dimension = 'length' | 'speed' | 'temperature' | 'other';

export interface Unit {
  dimension: Dimension;
  /** Converts a value in this unit to SI (m, m/s, °C); identity for 'other'. */
  toSi: (v: number) => number;
  /** The unit as written in the column name, lower-cased. */
  label: string;
}

const FT = 0.3048;
const MILE = 1609.344;
const KNOT = 1852 / 3600;

const LENGTH: Readonly<Record<string, number>> = {
  m: 1, meter: 1, meters: 1, metre: 1, metres: 1,
  ft: FT, feet: FT, foot: FT,
  km: 1000, kilometer: 1000, kilometers: 1000, kilometre: 1000, kilometres: 1000,
  mi: MILE, mile: MILE, miles: MILE,
};

const SPEED: Readonly<Record<string, number>> = {
  'm/s': 1, mps: 1, 'meters per second': 1, 'metres per second': 1,
  'km/h': 1 / 3.6, kph: 1 / 3.6, kmh: 1 / 3.6, 'kilometers per hour': 1 / 3.6, 'kilometres per hour': 1 / 3.6,
  mph: MILE / 3600, 'miles per hour': MILE / 3600,
  knots: KNOT, knot: KNOT, kn: KNOT, kt: KNOT, kts: KNOT,
  'ft/s': FT, fps: FT,
};

const CELSIUS = new Set(['c', '°c', 'celsius', 'degc']);
const FAHRENHEIT = new Set(['f', '°f', 'fahrenheit', 'degf']);

/** The unit named by a column suffix, or an 'other' unit (kept as is) when it is not a length/speed/temperature. */
export function parseUnit(raw: string | null): Unit | null {
  if (raw === null) return null;
  const label = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (label === '') return null;
  const length = LENGTH[label];
  if (length !== undefined) return { dimension: 'length', label, toSi: length === 1 ? identity : (v) => v * length };
  const speed = SPEED[label];
  if (speed !== undefined) return { dimension: 'speed', label, toSi: speed === 1 ? identity : (v) => v * speed };
  if (CELSIUS.has(label)) return { dimension: 'temperature', label, toSi: identity };
  if (FAHRENHEIT.has(label)) return { dimension: 'temperature', label, toSi: (v) => ((v - 32) * 5) / 9 };
  return { dimension: 'other', label, toSi: identity };
}

function identity(v: number): number {
  return v;
}

/**
 * Splits a CSV header cell into its name and unit: `altitude(feet)` → altitude / feet,
 * `OSD.height [ft]` → OSD.height / ft, `time_ms` → time_ms / null. Whitespace around both is dropped.
 */
export function splitHeader(cell: string): { name: string; unit: string | null } {
  const text = cell.trim();
  const m = /^(.*?)\s*[([]\s*([^()[\]]*?)\s*[)\]]\s*$/.exec(text);
  if (m === null || m[1] === '') return { name: text, unit: null };
  return { name: m[1]!, unit: m[2]! };
}
