import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations.js';
import { buildTestApp, type TestApp } from './helper.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('answers liveness', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is ready once migrations ran, and stays ready after a restart on the same file', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.json()).toMatchObject({ status: 'ready', schemaVersion: migrations.at(-1)!.version });
    await t.restart();
    const again = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(again.json()).toMatchObject({ status: 'ready', schemaVersion: migrations.at(-1)!.version });
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/healthz']).toBeDefined();
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('/api/v1/nope');
  });

  it('tells the web app the non-secret settings it adapts to, and nothing secret', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      mapStyleUrl: null,
      basemap: { kind: 'none', styleUrl: null },
      djiKeyConfigured: false,
      syncEnabled: false,
      maxUploadBytes: t.config.maxUploadBytes,
    });
    const keyed = await buildTestApp({ DJI_API_KEY: 'secret-key-123', MAP_STYLE_URL: 'https://tiles.example.org/style.json' });
    try {
      const body = (await keyed.app.inject({ method: 'GET', url: '/api/v1/config' })).body;
      expect(JSON.parse(body)).toMatchObject({ mapStyleUrl: 'https://tiles.example.org/style.json', djiKeyConfigured: true });
      expect(body).not.toContain('secret-key-123');
    } finally {
      await keyed.close();
    }
  });
});

