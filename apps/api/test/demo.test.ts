import { demoSet } from '@dronelog/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helper.js';

describe('demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  const expected = demoSet().filter((d) => d.log.version < 13);

  it('fills an empty logbook with the synthetic demo flights through the import pipeline', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/demo' });
    expect(res.statusCode).toBe(200);
    const results = res.json().results as Array<{ status: string; fileName: string }>;
    expect(results.map((r) => r.fileName)).toEqual(expected.map((d) => d.fileName));
    expect(results.every((r) => r.status === 'imported')).toBe(true);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/flights?limit=100' })).json();
    expect(list.total).toBe(expected.length);
    const models = new Set(list.items.map((f: { aircraftModel: string | null }) => f.aircraftModel));
    expect(models.size).toBeGreaterThanOrEqual(2);
  });

  it('adds nothing when loaded a second time', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/demo' });
    expect(res.json().results.every((r: { status: string }) => r.status === 'duplicate')).toBe(true);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/flights' })).json();
    expect(list.total).toBe(expected.length);
  });
});
