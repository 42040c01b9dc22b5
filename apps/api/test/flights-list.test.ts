import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { FlightListResponse, TelemetryNumericField as ContractField } from '@dronelog/contracts';
import type { TelemetryNumericField as FlightlogField } from '@dronelog/flightlog';
import { buildTestApp, type TestApp } from './helper.js';
import { seedLogbook, type Logbook } from './seed.js';

describe('flight list, detail and filter catalogues', () => {
  let t: TestApp;
  let book: Logbook;
  let ids: Logbook['ids'];

  beforeAll(async () => {
    t = await buildTestApp();
    book = await seedLogbook(t.app.db);
    ids = book.ids;
  });
  afterAll(async () => t.close());

  const list = async (query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights${query ? `?${query}` : ''}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as FlightListResponse;
  };
  const idsOf = (r: FlightListResponse) => r.items.map((f) => f.id);

  describe('sorting', () => {
    it('lists newest first by default, with total and totals over every flight', async () => {
      const r = await list();
      expect(idsOf(r)).toEqual([ids.f6, ids.f4, ids.f3, ids.f2, ids.f1, ids.f5]);
      expect(r.total).toBe(6);
      expect(r.limit).toBe(50);
      expect(r.offset).toBe(0);
      expect(r.nextCursor).toBeNull();
      expect(r.totals).toEqual({ flights: 6, durationS: 7050, distanceM: 21300, maxHeightM: 500 });
    });

    it('sorts by duration ascending', async () => {
      expect(idsOf(await list('sort=duration&order=asc'))).toEqual([ids.f4, ids.f5, ids.f1, ids.f2, ids.f3, ids.f6]);
    });

    it('puts flights without a distance last in both directions', async () => {
      expect(idsOf(await list('sort=distance&order=desc'))).toEqual([ids.f6, ids.f3, ids.f2, ids.f1, ids.f5, ids.f4]);
      expect(idsOf(await list('sort=distance&order=asc'))).toEqual([ids.f5, ids.f1, ids.f2, ids.f3, ids.f6, ids.f4]);
    });

    it('sorts by max height', async () => {
      expect(idsOf(await list('sort=maxHeight&order=desc'))).toEqual([ids.f6, ids.f3, ids.f2, ids.f1, ids.f5, ids.f4]);
    });

    it('sorts by the shown name (default names included), case-insensitively', async () => {
      // "Air 3 · 2024-10-15 12:00", "Beach", "Long survey", "Mini 4 Pro · 2024-09-01 14:55", "Mountain ridge", "Sunset over the lake"
      expect(idsOf(await list('sort=name&order=asc'))).toEqual([ids.f4, ids.f5, ids.f6, ids.f1, ids.f3, ids.f2]);
    });
  });

  describe('summaries', () => {
    it('names unnamed flights "<model> · <UTC start>" and keeps the custom name apart', async () => {
      const r = await list('sort=startTime&order=asc');
      const f1 = r.items.find((f) => f.id === ids.f1)!;
      expect(f1.name).toBe('Mini 4 Pro · 2024-09-01 14:55');
      expect(f1.customName).toBeNull();
      const f2 = r.items.find((f) => f.id === ids.f2)!;
      expect(f2.name).toBe('Sunset over the lake');
      expect(f2.customName).toBe('Sunset over the lake');
    });

    it('carries the summary fields and tags (auto first)', async () => {
      const r = await list();
      const f1 = r.items.find((f) => f.id === ids.f1)!;
      expect(f1).toMatchObject({
        startTime: '2024-09-01T14:55:00.000Z',
        endTime: '2024-09-01T15:05:00.000Z',
        durationS: 600,
        distanceM: 1000,
        maxHeightM: 100,
        aircraftName: 'Minnie',
        aircraftModel: 'Mini 4 Pro',
        aircraftSerial: 'AC1',
        batterySerial: 'B1',
        homeLat: 47.1,
        homeLon: 8.1,
        photoCount: 3,
        videoCount: 0,
        batteryStartPercent: 98,
        batteryEndPercent: 40,
        fileName: 'DJIFlightRecord_2024-09-01_[14-55-00].txt',
        color: null,
        tags: [{ name: 'lake', kind: 'manual' }],
      });
      const f2 = r.items.find((f) => f.id === ids.f2)!;
      expect(f2.tags).toEqual([
        { name: 'night', kind: 'auto' },
        { name: 'lake', kind: 'manual' },
      ]);
      expect(f2.color).toBe('#ff8800');
      expect(r.items.find((f) => f.id === ids.f4)!.distanceM).toBeNull();
    });
  });

  describe('filters', () => {
    it('filters by UTC days, both ends inclusive', async () => {
      expect(idsOf(await list('from=2024-09-01&to=2024-09-01'))).toEqual([ids.f2, ids.f1]);
      expect(idsOf(await list('from=2024-09-01&to=2024-09-02'))).toEqual([ids.f3, ids.f2, ids.f1]);
      expect(idsOf(await list('to=2023-12-31'))).toEqual([ids.f5]);
      expect(idsOf(await list('from=2025-01-01'))).toEqual([ids.f6]);
    });

    it('takes instants with an offset as exact bounds (local days)', async () => {
      // 2024-09-02T09:00+02:00 = 07:00Z: f3 (08:00Z) is outside.
      expect(idsOf(await list(`from=2024-09-01&to=${encodeURIComponent('2024-09-02T09:00:00+02:00')}`))).toEqual([ids.f2, ids.f1]);
      expect(idsOf(await list(`from=${encodeURIComponent('2024-09-01T14:55:00Z')}&to=2024-09-01`))).toEqual([ids.f2, ids.f1]);
      expect(idsOf(await list(`from=${encodeURIComponent('2024-09-01T14:55:01Z')}&to=2024-09-01`))).toEqual([ids.f2]);
    });

    it('filters by aircraft serials, repeated or comma-separated', async () => {
      expect(idsOf(await list('aircraft=AC1'))).toEqual([ids.f2, ids.f1]);
      expect(idsOf(await list('aircraft=AC1,AC3'))).toEqual([ids.f2, ids.f1, ids.f5]);
      expect(idsOf(await list('aircraft=AC1&aircraft=AC2'))).toEqual([ids.f4, ids.f3, ids.f2, ids.f1]);
      expect(idsOf(await list('aircraft=nope'))).toEqual([]);
    });

    it('filters by battery serials', async () => {
      expect(idsOf(await list('battery=B3'))).toEqual([ids.f4, ids.f3]);
      expect(idsOf(await list('battery=B1&battery=B5'))).toEqual([ids.f6, ids.f1]);
    });

    it('filters by tags, any (default) or all, case-insensitively', async () => {
      expect(idsOf(await list('tag=lake'))).toEqual([ids.f2, ids.f1]);
      expect(idsOf(await list('tag=LAKE'))).toEqual([ids.f2, ids.f1]);
      expect(idsOf(await list('tag=lake,night'))).toEqual([ids.f2, ids.f1, ids.f5]);
      expect(idsOf(await list('tag=lake&tag=night&tagMatch=all'))).toEqual([ids.f2]);
    });

    it('searches name, default name, notes, aircraft and file name case-insensitively', async () => {
      expect(idsOf(await list('q=wind'))).toEqual([ids.f3, ids.f2]);
      expect(idsOf(await list('q=BEACH'))).toEqual([ids.f5]);
      expect(idsOf(await list('q=minnie'))).toEqual([ids.f2, ids.f1]);
      expect(idsOf(await list(`q=${encodeURIComponent('[14-55')}`))).toEqual([ids.f1]);
      expect(idsOf(await list(`q=${encodeURIComponent('air 3 · 2024-10')}`))).toEqual([ids.f4]);
      // No wildcard semantics: % and _ are plain characters.
      expect(idsOf(await list('q=%25'))).toEqual([]);
      expect(idsOf(await list('q=_'))).toEqual([ids.f1]);
    });

    it('combines filters and computes totals over the filtered set only', async () => {
      const r = await list('aircraft=AC1&limit=1');
      expect(r.items).toHaveLength(1);
      expect(r.total).toBe(2);
      expect(r.totals).toEqual({ flights: 2, durationS: 1500, distanceM: 3500, maxHeightM: 120 });
      const none = await list('aircraft=AC2&q=beach');
      expect(none.items).toEqual([]);
      expect(none.totals).toEqual({ flights: 0, durationS: 0, distanceM: 0, maxHeightM: null });
    });
  });

  describe('pagination', () => {
    it('pages by offset with a stable total', async () => {
      const r = await list('limit=2&offset=2');
      expect(idsOf(r)).toEqual([ids.f3, ids.f2]);
      expect(r.total).toBe(6);
      expect(r.offset).toBe(2);
      expect(idsOf(await list('limit=2&offset=6'))).toEqual([]);
    });

    for (const sortQuery of ['sort=startTime&order=desc', 'sort=distance&order=asc', 'sort=name&order=desc', 'sort=maxHeight&order=desc']) {
      it(`walks every page by cursor in the unpaged order (${sortQuery})`, async () => {
        const all = idsOf(await list(sortQuery));
        const seen: number[] = [];
        const offsets: number[] = [];
        let cursor: string | null = null;
        for (let guard = 0; guard < 10; guard++) {
          const r: FlightListResponse = await list(`${sortQuery}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...idsOf(r));
          offsets.push(r.offset);
          cursor = r.nextCursor;
          if (!cursor) break;
        }
        expect(seen).toEqual(all);
        expect(offsets).toEqual([0, 2, 4]);
      });
    }

    it('rejects a cursor issued for another sort, and garbage cursors', async () => {
      const first = await list('sort=duration&limit=2');
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights?sort=distance&limit=2&cursor=${first.nextCursor}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('sort=duration');
      const bad = await t.app.inject({ method: 'GET', url: '/api/v1/flights?cursor=not-a-cursor' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toBe('invalid-cursor');
    });
  });

  describe('validation', () => {
    for (const [query, fragment] of [
      ['limit=501', 'limit'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
      ['sort=speed', 'querystring/sort must be equal to one of the allowed values'],
      ['order=up', 'order'],
      ['from=yesterday', 'from=yesterday is not a date; use a day YYYY-MM-DD'],
      ['to=2024-09-01T25:00', 'not a valid time'],
      ['from=2024-02-30', 'from=2024-02-30'],
      ['from=2024-09-02&to=2024-09-01', 'after'],
      ['tagMatch=some', 'tagMatch'],
    ] as const) {
      it(`answers 400 with an actionable message for ${query}`, async () => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights?${query}` });
        expect(res.statusCode).toBe(400);
        expect(res.json().message).toContain(fragment);
      });
    }

    it('accepts the maximum page size', async () => {
      expect((await list('limit=500')).limit).toBe(500);
    });
  });

  describe('detail', () => {
    it('returns full metadata, tags, messages in time order and parse warnings', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${ids.f2}` });
      expect(res.statusCode).toBe(200);
      const f = res.json();
      expect(f).toMatchObject({
        id: ids.f2,
        name: 'Sunset over the lake',
        notes: 'windy evening',
        sourceFormat: 'dji-txt',
        tags: [
          { name: 'night', kind: 'auto' },
          { name: 'lake', kind: 'manual' },
        ],
        messages: [
          { tMs: 1000, severity: 'tip', text: 'Aircraft connected.' },
          { tMs: 5000, severity: 'warning', text: 'Strong wind. Fly with caution.' },
        ],
        parseWarnings: [],
        updatedAt: '2020-01-01T00:00:00.000Z',
      });
      const f3 = (await t.app.inject({ method: 'GET', url: `/api/v1/flights/${ids.f3}` })).json();
      expect(f3.parseWarnings).toEqual([{ code: 'gps-jump', count: 3, message: '3 GPS jumps were removed.' }]);
      expect(f3.batteryCycles).toBe(42);
    });

    it('answers 404 for a missing flight and 400 for a non-numeric id', async () => {
      const missing = await t.app.inject({ method: 'GET', url: '/api/v1/flights/999999' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: 'not-found', message: expect.stringContaining('999999') });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/flights/abc' })).statusCode).toBe(400);
    });
  });

  describe('filter catalogues', () => {
    it('lists tags with flight counts, most used first', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/tags' });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([
        { name: 'lake', count: 2, kinds: ['manual'] },
        { name: 'night', count: 2, kinds: ['auto'] },
        { name: 'mountains', count: 1, kinds: ['manual'] },
        { name: 'survey', count: 1, kinds: ['manual'] },
      ]);
    });

    it('lists aircraft by serial with latest name/model and counts', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/aircraft' });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([
        { serial: 'AC4', name: null, model: 'Mavic 3', flightCount: 1, totalDurationS: 3600, lastFlightAt: '2025-01-01T10:00:00.000Z' },
        { serial: 'AC2', name: null, model: 'Air 3', flightCount: 2, totalDurationS: 1500, lastFlightAt: '2024-10-15T12:00:00.000Z' },
        { serial: 'AC1', name: 'Minnie', model: 'Mini 4 Pro', flightCount: 2, totalDurationS: 1500, lastFlightAt: '2024-09-01T23:30:00.000Z' },
        { serial: 'AC3', name: null, model: 'Mini 3', flightCount: 1, totalDurationS: 450, lastFlightAt: '2023-12-31T23:59:59.000Z' },
      ]);
    });

    it('lists batteries by serial with counts and cycles', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/batteries' });
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.map((b: { serial: string }) => b.serial)).toEqual(['B5', 'B3', 'B2', 'B1', 'B4']);
      expect(items[1]).toEqual({
        serial: 'B3',
        aircraftModel: 'Air 3',
        flightCount: 2,
        totalDurationS: 1500,
        maxCycles: 43,
        lastFlightAt: '2024-10-15T12:00:00.000Z',
      });
    });
  });

  it('answers concurrent requests on the one reader connection', async () => {
    const urls = ['/api/v1/flights', `/api/v1/flights/${ids.f2}`, '/api/v1/tags', '/api/v1/aircraft', `/api/v1/flights/${ids.f6}/track`];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.app.inject({ method: 'GET', url: urls[i % urls.length]! })));
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));
  });

  describe('OpenAPI', () => {
    it('documents every flight route with its parameters and error responses', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(res.statusCode).toBe(200);
      const paths = res.json().paths as Record<string, Record<string, { tags?: string[]; summary?: string; responses: Record<string, unknown> }>>;
      const expected: Array<[string, string, string[]]> = [
        ['/api/v1/flights', 'get', ['200', '400']],
        ['/api/v1/flights/{id}', 'get', ['200', '400', '404']],
        ['/api/v1/flights/{id}', 'patch', ['200', '400', '404']],
        ['/api/v1/flights/{id}', 'delete', ['204', '400', '404']],
        ['/api/v1/flights/{id}/telemetry', 'get', ['200', '400', '404']],
        ['/api/v1/flights/{id}/track', 'get', ['200', '400', '404']],
        ['/api/v1/tags', 'get', ['200']],
        ['/api/v1/aircraft', 'get', ['200']],
        ['/api/v1/batteries', 'get', ['200']],
      ];
      for (const [path, method, statuses] of expected) {
        const op = paths[path]?.[method];
        expect(op, `${method} ${path}`).toBeDefined();
        expect(op!.tags).toEqual(['flights']);
        expect(op!.summary).toBeTruthy();
        expect(Object.keys(op!.responses).sort()).toEqual(statuses);
      }
      const listParams = (paths['/api/v1/flights']!.get as unknown as { parameters: Array<{ name: string }> }).parameters.map((p) => p.name);
      expect(listParams).toEqual(
        expect.arrayContaining(['limit', 'offset', 'cursor', 'sort', 'order', 'from', 'to', 'aircraft', 'battery', 'tag', 'tagMatch', 'q']),
      );
    });
  });

  it('keeps the contract field names in sync with the parser (type-level)', () => {
    expectTypeOf<ContractField>().toEqualTypeOf<FlightlogField>();
  });
});
