/** The logbook report's own options: currency rule in the URL, pilot and title remembered per browser, the report URL. */
import { localOffset } from './manual-entry.js';

/**
 * The server's default currency rule (contracts' CURRENCY_DEFAULT, 2 h in 90 days). Repeated here rather than
 * imported: a value import would pull TypeBox into the bundle. report.test.ts checks the two agree.
 */
export const CURRENCY_DEFAULT: { hours: number; days: number } = { hours: 2, days: 90 };

export interface Currency {
  hours: number;
  days: number;
}

/** `currencyHours` (0–1000) and `currencyDays` (1–3650 whole days) from a URL; out of range → the default. */
export function parseCurrency(p: URLSearchParams): Currency {
  const h = Number(p.get('currencyHours'));
  const d = Number(p.get('currencyDays'));
  return {
    hours: p.has('currencyHours') && Number.isFinite(h) && h >= 0 && h <= 1000 ? h : CURRENCY_DEFAULT.hours,
    days: p.has('currencyDays') && Number.isInteger(d) && d >= 1 && d <= 3650 ? d : CURRENCY_DEFAULT.days,
  };
}

export interface ReportOptions {
  pilot: string;
  title: string;
  currency: Currency;
}

/**
 * The date range for the printed report: the viewer's local days as instants with their offset, the last day up to
 * 23:59:59 — the same flights as the list's range, and printed on the report as the pilot reads it
 * ("2018-01-01T00:00:00+01:00 to 2018-12-31T23:59:59+01:00", not UTC instants of the day after).
 */
export function reportRange(from: string | null, to: string | null): { from?: string; to?: string } {
  const r: { from?: string; to?: string } = {};
  if (from) r.from = `${from}T00:00:00${localOffset(from, '00:00')}`;
  if (to) r.to = `${to}T23:59:59${localOffset(to, '23:59')}`;
  return r;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "1 Sep 2024" for a local day YYYY-MM-DD (the same words the printed report uses). */
export function dayText(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** The report's dates in words: "1 Sep 2024 – 30 Nov 2024", "from 1 Sep 2024", "until 30 Nov 2024", "all flights". */
export function periodText(from: string | null, to: string | null): string {
  if (from && to) return `${dayText(from)} – ${dayText(to)}`;
  if (from) return `from ${dayText(from)}`;
  if (to) return `until ${dayText(to)}`;
  return 'all flights';
}

/** GET /api/v1/report parameters: the filters, then the non-empty options (defaults left out). */
export function reportParams(filters: URLSearchParams, o: ReportOptions & { from?: string | null; to?: string | null }): URLSearchParams {
  const p = new URLSearchParams(filters);
  const range = reportRange(o.from ?? null, o.to ?? null);
  if (range.from) p.set('from', range.from);
  if (range.to) p.set('to', range.to);
  if (o.pilot.trim()) p.set('pilot', o.pilot.trim());
  if (o.title.trim()) p.set('title', o.title.trim());
  if (o.currency.hours !== CURRENCY_DEFAULT.hours) p.set('currencyHours', String(o.currency.hours));
  if (o.currency.days !== CURRENCY_DEFAULT.days) p.set('currencyDays', String(o.currency.days));
  return p;
}

const KEY = 'dronelog.report';

export function loadReportPrefs(): { pilot: string; title: string } {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { pilot?: unknown; title?: unknown };
    return { pilot: typeof v.pilot === 'string' ? v.pilot : '', title: typeof v.title === 'string' ? v.title : '' };
  } catch {
    return { pilot: '', title: '' };
  }
}

export function saveReportPrefs(p: { pilot: string; title: string }): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    /* not remembered */
  }
}
