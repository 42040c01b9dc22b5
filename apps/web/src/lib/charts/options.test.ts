import { describe, expect, it } from 'vitest';
import { TELEMETRY_NUMERIC_FIELDS } from '@dronelog/contracts';
import type { ChartTelemetry } from '$lib/api/types.js';
import { CHART_THEMES, formatAxisTime, nearestIndex, panelData, panelOptions, presentSeries } from './options.js';
import { PANELS, chartFields, withCellSeries } from './panels.js';

const telemetry: ChartTelemetry = {
  t: [0, 1000, 2000, 3000],
  series: {
    heightM: [0, 10, 20.5, 15],
    vpsHeightM: [null, null, null, null],
    horizontalSpeedMps: [0, 5, 10, null],
    verticalSpeedMps: [0, 1, 1, -1],
    batteryPercent: [98, 97, 96, 95],
    batteryVoltageV: [16.8, 16.7, 16.6, 16.5],
  },
  cells: [
    [4.2, 4.19, 4.18, 4.17],
    [4.2, 4.18, 4.17, 4.16],
  ],
  points: 4,
  totalPoints: 4,
};

describe('panels', () => {
  it('only ask for fields the API knows (@dronelog/contracts TELEMETRY_NUMERIC_FIELDS)', () => {
    for (const f of chartFields()) expect(TELEMETRY_NUMERIC_FIELDS).toContain(f);
  });
  it('add one hidden right-axis series per battery cell', () => {
    const battery = PANELS.find((p) => p.id === 'battery')!;
    const withCells = withCellSeries(battery, 2);
    expect(withCells.series.map((s) => s.field)).toEqual(['batteryPercent', 'batteryVoltageV', 'cell:0', 'cell:1']);
    expect(withCells.series.slice(2).every((s) => s.hidden && s.scale === 'y2')).toBe(true);
    expect(withCellSeries(PANELS[0]!, 4)).toBe(PANELS[0]);
  });
});

describe('presentSeries', () => {
  it('drops series the log left empty (no VPS here) and panels with nothing to show', () => {
    const height = PANELS.find((p) => p.id === 'height')!;
    expect(presentSeries(height, telemetry).map((s) => s.field)).toEqual(['heightM']);
    const rc = PANELS.find((p) => p.id === 'rc')!;
    expect(presentSeries(rc, telemetry)).toEqual([]);
  });
});

describe('panelData', () => {
  it('puts seconds on x and converts each series to the display unit', () => {
    const speed = PANELS.find((p) => p.id === 'speed')!;
    const series = presentSeries(speed, telemetry);
    const [x, horiz, vert] = panelData(series, telemetry, 'metric');
    expect(x).toEqual([0, 1, 2, 3]);
    expect(horiz).toEqual([0, 18, 36, null]);
    expect(vert).toEqual([0, 1, 1, -1]);
    const [, horizMph] = panelData(series, telemetry, 'imperial');
    expect(horizMph?.[2]).toBeCloseTo(22.369, 3);
  });
  it('reads cell columns', () => {
    const battery = withCellSeries(PANELS.find((p) => p.id === 'battery')!, 2);
    const series = presentSeries(battery, telemetry);
    const data = panelData(series, telemetry, 'metric');
    expect(data[4]).toEqual([4.2, 4.18, 4.17, 4.16]);
  });
});

describe('panelOptions', () => {
  const speed = PANELS.find((p) => p.id === 'speed')!;
  const opts = panelOptions({ panel: speed, series: presentSeries(speed, telemetry), system: 'metric', theme: CHART_THEMES.dark, width: 600, height: 150, syncKey: 'k' });

  it('syncs the cursor across panels by key and zooms by drag on x only', () => {
    expect(opts.cursor?.sync?.key).toBe('k');
    expect(opts.cursor?.drag).toMatchObject({ x: true, y: false, setScale: false });
  });
  it('gives a right axis to series on the second scale, labelled with its unit', () => {
    expect(opts.axes).toHaveLength(3);
    expect(opts.axes?.[1]?.label).toBe('km/h');
    expect(opts.axes?.[2]).toMatchObject({ scale: 'y2', side: 1, label: 'm/s' });
  });
  it('formats legend values with units', () => {
    const fmt = opts.series[1]!.value as (u: unknown, v: number | null) => string;
    expect(fmt(null, 36)).toBe('36.0 km/h');
    expect(fmt(null, null)).toBe('—');
  });
  it('respects hidden-by-default series and explicit toggles', () => {
    const height = PANELS.find((p) => p.id === 'height')!;
    const o = panelOptions({ panel: height, series: height.series, system: 'imperial', theme: CHART_THEMES.light, width: 1, height: 1, syncKey: 'k' });
    expect(o.series.map((s) => s.show)).toEqual([undefined, true, true, false]);
    expect(o.axes?.[1]?.label).toBe('ft');
    // No second scale: an empty right axis of the same size keeps plot widths equal across panels.
    expect(o.axes).toHaveLength(3);
    expect(o.axes?.[2]).toMatchObject({ side: 1, size: opts.axes?.[2]?.size, labelSize: opts.axes?.[2]?.labelSize });
    const o2 = panelOptions({ panel: height, series: height.series, system: 'metric', theme: CHART_THEMES.light, width: 1, height: 1, syncKey: 'k', visible: { altitudeM: true } });
    expect(o2.series[3]!.show).toBe(true);
  });
  it('fixes the percent axis of the battery panel to 0–100', () => {
    const battery = PANELS.find((p) => p.id === 'battery')!;
    const o = panelOptions({ panel: battery, series: battery.series, system: 'metric', theme: CHART_THEMES.dark, width: 1, height: 1, syncKey: 'k' });
    expect(o.scales?.y?.range).toEqual([0, 100]);
  });
});

describe('helpers', () => {
  it('formats axis seconds as m:ss', () => {
    expect(formatAxisTime(0)).toBe('0:00');
    expect(formatAxisTime(125)).toBe('2:05');
  });
  it('finds the nearest sample', () => {
    expect(nearestIndex([0, 100, 200], 140)).toBe(1);
    expect(nearestIndex([0, 100, 200], 160)).toBe(2);
    expect(nearestIndex([0, 100, 200], -5)).toBe(0);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
