/**
 * Pure uPlot builders for the battery capacity trend (full-charge capacity per flight over time).
 * No DOM, no uPlot runtime: tested in node. Drawn by the same uplot action as the flight charts.
 */
import type uPlot from 'uplot';
import type { CapacityPoint } from '@dronelog/contracts';
import type { ChartTheme } from './options.js';

/** [unix seconds, mAh] columns, oldest first; unparsable times are dropped. */
export function capacityData(trend: readonly CapacityPoint[]): uPlot.AlignedData {
  const rows = trend
    .map(([, at, mah]) => [Date.parse(at) / 1000, mah] as const)
    .filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
  return [rows.map((r) => r[0]), rows.map((r) => r[1])];
}

/** y range: the data ± 4 % of the first capacity, so a few % of fade is visible but not exaggerated. */
export function capacityRange(values: ArrayLike<number | null>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  let first: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    first ??= v;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (first === null) return null;
  const pad = Math.max(first * 0.04, 1);
  return [Math.floor(lo - pad), Math.ceil(hi + pad)];
}

const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit' });
const fullFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

export function capacityOptions(input: { data: uPlot.AlignedData; theme: ChartTheme; color: string; width: number; height: number }): uPlot.Options {
  const { data, theme, color, width, height } = input;
  const range = capacityRange(data[1] as (number | null)[]);
  return {
    width,
    height,
    // The card says first → latest; the hovered point shows as the cursor, without a legend table.
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: true }, y: range ? { range } : { auto: true } },
    axes: [
      {
        stroke: theme.axis,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid, width: 1 },
        font: theme.font,
        values: (_u, splits) => splits.map((s) => dayFmt.format(new Date(s * 1000))),
      },
      {
        stroke: theme.axis,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid, width: 1 },
        font: theme.font,
        size: 52,
        label: 'mAh',
        labelFont: theme.font,
        labelSize: 14,
      },
    ],
    series: [
      { label: 'Flight', value: (_u, v) => (v === null || v === undefined ? '—' : fullFmt.format(new Date(v * 1000))) },
      {
        label: 'Full charge',
        stroke: color,
        width: 1.5,
        fill: `${color}22`,
        points: { show: true, size: 4, fill: color },
        value: (_u, v) => (v === null || v === undefined ? '—' : `${Math.round(v).toLocaleString()} mAh`),
      },
    ],
  };
}
