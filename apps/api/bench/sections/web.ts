/**
 * 5. Web: gzip sizes of the built app (apps/web/scripts/bundle-sizes.mjs, the project's own measure) and the time
 * from navigation to the first painted chart of a 60-minute flight in headless Debian chromium, served by the
 * query benchmark's server (10 000 flights). Each navigation is a fresh browser context (cold HTTP cache).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import type { Context } from '../lib/context.js';
import { paths } from '../lib/paths.js';
import type { Row } from '../lib/report.js';
import { fmtMs, median } from '../lib/stats.js';
import type { QueryServer } from './queries.js';

const S = 'web';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Rows of bundle-sizes.mjs: "<label>   12.3 KB gzip   45.6 KB raw  (n files)". */
async function bundleSizes(): Promise<Map<string, { gzipKb: number; rawKb: number }>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['scripts/bundle-sizes.mjs'], { cwd: paths.webDir });
  const out = new Map<string, { gzipKb: number; rawKb: number }>();
  for (const line of stdout.split('\n')) {
    const m = /^(.*?)\s+([\d.]+) KB gzip\s+([\d.]+) KB raw/.exec(line);
    if (m) out.set(m[1]!.trim(), { gzipKb: Number(m[2]), rawKb: Number(m[3]) });
  }
  return out;
}

/** Records when the first uPlot canvas is in the page and a frame has been rendered after it (performance.now(), ms since navigation start). */
const PAINT_PROBE = `
(() => {
  const mark = () => {
    if (window.__chartPaint !== undefined) return true;
    if (!document.querySelector('[data-testid="chart-panel"] .uplot canvas')) return false;
    window.__chartPaint = null;
    requestAnimationFrame(() => setTimeout(() => { window.__chartPaint = performance.now(); }, 0));
    return true;
  };
  new MutationObserver((_, obs) => { if (mark()) obs.disconnect(); }).observe(document, { childList: true, subtree: true });
})();`;

interface Navigation {
  chartPaintMs: number;
  fcpMs: number;
  telemetryEndMs: number;
}

export async function webSection(ctx: Context, qs: QueryServer | null, rows: Row[]): Promise<void> {
  if (!fs.existsSync(path.join(paths.webDir, '.svelte-kit/output/client/.vite/manifest.json')) || !fs.existsSync(paths.webBuild)) {
    ctx.note(S, 'The web app is not built (`pnpm build`): sizes and chart paint were not measured.');
    rows.push({ section: S, figure: 'web app build', value: 'missing', target: 'built', verdict: 'fail', reference: 'run pnpm build' });
    return;
  }
  const sizes = await bundleSizes();
  const size = (label: string, figure: string) => {
    const key = [...sizes.keys()].find((k) => k.startsWith(label));
    const s = key ? sizes.get(key) : undefined;
    rows.push({
      section: S,
      figure,
      value: s ? `${s.gzipKb.toFixed(1)} KB gzip` : 'not found',
      target: '—',
      verdict: s ? 'info' : 'fail',
      reference: s ? `${s.rawKb.toFixed(1)} KB raw; apps/web/scripts/bundle-sizes.mjs (gzip -9)` : 'bundle-sizes.mjs output changed',
    });
  };
  size('initial JS', 'initial JS (app shell + flight list)');
  size('map chunk', 'lazy map chunk (maplibre-gl + deck.gl)');
  size('uPlot chunk', 'lazy chart chunk (uPlot)');

  if (!qs) return;
  if (!fs.existsSync(CHROMIUM)) {
    ctx.note(S, `${CHROMIUM} not found (set CHROMIUM_PATH): chart paint not measured.`);
    return;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const navs: Navigation[] = [];
  try {
    const url = `${qs.server.url}/flights/${qs.db.longFlightId}`;
    for (let i = 0; i < ctx.profile.webRuns + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript({ content: PAINT_PROBE });
      await page.goto(url);
      // These functions run in the page (no string eval: the app's CSP forbids it); typed with Node's globals.
      type ProbeGlobal = { __chartPaint?: number | null };
      await page.waitForFunction(() => typeof (globalThis as ProbeGlobal).__chartPaint === 'number', undefined, { timeout: 60_000 });
      const nav = await page.evaluate((): Navigation => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        const tele = performance.getEntriesByType('resource').find((e) => e.name.includes('/telemetry')) as { responseEnd?: number } | undefined;
        return { chartPaintMs: (globalThis as ProbeGlobal).__chartPaint ?? NaN, fcpMs: fcp ? fcp.startTime : NaN, telemetryEndMs: tele?.responseEnd ?? NaN };
      });
      if (i > 0) navs.push(nav); // the first navigation warms the server and the browser binary
      await context.close();
    }
  } finally {
    await browser.close();
  }
  rows.push({
    section: S,
    figure: `first chart paint, 60-min flight (cold cache, median of ${navs.length})`,
    value: fmtMs(median(navs.map((n) => n.chartPaintMs))),
    target: '—',
    verdict: 'info',
    reference: `first contentful paint ${fmtMs(median(navs.map((n) => n.fcpMs)))}; telemetry response complete at ${fmtMs(median(navs.map((n) => n.telemetryEndMs)))}`,
  });
  ctx.note(S, `Chart paint: navigation start → first animation frame after the first uPlot canvas is in the page, headless ${path.basename(CHROMIUM)} (${FLAGS.join(' ')}), 1440×900, fresh context per navigation, one warm-up navigation.`);
}
