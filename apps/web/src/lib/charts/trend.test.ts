import { describe, expect, it } from 'vitest';
import { capacityData, capacityOptions, capacityRange } from './trend.js';
import { CHART_THEMES } from './options.js';

describe('capacity trend', () => {
  const trend: [number, string, number][] = [
    [7, '2024-06-01T10:00:00Z', 2480],
    [3, '2024-04-01T10:00:00Z', 2590],
    [5, 'not a date', 2500],
  ];

  it('builds time-sorted columns in unix seconds and drops unreadable rows', () => {
    const [x, y] = capacityData(trend);
    expect(x).toEqual([Date.parse('2024-04-01T10:00:00Z') / 1000, Date.parse('2024-06-01T10:00:00Z') / 1000]);
    expect(y).toEqual([2590, 2480]);
  });

  it('pads the y range by 4 % of the first capacity', () => {
    expect(capacityRange([2590, 2480])).toEqual([Math.floor(2480 - 103.6), Math.ceil(2590 + 103.6)]);
    expect(capacityRange([null, null])).toBeNull();
  });

  it('makes a time-axis line chart labelled in mAh', () => {
    const data = capacityData(trend);
    const o = capacityOptions({ data, theme: CHART_THEMES.dark, color: '#38bdf8', width: 400, height: 120 });
    expect(o.scales?.x?.time).toBe(true);
    expect(o.axes?.[1]?.label).toBe('mAh');
    expect(o.series).toHaveLength(2);
    expect(o.series[1]!.stroke).toBe('#38bdf8');
    const value = o.series[1]!.value as (u: unknown, v: number | null) => string;
    expect(value(null, 2479.6)).toBe(`${(2480).toLocaleString()} mAh`);
  });
});
