import { describe, expect, it } from 'vitest';
import { addDays, heatLevel, heatmapLayout, weekdayMonday0, type HeatmapDayInput } from './heatmap.js';

function year(to: string, n = 365, flights: Record<string, number> = {}): HeatmapDayInput[] {
  return Array.from({ length: n }, (_, i) => {
    const date = addDays(to, i - (n - 1));
    return { date, flights: flights[date] ?? 0, durationS: (flights[date] ?? 0) * 600 };
  });
}

describe('weekdayMonday0', () => {
  it('counts from Monday, on the calendar date itself', () => {
    expect(weekdayMonday0('2024-09-02')).toBe(0); // Monday
    expect(weekdayMonday0('2024-09-01')).toBe(6); // Sunday
    expect(weekdayMonday0('2024-02-29')).toBe(3); // Thursday, leap day
  });
});

describe('heatLevel', () => {
  it('is 0 without flights and splits the busiest day into quarters', () => {
    expect(heatLevel(0, 8)).toBe(0);
    expect(heatLevel(1, 8)).toBe(1);
    expect(heatLevel(2, 8)).toBe(1);
    expect(heatLevel(3, 8)).toBe(2);
    expect(heatLevel(8, 8)).toBe(4);
    expect(heatLevel(1, 1)).toBe(4);
    expect(heatLevel(3, 0)).toBe(0);
  });
});

describe('heatmapLayout', () => {
  it('places 365 days in week columns, Monday on row 0, the first day on its weekday', () => {
    const l = heatmapLayout(year('2024-12-31'));
    // 2024-01-02 is a Tuesday: row 1 of column 0.
    expect(l.cells[0]).toMatchObject({ date: '2024-01-02', col: 0, row: 1 });
    // 2024-12-31 is a Tuesday too, 52 weeks later.
    expect(l.cells.at(-1)).toMatchObject({ date: '2024-12-31', col: 52, row: 1 });
    expect(l.weeks).toBe(53);
    for (const c of l.cells) expect(c.row).toBe(weekdayMonday0(c.date));
    // Consecutive days never share a slot.
    expect(new Set(l.cells.map((c) => `${c.col}:${c.row}`)).size).toBe(365);
  });

  it('labels each month on the column of its 1st, without crowding', () => {
    const l = heatmapLayout(year('2024-12-31'));
    expect(l.months.map((m) => m.month)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const feb = l.months.find((m) => m.month === 1)!;
    expect(l.cells.find((c) => c.date === '2024-02-01')!.col).toBe(feb.col);
    for (let i = 1; i < l.months.length; i++) expect(l.months[i]!.col - l.months[i - 1]!.col).toBeGreaterThanOrEqual(3);
  });

  it('gives levels by flights and sums the window', () => {
    const l = heatmapLayout(year('2024-06-30', 365, { '2024-06-20': 4, '2024-06-21': 1, '2024-01-05': 2 }));
    expect(l.maxFlights).toBe(4);
    expect(l.activeDays).toBe(3);
    expect(l.flights).toBe(7);
    expect(l.durationS).toBe(4200);
    expect(l.cells.find((c) => c.date === '2024-06-20')!.level).toBe(4);
    expect(l.cells.find((c) => c.date === '2024-06-21')!.level).toBe(1);
    expect(l.cells.find((c) => c.date === '2024-06-22')!.level).toBe(0);
  });

  it('handles an empty window', () => {
    const l = heatmapLayout([]);
    expect(l).toMatchObject({ cells: [], weeks: 0, months: [], maxFlights: 0, activeDays: 0 });
  });
});

describe('addDays', () => {
  it('moves across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -365)).toBe('2024-01-02');
  });
});
