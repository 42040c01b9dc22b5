/**
 * Layout of the activity calendar (a year of days as week columns × weekday rows, Monday first), pure:
 * the component only draws what this returns. Days are calendar dates 'YYYY-MM-DD' as the API sends them
 * (the local day at the take-off point), so weekdays are computed on the date itself, never through the
 * viewer's time zone.
 */

export interface HeatmapDayInput {
  date: string;
  flights: number;
  durationS: number;
}

export interface HeatmapCell extends HeatmapDayInput {
  /** Week column, 0 = the oldest week. */
  col: number;
  /** 0 = Monday … 6 = Sunday. */
  row: number;
  /** 0 = no flight, 1–4 = quarters of the busiest day. */
  level: 0 | 1 | 2 | 3 | 4;
}

export interface MonthLabel {
  col: number;
  /** 0 = January. */
  month: number;
  year: number;
}

export interface HeatmapLayout {
  cells: HeatmapCell[];
  weeks: number;
  months: MonthLabel[];
  maxFlights: number;
  activeDays: number;
  flights: number;
  durationS: number;
}

/** Weekday of a calendar date, Monday = 0. */
export function weekdayMonday0(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** Intensity level of a day: 0 without flights, else 1–4 by its share of the busiest day. */
export function heatLevel(flights: number, maxFlights: number): 0 | 1 | 2 | 3 | 4 {
  if (flights <= 0 || maxFlights <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((4 * flights) / maxFlights))) as 1 | 2 | 3 | 4;
}

/** Days (consecutive, oldest first) → cells placed in week columns, with month labels on the week holding a month's 1st. */
export function heatmapLayout(days: readonly HeatmapDayInput[]): HeatmapLayout {
  const maxFlights = days.reduce((m, d) => Math.max(m, d.flights), 0);
  const first = days[0];
  const offset = first ? weekdayMonday0(first.date) : 0;
  const cells: HeatmapCell[] = days.map((d, i) => {
    const slot = i + offset;
    return { ...d, col: Math.floor(slot / 7), row: slot % 7, level: heatLevel(d.flights, maxFlights) };
  });
  const months: MonthLabel[] = [];
  for (const c of cells) {
    const [y, m, day] = c.date.split('-').map(Number) as [number, number, number];
    // The 1st of a month labels its column; the first column is labelled too unless a 1st follows within a week.
    if (day === 1 || (c === cells[0] && day <= 24)) {
      if (months.at(-1)?.col === c.col) months.pop();
      months.push({ col: c.col, month: m - 1, year: y });
    }
  }
  // Labels need about 3 columns of room: drop one that would collide with the next.
  const spaced = months.filter((l, i) => !months[i + 1] || months[i + 1]!.col - l.col >= 3);
  return {
    cells,
    weeks: cells.length ? cells.at(-1)!.col + 1 : 0,
    months: spaced,
    maxFlights,
    activeDays: days.filter((d) => d.flights > 0).length,
    flights: days.reduce((n, d) => n + d.flights, 0),
    durationS: days.reduce((n, d) => n + d.durationS, 0),
  };
}

/** A calendar date shifted by whole days ('YYYY-MM-DD' in, out), without time zones. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
