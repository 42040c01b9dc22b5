/** Quick date ranges for the flight list filter. Dates are local calendar days as YYYY-MM-DD. */

export interface QuickRange {
  id: string;
  label: string;
}

export const QUICK_RANGES: readonly QuickRange[] = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'ytd', label: 'This year' },
  { id: '1y', label: 'Last 12 months' },
  { id: 'all', label: 'All time' },
];

/** Local calendar date (YYYY-MM-DD) of a Date. */
export function toLocalDate(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** The inclusive [from, to] local dates of a quick range, relative to `now`. 'all' → nulls. */
export function quickRange(id: string, now: Date = new Date()): { from: string | null; to: string | null } {
  const today = toLocalDate(now);
  const back = (days: number) => {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
    return toLocalDate(d);
  };
  switch (id) {
    case '7d':
      return { from: back(7), to: today };
    case '30d':
      return { from: back(30), to: today };
    case '90d':
      return { from: back(90), to: today };
    case 'ytd':
      return { from: `${now.getFullYear()}-01-01`, to: today };
    case '1y': {
      const d = new Date(now.getFullYear() - 1, now.getMonth(), now.getDate() + 1);
      return { from: toLocalDate(d), to: today };
    }
    default:
      return { from: null, to: null };
  }
}

/** Which quick range (if any) a from/to pair equals today; for highlighting the active chip. */
export function matchQuickRange(from: string | null, to: string | null, now: Date = new Date()): string | null {
  for (const r of QUICK_RANGES) {
    const q = quickRange(r.id, now);
    if (q.from === from && q.to === to) return r.id;
  }
  return null;
}

/**
 * Local calendar day bounds as UTC instants for the API: from → start of that local day,
 * to → start of the local day after (exclusive).
 */
export function localDayBoundsUtc(from: string | null, to: string | null): { fromUtc: string | null; toUtc: string | null } {
  const parse = (s: string, addDays: number) => {
    const [y, m, d] = s.split('-').map(Number);
    if (!y || !m || !d) return null;
    return new Date(y, m - 1, d + addDays).toISOString();
  };
  return { fromUtc: from ? parse(from, 0) : null, toUtc: to ? parse(to, 1) : null };
}
