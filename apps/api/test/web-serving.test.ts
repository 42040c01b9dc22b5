import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helper.js';

describe('serving the built web app', () => {
  let t: TestApp;
  let webDir: string;
  beforeAll(async () => {
    webDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-web-'));
    await fs.mkdir(path.join(webDir, '_app'), { recursive: true });
    await fs.writeFile(path.join(webDir, '200.html'), '<!doctype html><title>Dronelog shell</title>');
    await fs.writeFile(path.join(webDir, '_app', 'start.js'), 'console.log(1)');
    t = await buildTestApp({ WEB_DIR: webDir });
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(webDir, { recursive: true, force: true });
  });

  it('serves build assets as files', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/_app/start.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
  });

  it('answers client-side routes with the SPA shell so a reload works', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/flights/42?tab=map' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Dronelog shell');
  });

  it('answers a missing build asset with 404, not the HTML shell', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/_app/immutable/gone.js' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('Dronelog shell');
  });

  it('answers unknown API paths with JSON, not the shell', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/unknown' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('not-found');
  });
});
