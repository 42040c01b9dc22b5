/** "in 3 hours", "2 minutes ago", "now": for next/last sync runs and service dates. Pure (pass `now`). */

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function formatRelative(iso: string | null | undefined, now: number = Date.now(), locale?: string): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '—';
  const diff = t - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 45_000) return rtf.format(0, 'second');
  for (const [unit, ms] of UNITS) {
    if (abs >= ms * (unit === 'minute' ? 0.75 : 1)) return rtf.format(Math.round(diff / ms), unit);
  }
  return rtf.format(Math.round(diff / 1000), 'second');
}

/** Length of a run: "42 s", "3 min 5 s", "1 h 2 min". */
export function formatElapsed(fromIso: string, toIso: string | null, now: number = Date.now()): string {
  const a = Date.parse(fromIso);
  const b = toIso ? Date.parse(toIso) : now;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return '—';
  const s = Math.max(0, Math.round((b - a) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
