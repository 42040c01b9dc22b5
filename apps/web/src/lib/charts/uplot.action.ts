/**
 * Svelte action owning one uPlot chart: lazy-loads uPlot, creates on mount, updates data / x range /
 * playhead cheaply, rebuilds only when the options object changes, destroys on unmount.
 * Cursor sync across panels is uPlot's own (cursor.sync.key); zoom is lifted to the page via onZoom.
 */
import type uPlot from 'uplot';

export interface UplotParams {
  options: uPlot.Options;
  data: uPlot.AlignedData;
  /** Visible x range in seconds, null = whole flight. */
  xRange: [number, number] | null;
  /** Replay time in seconds (drawn as a vertical line), null to hide. */
  playhead: number | null;
  /** Drag-select (seconds) or null on double-click reset. */
  onZoom?: (range: [number, number] | null) => void;
  /** Hovered time in seconds, null when the cursor leaves. */
  onHover?: (sec: number | null) => void;
  /**
   * Move this chart's cursor to the playhead when no chart is under the pointer (replay, scrubber,
   * keys); uPlot's cursor sync carries it to the other panels, so one chart per group sets this.
   */
  driveCursor?: boolean;
  /** A legend click showed or hid series `index` (1-based, as in uPlot). */
  onSeriesToggle?: (index: number, show: boolean) => void;
}

/** Charts under the pointer right now, across all panels (the user's hover wins over the replay). */
let pointerCharts = 0;
/** True while the replay moves the cursors, so the synced hooks do not echo it back as a hover. */
let driving = false;

let uplotModule: Promise<typeof uPlot> | null = null;
function loadUplot(): Promise<typeof uPlot> {
  uplotModule ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(
    ([m]) => ((m as { default?: typeof uPlot }).default ?? m) as typeof uPlot,
  );
  return uplotModule;
}

export function uplot(node: HTMLElement, params: UplotParams) {
  let p = params;
  let chart: uPlot | null = null;
  let destroyed = false;
  let playheadEl: HTMLDivElement | null = null;
  let UPlot: typeof uPlot | null = null;

  const width = () => Math.max(240, Math.floor(node.clientWidth));

  function placePlayhead() {
    if (!chart || !playheadEl) return;
    const sec = p.playhead;
    const scale = chart.scales.x;
    if (sec === null || scale?.min === undefined || scale.max === undefined || sec < scale.min || sec > scale.max) {
      playheadEl.style.display = 'none';
      return;
    }
    playheadEl.style.display = 'block';
    playheadEl.style.transform = `translateX(${chart.valToPos(sec, 'x')}px)`;
  }

  function driveCursor() {
    if (!chart || !p.driveCursor || pointerCharts > 0 || p.playhead === null) return;
    const scale = chart.scales.x;
    if (scale?.min === undefined || scale.max === undefined || p.playhead < scale.min || p.playhead > scale.max) return;
    driving = true;
    try {
      chart.setCursor({ left: chart.valToPos(p.playhead, 'x'), top: chart.over.clientHeight / 2 });
    } finally {
      driving = false;
    }
  }

  function applyRange() {
    if (!chart) return;
    const xs = chart.data[0];
    if (p.xRange) chart.setScale('x', { min: p.xRange[0], max: p.xRange[1] });
    else if (xs.length > 0) chart.setScale('x', { min: xs[0]!, max: xs[xs.length - 1]! });
  }

  function create() {
    if (!UPlot || destroyed) return;
    chart?.destroy();
    const opts: uPlot.Options = {
      ...p.options,
      width: width(),
      hooks: {
        ...p.options.hooks,
        setSelect: [
          (u) => {
            if (u.select.width > 4) {
              const min = u.posToVal(u.select.left, 'x');
              const max = u.posToVal(u.select.left + u.select.width, 'x');
              p.onZoom?.([min, max]);
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            const x = idx === null || idx === undefined ? null : (u.data[0][idx] ?? null);
            if (x === null) delete node.dataset.cursorMs;
            else node.dataset.cursorMs = String(Math.round(x * 1000));
            if (!driving) p.onHover?.(x);
          },
        ],
        setScale: [(u, key) => key === 'x' && placePlayhead()],
        setSeries: [
          (u, idx, opts) => {
            if (idx !== null && idx > 0 && opts.show !== undefined) p.onSeriesToggle?.(idx, opts.show);
          },
        ],
      },
    };
    chart = new UPlot(opts, p.data, node);
    playheadEl = document.createElement('div');
    playheadEl.className = 'u-playhead';
    chart.over.appendChild(playheadEl);
    chart.over.addEventListener('dblclick', () => p.onZoom?.(null));
    chart.over.addEventListener('mouseenter', () => pointerCharts++);
    chart.over.addEventListener('mouseleave', () => {
      pointerCharts = Math.max(0, pointerCharts - 1);
      p.onHover?.(null);
    });
    applyRange();
    placePlayhead();
    node.dataset.ready = 'true';
  }

  const ro = new ResizeObserver(() => {
    if (chart && Math.abs(chart.width - width()) > 1) {
      chart.setSize({ width: width(), height: p.options.height });
      placePlayhead();
    }
  });
  ro.observe(node);

  loadUplot().then((m) => {
    if (destroyed) return;
    UPlot = m;
    create();
  });

  return {
    update(next: UplotParams) {
      const prev = p;
      p = next;
      if (!chart) return;
      if (next.options !== prev.options) {
        create();
        return;
      }
      if (next.data !== prev.data) {
        chart.setData(next.data, false);
        applyRange();
      } else if (next.xRange?.[0] !== prev.xRange?.[0] || next.xRange?.[1] !== prev.xRange?.[1]) {
        applyRange();
      }
      if (next.playhead !== prev.playhead) {
        placePlayhead();
        driveCursor();
      }
    },
    destroy() {
      destroyed = true;
      ro.disconnect();
      if (chart?.over.matches(':hover')) pointerCharts = Math.max(0, pointerCharts - 1);
      chart?.destroy();
      chart = null;
    },
  };
}
