/**
 * Unit conversion. Storage and the API are always SI (m, m/s, °C); conversion happens only at display.
 * `UnitSystem` is the pilot's choice, remembered per browser (lib/state/units.svelte.ts).
 */
export type UnitSystem = 'metric' | 'imperial';

/** What a number measures; decides the unit it is shown in. */
export type Quantity =
  | 'height' // short lengths: m | ft
  | 'distance' // long lengths: km | mi (below 1 km / 0.1 mi: m | ft)
  | 'speed' // km/h | mph
  | 'vspeed' // m/s | ft/s
  | 'temperature' // °C | °F
  | 'voltage'
  | 'percent'
  | 'angle'
  | 'count'
  | 'current'
  | 'capacity';

export const M_PER_FT = 0.3048;
export const M_PER_MI = 1609.344;

export interface UnitSpec {
  /** Label shown after the value. */
  unit: string;
  /** SI → display. */
  convert: (si: number) => number;
  /** Decimals to show by default. */
  decimals: number;
}

const identity = (v: number) => v;

/** The unit a quantity is shown in. `distance` here is the chart/axis unit (m or ft); see formatDistance for long distances. */
export function unitFor(q: Quantity, system: UnitSystem): UnitSpec {
  const imp = system === 'imperial';
  switch (q) {
    case 'height':
    case 'distance':
      return imp ? { unit: 'ft', convert: (m) => m / M_PER_FT, decimals: 0 } : { unit: 'm', convert: identity, decimals: 1 };
    case 'speed':
      return imp ? { unit: 'mph', convert: (v) => (v * 3600) / M_PER_MI, decimals: 1 } : { unit: 'km/h', convert: (v) => v * 3.6, decimals: 1 };
    case 'vspeed':
      return imp ? { unit: 'ft/s', convert: (v) => v / M_PER_FT, decimals: 1 } : { unit: 'm/s', convert: identity, decimals: 1 };
    case 'temperature':
      return imp ? { unit: '°F', convert: (c) => (c * 9) / 5 + 32, decimals: 1 } : { unit: '°C', convert: identity, decimals: 1 };
    case 'voltage':
      return { unit: 'V', convert: identity, decimals: 2 };
    case 'current':
      return { unit: 'A', convert: identity, decimals: 1 };
    case 'capacity':
      return { unit: 'mAh', convert: identity, decimals: 0 };
    case 'percent':
      return { unit: '%', convert: identity, decimals: 0 };
    case 'angle':
      return { unit: '°', convert: identity, decimals: 1 };
    case 'count':
      return { unit: '', convert: identity, decimals: 0 };
  }
}

/** Convert a whole column for charts; null/NaN stay null so uPlot draws gaps. */
export function convertColumn(values: ArrayLike<number | null>, spec: UnitSpec): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined || Number.isNaN(v) ? null : spec.convert(v);
  }
  return out;
}

function fixed(v: number, decimals: number): string {
  // Never show "-0": values that round to zero are zero.
  if (Math.abs(v) < 0.5 * 10 ** -decimals) v = 0;
  return v.toLocaleString(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** "12.3 m", "40 ft", "—" for missing. */
export function formatQuantity(si: number | null | undefined, q: Quantity, system: UnitSystem, decimals?: number): string {
  if (si === null || si === undefined || !Number.isFinite(si)) return '—';
  const spec = unitFor(q, system);
  const d = decimals ?? spec.decimals;
  const text = fixed(spec.convert(si), d);
  return spec.unit === '' ? text : spec.unit === '%' || spec.unit === '°' ? `${text}${spec.unit}` : `${text} ${spec.unit}`;
}

/** Long distances: "850 m" / "1.24 km" or "2,789 ft" / "1.31 mi". */
export function formatDistance(m: number | null | undefined, system: UnitSystem): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return '—';
  if (system === 'imperial') {
    const mi = m / M_PER_MI;
    return mi >= 0.1 ? `${fixed(mi, mi >= 100 ? 0 : 2)} mi` : `${fixed(m / M_PER_FT, 0)} ft`;
  }
  return m >= 1000 ? `${fixed(m / 1000, m >= 100_000 ? 0 : 2)} km` : `${fixed(m, 0)} m`;
}
