import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { mvtSquareTile, writePmtiles } from '@dronelog/testkit';

/**
 * Journeys against the BUILT app: apps/api/dist/server.js serving apps/web/build, on a fresh temp data
 * dir, one worker. Build first: `pnpm --filter @dronelog/api... build && pnpm --filter @dronelog/web build`.
 * Browser: Debian's chromium (never downloaded); WebGL through SwiftShader so maplibre/deck.gl draw.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const port = Number(process.env.E2E_PORT ?? 8787);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dronelog-e2e-'));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A second server with a local basemap (MAP_PMTILES_PATH) for basemap.spec.ts: a one-tile world of Protomaps "earth",
// so maplibre has a real vector tile to read and draw.
const basemapPort = port + 1;
const basemapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dronelog-e2e-basemap-'));
const pmtilesFile = path.join(basemapDir, 'world.pmtiles');
fs.writeFileSync(pmtilesFile, writePmtiles([{ z: 0, x: 0, y: 0, data: mvtSquareTile(['earth']) }]));
const serverEnv = {
  HOST: '127.0.0.1',
  WEB_DIR: path.join(repo, 'apps/web/build'),
  LOG_LEVEL: 'warn',
  // No DJI key: v13+ logs must end up "awaiting key", never call DJI.
  DJI_API_KEY: '',
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // Generous: CI shares 2 cores with everything else; a journey takes 2–20 s on an idle machine.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: /basemap\.spec\.ts$/, use: { browserName: 'chromium' } },
    { name: 'basemap', testMatch: /basemap\.spec\.ts$/, use: { browserName: 'chromium', baseURL: `http://127.0.0.1:${basemapPort}` } },
  ],
  webServer: [
    {
      command: `node ${JSON.stringify(path.join(repo, 'apps/api/dist/server.js'))}`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: process.env.E2E_SERVER_LOG ? 'pipe' : 'ignore',
      stderr: 'pipe',
      env: { ...serverEnv, PORT: String(port), DATA_DIR: dataDir },
    },
    {
      command: `node ${JSON.stringify(path.join(repo, 'apps/api/dist/server.js'))}`,
      url: `http://127.0.0.1:${basemapPort}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: process.env.E2E_SERVER_LOG ? 'pipe' : 'ignore',
      stderr: 'pipe',
      env: { ...serverEnv, PORT: String(basemapPort), DATA_DIR: path.join(basemapDir, 'data'), MAP_PMTILES_PATH: pmtilesFile },
    },
  ],
});
