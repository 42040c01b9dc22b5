/**
 * Pure helpers for the equipment page: battery health colours and labels, maintenance progress
 * (which counter is nearest its threshold, how full a bar is, when it turns amber/red), threshold text.
 */
import type { BatteryHealth, HealthMethod, MaintenanceCounter, MaintenanceItem, MaintenanceThresholds } from '@dronelog/contracts';

export type HealthBand = BatteryHealth['healthBand'];

/** CSS colour of a health band (theme variables, so both themes work). */
export function healthColor(band: HealthBand): string {
  return band === 'good' ? 'var(--ok)' : band === 'fair' ? 'var(--warn)' : 'var(--err)';
}

/** The band for a percentage, as the API draws it (> 70 good, > 40 fair, else poor); for a value typed in. */
export function healthBand(percent: number): HealthBand {
  return percent > 70 ? 'good' : percent > 40 ? 'fair' : 'poor';
}

export const HEALTH_METHOD_LABEL: Record<HealthMethod, string> = {
  'design-capacity': 'capacity vs design capacity',
  capacity: 'from capacity fade',
  cycles: 'estimated from charge cycles',
  flights: 'estimated from flight count',
};

/**
 * The cycle count as shown, saying where it comes from: the battery's own count ("212", "from the battery") or, when
 * no log has one, the number of flights ("≈ 40", "flights").
 */
export function cyclesText(b: Pick<BatteryHealth, 'cycles' | 'cyclesSource'>): { value: string; note: string } {
  return b.cyclesSource === 'log'
    ? { value: b.cycles.toLocaleString('en'), note: 'from the battery' }
    : { value: `≈ ${b.cycles.toLocaleString('en')}`, note: b.cycles === 1 ? 'flight' : 'flights' };
}

/** Capacity change between the first and latest full-charge capacity, in % (negative = lost), or null. */
export function capacityChange(first: number | null, latest: number | null): number | null {
  if (first === null || latest === null || !(first > 0)) return null;
  return ((latest - first) / first) * 100;
}

/** Maintenance state of one counter: no threshold, fine, due soon (≥ 80 %), due (≥ 100 %). */
export type DueState = 'none' | 'ok' | 'soon' | 'due';
export const DUE_SOON_PERCENT = 80;

export function dueState(percent: number | null | undefined): DueState {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return 'none';
  if (percent >= 100) return 'due';
  if (percent >= DUE_SOON_PERCENT) return 'soon';
  return 'ok';
}

/** Width of a progress bar in % (0–100); an overdue counter fills the bar. */
export function barWidth(percent: number | null | undefined): number {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return 0;
  return Math.max(0, Math.min(100, percent));
}

export const DUE_COLOR: Record<DueState, string> = {
  none: 'var(--border-strong)',
  ok: 'var(--accent)',
  soon: 'var(--warn)',
  due: 'var(--err)',
};

export const COUNTERS: readonly MaintenanceCounter[] = ['flights', 'hours', 'days'];

/** The highest percentage of any counter with a threshold (what sorts items by "most due"), or null. */
export function mostDuePercent(item: Pick<MaintenanceItem, 'percent'>): number | null {
  const vs = COUNTERS.map((c) => item.percent[c]).filter((v): v is number => v !== null && Number.isFinite(v));
  return vs.length ? Math.max(...vs) : null;
}

/** The state of an item as a whole: its most due counter. */
export function itemDueState(item: Pick<MaintenanceItem, 'percent' | 'overdue'>): DueState {
  if (item.overdue) return 'due';
  return dueState(mostDuePercent(item));
}

/** "12 / 100 flights", "3.4 / 50 h", "40 / 120 days", or the count alone without a threshold. */
export function counterText(counter: MaintenanceCounter, value: number | null, threshold: number | null): string {
  const v = value === null ? '—' : counter === 'hours' ? value.toLocaleString(undefined, { maximumFractionDigits: 1 }) : value.toLocaleString();
  const unit = counter === 'flights' ? 'flights' : counter === 'hours' ? 'h' : 'days';
  return threshold === null ? `${v} ${unit}` : `${v} / ${threshold.toLocaleString()} ${unit}`;
}

/**
 * Threshold inputs (strings from <input type=number>) → PUT body. Blank means "no limit" for the defaults
 * (null); an invalid number gives an error message instead of a body.
 */
export function thresholdsBody(input: Record<MaintenanceCounter, string | number | null | undefined>): { body: MaintenanceThresholds } | { error: string } {
  const out: MaintenanceThresholds = { flights: null, hours: null, days: null };
  for (const c of COUNTERS) {
    // <input type=number> binds numbers, or null when empty.
    const v = input[c];
    const raw = v === null || v === undefined ? '' : String(v).trim();
    if (raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) return { error: `${c === 'hours' ? 'Hours' : c === 'flights' ? 'Flights' : 'Days'} must be a number above 0, or empty for no limit.` };
    if (c !== 'hours' && !Number.isInteger(n)) return { error: `${c === 'flights' ? 'Flights' : 'Days'} must be a whole number.` };
    out[c] = n;
  }
  return { body: out };
}
