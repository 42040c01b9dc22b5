/**
 * Which telemetry series each chart panel shows, in what unit and colour. Pure data: the uPlot
 * action and the option builder read it; tests check every field exists in the API's field list.
 */
import type { Quantity } from '$lib/utils/units.js';

export interface SeriesDef {
  /** API field name (packages/flightlog TELEMETRY_NUMERIC_FIELDS), or `cell:N` for cell N voltage. */
  field: string;
  label: string;
  quantity: Quantity;
  color: string;
  /** Which y scale (axis) it belongs to: 'y' left, 'y2' right. */
  scale?: 'y' | 'y2';
  /** Hidden until toggled on in the legend. */
  hidden?: boolean;
  dash?: number[];
}

export interface PanelDef {
  id: string;
  title: string;
  series: SeriesDef[];
  /** Optional fixed range for the left scale (SI units), e.g. 0–100 for %. */
  range?: [number, number];
  /** Panels that show cell voltages get the cells appended at run time. */
  withCells?: boolean;
}

export const PANELS: readonly PanelDef[] = [
  {
    id: 'height',
    title: 'Height',
    series: [
      { field: 'heightM', label: 'Height', quantity: 'height', color: '#38bdf8' },
      { field: 'vpsHeightM', label: 'VPS height', quantity: 'height', color: '#a78bfa', dash: [4, 3] },
      { field: 'altitudeM', label: 'Altitude (GPS)', quantity: 'height', color: '#94a3b8', hidden: true },
    ],
  },
  {
    id: 'speed',
    title: 'Speed',
    series: [
      { field: 'horizontalSpeedMps', label: 'Horizontal', quantity: 'speed', color: '#f59e0b' },
      { field: 'verticalSpeedMps', label: 'Vertical', quantity: 'vspeed', color: '#34d399', scale: 'y2' },
    ],
  },
  {
    id: 'battery',
    title: 'Battery',
    range: [0, 100],
    withCells: true,
    series: [
      { field: 'batteryPercent', label: 'Charge', quantity: 'percent', color: '#22c55e' },
      { field: 'batteryVoltageV', label: 'Voltage', quantity: 'voltage', color: '#f472b6', scale: 'y2' },
    ],
  },
  {
    id: 'temperature',
    title: 'Temperature',
    series: [{ field: 'batteryTemperatureC', label: 'Battery temp.', quantity: 'temperature', color: '#fb7185' }],
  },
  {
    id: 'attitude',
    title: 'Attitude',
    series: [
      { field: 'pitchDeg', label: 'Pitch', quantity: 'angle', color: '#60a5fa' },
      { field: 'rollDeg', label: 'Roll', quantity: 'angle', color: '#f97316' },
      { field: 'yawDeg', label: 'Yaw', quantity: 'angle', color: '#a3e635', hidden: true },
    ],
  },
  {
    id: 'gimbal',
    title: 'Gimbal',
    series: [
      { field: 'gimbalPitchDeg', label: 'Pitch', quantity: 'angle', color: '#60a5fa' },
      { field: 'gimbalRollDeg', label: 'Roll', quantity: 'angle', color: '#f97316', hidden: true },
      { field: 'gimbalYawDeg', label: 'Yaw', quantity: 'angle', color: '#a3e635', hidden: true },
    ],
  },
  {
    id: 'gps',
    title: 'Satellites / GPS',
    series: [
      { field: 'satellites', label: 'Satellites', quantity: 'count', color: '#eab308' },
      { field: 'gpsLevel', label: 'GPS level', quantity: 'count', color: '#14b8a6', scale: 'y2' },
    ],
  },
  {
    id: 'rc',
    title: 'RC signal',
    range: [0, 100],
    series: [
      { field: 'rcUplinkPercent', label: 'Uplink', quantity: 'percent', color: '#38bdf8' },
      { field: 'rcDownlinkPercent', label: 'Downlink', quantity: 'percent', color: '#c084fc' },
    ],
  },
  {
    id: 'distance',
    title: 'Distance from home',
    series: [{ field: 'distanceFromHomeM', label: 'Distance', quantity: 'distance', color: '#f43f5e' }],
  },
];

/** Every API field the charts need (cells come separately). */
export function chartFields(panels: readonly PanelDef[] = PANELS): string[] {
  return [...new Set(panels.flatMap((p) => p.series.map((s) => s.field)).filter((f) => !f.startsWith('cell:')))];
}

const CELL_COLORS = ['#fde047', '#fdba74', '#fca5a5', '#d8b4fe', '#93c5fd', '#86efac', '#5eead4', '#f9a8d4', '#cbd5e1', '#fcd34d', '#a5b4fc', '#bef264', '#fda4af', '#67e8f9'];

/** Adds `cell:N` series (right axis, hidden by default) to panels that take cells. */
export function withCellSeries(panel: PanelDef, cellCount: number): PanelDef {
  if (!panel.withCells || cellCount <= 0) return panel;
  const cells: SeriesDef[] = Array.from({ length: cellCount }, (_, i) => ({
    field: `cell:${i}`,
    label: `Cell ${i + 1}`,
    quantity: 'voltage' as const,
    color: CELL_COLORS[i % CELL_COLORS.length]!,
    scale: 'y2' as const,
    hidden: true,
  }));
  return { ...panel, series: [...panel.series, ...cells] };
}
