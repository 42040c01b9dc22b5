/**
 * Pure builders for uPlot: aligned data arrays and chart options for one panel.
 * No DOM, no uPlot runtime: tested in node (options.test.ts). The action adds the hooks.
 */
import type uPlot from 'uplot';
import type { ChartTelemetry } from '$lib/api/types.js';
import { convertColumn, unitFor, type UnitSystem } from '$lib/utils/units.js';
import type { PanelDef, SeriesDef } from './panels.js';

export interface ChartTheme {
  axis: string;
  grid: string;
  text: string;
  font: string;
}

export const CHART_THEMES: Record<'dark' | 'light', ChartTheme> = {
  dark: { axis: '#94a3b8', grid: 'rgba(148,163,184,0.12)', text: '#cbd5e1', font: '11px system-ui, sans-serif' },
  light: { axis: '#475569', grid: 'rgba(71,85,105,0.14)', text: '#1e293b', font: '11px system-ui, sans-serif' },
};

/** Raw (SI) column of a series, or undefined when the API did not send it. */
export function rawColumn(t: ChartTelemetry, field: string): (number | null)[] | undefined {
  if (field.startsWith('cell:')) {
    const i = Number(field.slice(5));
    return t.cells?.[i] ?? undefined;
  }
  return t.series[field];
}

/** True when a column has at least one finite value. */
export function hasValues(col: ArrayLike<number | null> | undefined): boolean {
  if (!col) return false;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return true;
  }
  return false;
}

/** The series of a panel that carry data in this flight (DJI logs leave some columns empty). */
export function presentSeries(panel: PanelDef, t: ChartTelemetry): SeriesDef[] {
  return panel.series.filter((s) => hasValues(rawColumn(t, s.field)));
}

/** x in seconds since flight start (uPlot's x), then one converted column per present series. */
export function panelData(series: SeriesDef[], t: ChartTelemetry, system: UnitSystem): uPlot.AlignedData {
  const x = t.t.map((ms) => ms / 1000);
  const cols = series.map((s) => convertColumn(rawColumn(t, s.field) ?? [], unitFor(s.quantity, system)));
  return [x, ...cols] as uPlot.AlignedData;
}

/** "m:ss" for axis ticks in seconds. */
export function formatAxisTime(sec: number): string {
  const s = Math.round(sec);
  const m = Math.floor(Math.abs(s) / 60);
  return `${s < 0 ? '-' : ''}${m}:${String(Math.abs(s) % 60).padStart(2, '0')}`;
}

function fmt(v: number | null | undefined, decimals: number, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const n = v.toFixed(decimals);
  return unit === '' ? n : unit === '%' || unit === '°' ? `${n}${unit}` : `${n} ${unit}`;
}

const AXIS_SIZE = 48;
const LABEL_SIZE = 14;

export interface PanelOptionsInput {
  panel: PanelDef;
  series: SeriesDef[];
  system: UnitSystem;
  theme: ChartTheme;
  width: number;
  height: number;
  syncKey: string;
  /** Series visibility overrides by field (legend toggles, remembered per page). */
  visible?: Record<string, boolean>;
}

export function panelOptions(input: PanelOptionsInput): uPlot.Options {
  const { panel, series, system, theme, width, height, syncKey, visible } = input;
  const left = series.filter((s) => (s.scale ?? 'y') === 'y');
  const right = series.filter((s) => s.scale === 'y2');
  const leftUnit = left[0] ? unitFor(left[0].quantity, system).unit : '';
  const rightUnit = right[0] ? unitFor(right[0].quantity, system).unit : '';

  const axes: uPlot.Axis[] = [
    {
      stroke: theme.axis,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
      font: theme.font,
      values: (_u, splits) => splits.map(formatAxisTime),
    },
    {
      scale: 'y',
      stroke: theme.axis,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
      font: theme.font,
      size: AXIS_SIZE,
      // Always a label (blank for unit-less counts) so every panel reserves the same width.
      label: leftUnit || ' ',
      labelFont: theme.font,
      labelSize: LABEL_SIZE,
    },
  ];
  if (right.length > 0) {
    axes.push({
      scale: 'y2',
      side: 1,
      stroke: theme.axis,
      grid: { show: false },
      ticks: { stroke: theme.grid, width: 1 },
      font: theme.font,
      size: AXIS_SIZE,
      label: rightUnit || ' ',
      labelFont: theme.font,
      labelSize: LABEL_SIZE,
    });
  } else {
    // An empty right axis keeps the plot area the same width as panels with a second scale, so the
    // synchronised cursors line up vertically across all panels.
    axes.push({ scale: 'y', side: 1, size: AXIS_SIZE, label: ' ', labelSize: LABEL_SIZE, values: () => [], grid: { show: false }, ticks: { show: false } });
  }

  const scales: uPlot.Scales = { x: { time: false } };
  if (panel.range && left[0] && left[0].quantity === 'percent') {
    const [lo, hi] = panel.range;
    scales.y = { range: [lo, hi] };
  } else {
    scales.y = { auto: true };
  }
  if (right.length > 0) scales.y2 = { auto: true };

  return {
    width,
    height,
    scales,
    axes,
    legend: { show: true, live: true },
    cursor: {
      sync: { key: syncKey, setSeries: false, scales: ['x', null] },
      drag: { x: true, y: false, setScale: false },
      points: { size: 6 },
    },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    series: [
      { label: 'Time', value: (_u, v) => (v === null || v === undefined ? '—' : formatAxisTime(v)) },
      ...series.map((s): uPlot.Series => {
        const spec = unitFor(s.quantity, system);
        return {
          label: s.label,
          scale: s.scale ?? 'y',
          stroke: s.color,
          width: 1.5,
          ...(s.dash ? { dash: s.dash } : {}),
          show: visible?.[s.field] ?? !s.hidden,
          spanGaps: false,
          points: { show: false },
          value: (_u, v) => fmt(v, spec.decimals, spec.unit),
        };
      }),
    ],
  };
}

/**
 * Index of the sample nearest to `ms` in a sorted time column (binary search).
 * Used to read a value at the replay time and to test hovered values.
 */
export function nearestIndex(t: ArrayLike<number>, ms: number): number {
  const n = t.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  if (ms <= t[0]!) return 0;
  if (ms >= t[hi]!) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= ms) lo = mid;
    else hi = mid;
  }
  return ms - t[lo]! <= t[hi]! - ms ? lo : hi;
}

/** Chart points to ask for: about one per horizontal pixel, bounded. */
export function pointsForWidth(widthPx: number): number {
  return Math.max(200, Math.min(4000, Math.round(widthPx * 1.5)));
}
