import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlightDetail } from '@dronelog/contracts';
import { buildTestApp, type TestApp } from './helper.js';
import { countRows, seedImport, seedLogbook, type Logbook } from './seed.js';

describe('flight editing and deletion', () => {
  let t: TestApp;
  let ids: Logbook['ids'];

  beforeAll(async () => {
    t = await buildTestApp();
    ids = (await seedLogbook(t.app.db)).ids;
  });
  afterAll(async () => t.close());

  const patch = (id: number, payload: unknown) => t.app.inject({ method: 'PATCH', url: `/api/v1/flights/${id}`, payload: payload as object });
  const get = async (id: number) => (await t.app.inject({ method: 'GET', url: `/api/v1/flights/${id}` })).json() as FlightDetail;

  describe('PATCH', () => {
    it('changes name, notes and colour, normalising them, and bumps updatedAt', async () => {
      const res = await patch(ids.f1, { name: '  Morning over the lake  ', notes: 'Calm.\nGood light.', color: '#1E90FF' });
      expect(res.statusCode, res.body).toBe(200);
      const f = res.json() as FlightDetail;
      expect(f).toMatchObject({ id: ids.f1, name: 'Morning over the lake', customName: 'Morning over the lake', notes: 'Calm.\nGood light.', color: '#1e90ff' });
      expect(f.updatedAt > '2020-01-01T00:00:00.000Z').toBe(true);
      expect(Date.now() - Date.parse(f.updatedAt)).toBeLessThan(60_000);
      expect(await get(ids.f1)).toEqual(f);
    });

    it('changes only the fields sent', async () => {
      const before = await get(ids.f3);
      const f = (await patch(ids.f3, { color: '#00ff00' })).json() as FlightDetail;
      expect(f.color).toBe('#00ff00');
      expect(f.name).toBe(before.name);
      expect(f.notes).toBe(before.notes);
      expect(f.tags).toEqual(before.tags);
    });

    it('restores the default name when the name is cleared, and clears notes and colour with null', async () => {
      await patch(ids.f4, { name: 'Temporary', notes: 'x', color: '#123456' });
      const cleared = (await patch(ids.f4, { name: '', notes: null, color: null })).json() as FlightDetail;
      expect(cleared.name).toBe('Air 3 · 2024-10-15 12:00');
      expect(cleared.customName).toBeNull();
      expect(cleared.notes).toBeNull();
      expect(cleared.color).toBeNull();
      expect(((await patch(ids.f4, { name: null })).json() as FlightDetail).customName).toBeNull();
    });

    it('replaces manual tags only: auto tags stay, duplicates merge, an auto tag is not duplicated as manual', async () => {
      // f2 has auto "night" and manual "lake".
      const f = (await patch(ids.f2, { tags: ['  golden   hour ', 'Golden Hour', 'NIGHT', 'sunset'] })).json() as FlightDetail;
      expect(f.tags).toEqual([
        { name: 'night', kind: 'auto' },
        { name: 'golden hour', kind: 'manual' },
        { name: 'sunset', kind: 'manual' },
      ]);
      // Same set again plus one (no delete + re-insert of unchanged keys), then a case change.
      const again = (await patch(ids.f2, { tags: ['golden hour', 'sunset', 'lake'] })).json() as FlightDetail;
      expect(again.tags.map((x) => x.name)).toEqual(['night', 'golden hour', 'lake', 'sunset']);
      const recased = (await patch(ids.f2, { tags: ['Lake'] })).json() as FlightDetail;
      expect(recased.tags).toEqual([
        { name: 'night', kind: 'auto' },
        { name: 'Lake', kind: 'manual' },
      ]);
      const none = (await patch(ids.f2, { tags: [] })).json() as FlightDetail;
      expect(none.tags).toEqual([{ name: 'night', kind: 'auto' }]);
    });

    it('makes edited tags and names visible to the list filters', async () => {
      await patch(ids.f5, { tags: ['coast'], name: 'Seaside' });
      const byTag = (await t.app.inject({ method: 'GET', url: '/api/v1/flights?tag=coast' })).json();
      expect(byTag.items.map((f: { id: number }) => f.id)).toEqual([ids.f5]);
      const byText = (await t.app.inject({ method: 'GET', url: '/api/v1/flights?q=seaside' })).json();
      expect(byText.items.map((f: { id: number }) => f.id)).toEqual([ids.f5]);
      const tags = (await t.app.inject({ method: 'GET', url: '/api/v1/tags' })).json().items;
      expect(tags).toContainEqual({ name: 'coast', count: 1, kinds: ['manual'] });
    });

    describe('validation', () => {
      for (const [title, body, fragment] of [
        ['a colour that is not #rrggbb', { color: 'red' }, '#'],
        ['a 3-digit colour', { color: '#fff' }, 'color'],
        ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
        ['a name with a line break', { name: 'two\nlines' }, 'single line'],
        ['an empty tag', { tags: ['ok', '   '] }, 'tags[1] is empty'],
        ['a tag with a comma', { tags: ['a,b'] }, 'comma'],
        ['a tag over 40 characters', { tags: ['x'.repeat(41)] }, 'tags'],
        ['more than 50 tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
        ['tags that are not strings', { tags: [1, 2] }, 'tags'],
        ['an empty body', {}, 'at least'],
        ['only unknown fields', { colour: '#ffffff' }, 'name, notes, color, tags'],
        ['a name of the wrong type', { name: 42 }, 'name'],
      ] as const) {
        it(`answers 400 with an actionable message for ${title}`, async () => {
          const res = await patch(ids.f3, body);
          expect(res.statusCode, res.body).toBe(400);
          expect(res.json().message).toContain(fragment);
        });
      }

      it('leaves the flight unchanged after a rejected PATCH', async () => {
        const before = await get(ids.f3);
        expect((await patch(ids.f3, { name: 'New', tags: ['a,b'] })).statusCode).toBe(400);
        expect(await get(ids.f3)).toEqual(before);
      });

      it('answers 404 for a missing flight and 400 for a bad id', async () => {
        expect((await patch(987654, { name: 'x' })).statusCode).toBe(404);
        expect((await patch(0, { name: 'x' })).statusCode).toBe(400);
      });
    });
  });

  describe('DELETE', () => {
    let other: Record<number, Record<string, number>>;
    beforeEach(async () => {
      other = {};
      for (const id of Object.values(ids)) other[id] = await countRows(t.app.db, id);
    });

    it('removes the flight, its telemetry, messages and tags in one go and leaves other flights and the ledger intact', async () => {
      const importId = await seedImport(t.app.db, ids.f6, 'long.txt');
      const before = await countRows(t.app.db, ids.f6);
      expect(before).toEqual({ flights: 1, telemetry: 36_000, flight_messages: 1, flight_tags: 1, imports: 1 });

      const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/flights/${ids.f6}` });
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');

      expect(await countRows(t.app.db, ids.f6)).toEqual({ flights: 0, telemetry: 0, flight_messages: 0, flight_tags: 0, imports: 1 });
      const ledger = await t.app.db.reader.runAndReadAll('SELECT status, flight_id FROM imports WHERE id = $1', [importId]);
      expect(ledger.getRowObjectsJS()[0]).toMatchObject({ status: 'imported' });
      for (const id of Object.values(ids).filter((x) => x !== ids.f6)) {
        expect(await countRows(t.app.db, id), `flight ${id}`).toEqual(other[id]);
      }
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/flights/${ids.f6}` })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/flights/${ids.f6}/telemetry` })).statusCode).toBe(404);
      const list = (await t.app.inject({ method: 'GET', url: '/api/v1/flights' })).json();
      expect(list.total).toBe(5);
      expect(list.items.map((f: { id: number }) => f.id)).not.toContain(ids.f6);
    });

    it('answers 404 for a flight that is already gone, and 400 for a bad id', async () => {
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/flights/${ids.f6}` })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/flights/abc' })).statusCode).toBe(400);
    });

    it('keeps the deletion after a restart (committed to the file)', async () => {
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/flights/${ids.f1}` })).statusCode).toBe(204);
      await t.restart();
      expect(await countRows(t.app.db, ids.f1)).toEqual({ flights: 0, telemetry: 0, flight_messages: 0, flight_tags: 0, imports: 0 });
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/flights/${ids.f2}` })).statusCode).toBe(200);
    });
  });
});
