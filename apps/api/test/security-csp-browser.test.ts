import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { multipart } from './imports-helpers.js';
import { buildSecureApp, type SecureTestApp } from './security-helpers.js';

/**
 * The CSP against the real built web app (apps/web/build) in Debian's chromium: the list page, a flight page
 * (maplibre starts its worker, deck.gl and uPlot draw) and /api/docs load without a single CSP violation.
 * Needs `pnpm --filter @dronelog/web build` and /usr/bin/chromium (CHROMIUM_PATH); under CI=true both must exist.
 */
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.resolve(apiDir, '../web/build');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ci = process.env.CI === 'true' || process.env.CI === '1';
const missing = [
  fs.existsSync(path.join(webDir, '200.html')) ? null : `the built web app (${webDir}/200.html)`,
  fs.existsSync(chromiumPath) ? null : `chromium (${chromiumPath})`,
].filter((m): m is string => m !== null);
if (missing.length > 0 && !ci) console.warn(`\n!!! SKIPPING the CSP browser test: missing ${missing.join(' and ')}\n`);

interface Violation {
  page: string;
  text: string;
}

describe.skipIf(missing.length > 0 && !ci)('CSP in a real browser', () => {
  let t: SecureTestApp;
  let browser: Browser;
  let flightId: number;
  const violations: Violation[] = [];

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Playwright's init scripts bypass the page's CSP, so this listener sees every violation report.
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => console.error(" +
        "'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ')'));",
    });
    page.on('console', (m) => {
      const text = m.text();
      if (/Content Security Policy|CSP violation|Refused to (load|execute|apply|connect|create|frame)/i.test(text)) violations.push({ page: url, text });
    });
    page.on('pageerror', (err) => violations.push({ page: url, text: `page error: ${err.message}` }));
    await page.goto(`${t.url}${url}`);
    return page;
  }

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`CSP browser test needs ${missing.join(' and ')} (CI=true: not skipped)`);
    t = await buildSecureApp({ WEB_DIR: webDir, DJI_API_KEY: '' }, { listen: true });
    const body = await multipart([{ name: 'csp-flight.txt', bytes: writeDjiLog(demoFlight({ seed: 'csp', durationS: 60 }), { version: 10 }).bytes }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', ...body });
    flightId = res.json().results[0].flightId;
    expect(flightId).toBeGreaterThan(0);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the flight list with no CSP violation', { timeout: 90_000 }, async () => {
    const page = await open('/');
    await page.getByTestId('flight-row').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await page.close();
    expect(violations).toEqual([]);
  });

  it('shows a flight (maplibre and its worker, deck.gl, charts, replay, theme switch) with no CSP violation', { timeout: 90_000 }, async () => {
    const page = await open(`/flights/${flightId}`);
    await page.locator('[data-testid="flight-map"][data-ready="true"]').waitFor({ timeout: 45_000 });
    await page.locator('canvas').first().waitFor({ timeout: 15_000 });
    const play = page.getByTestId('play');
    if (await play.count()) {
      await play.click();
      await page.waitForTimeout(1000);
      await play.click();
    }
    const theme = page.getByTestId('theme-toggle');
    if (await theme.count()) {
      await theme.first().click();
      await page.waitForTimeout(500);
    }
    await page.waitForTimeout(500);
    await page.close();
    expect(violations).toEqual([]);
  });

  it('shows every other page of the app with no CSP violation', { timeout: 120_000 }, async () => {
    for (const url of ['/overview', '/equipment', '/report', '/settings', '/sync']) {
      const page = await open(url);
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
      await page.waitForTimeout(700);
      await page.close();
    }
    expect(violations).toEqual([]);
  });

  it('shows the import page and the API docs with no CSP violation', { timeout: 90_000 }, async () => {
    const imp = await open('/import');
    await imp.getByTestId('drop-target').waitFor({ timeout: 30_000 });
    await imp.close();
    const docs = await open('/api/docs/');
    await docs.locator('.swagger-ui .info').waitFor({ timeout: 30_000 });
    await docs.waitForTimeout(500);
    await docs.close();
    expect(violations).toEqual([]);
  });
});
