import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, hasFilters, parseListQuery, toApiParams, toSearchParams, withChanges } from './list-query.js';

describe('parseListQuery', () => {
  it('gives the defaults for an empty URL', () => {
    expect(parseListQuery(new URLSearchParams())).toEqual(DEFAULT_QUERY);
  });
  it('reads filters, repeated or comma-separated', () => {
    const q = parseListQuery(new URLSearchParams('q=lake&from=2024-01-01&to=2024-03-31&aircraft=A1,A2&tag=night&tag=city&battery=B1&sort=distance&order=asc&page=3&size=100'));
    expect(q).toMatchObject({ q: 'lake', from: '2024-01-01', to: '2024-03-31', aircraft: ['A1', 'A2'], tags: ['night', 'city'], battery: ['B1'], sort: 'distance', order: 'asc', page: 3, pageSize: 100 });
  });
  it('ignores invalid values instead of failing', () => {
    const q = parseListQuery(new URLSearchParams('from=yesterday&sort=drop%20table&page=-4&size=7'));
    expect(q.from).toBeNull();
    expect(q.sort).toBe('startTime');
    expect(q.page).toBe(1);
    expect(q.pageSize).toBe(50);
  });
});

describe('toSearchParams', () => {
  it('round-trips and leaves defaults out of the URL', () => {
    expect(toSearchParams(DEFAULT_QUERY).toString()).toBe('');
    const q = { ...DEFAULT_QUERY, q: 'x', tags: ['a', 'b'], sort: 'name' as const, order: 'asc' as const, page: 2 };
    const p = toSearchParams(q);
    expect(p.has('order')).toBe(false); // asc is the default order for name
    expect(parseListQuery(p)).toEqual(q);
  });
});

describe('toApiParams', () => {
  it('sends limit/offset and local-day bounds as instants', () => {
    const p = toApiParams({ ...DEFAULT_QUERY, from: '2024-06-01', page: 3, pageSize: 25, tags: ['t'] });
    expect(p.get('limit')).toBe('25');
    expect(p.get('offset')).toBe('50');
    expect(new Date(p.get('from')!).getTime()).toBe(new Date(2024, 5, 1).getTime());
    expect(p.get('to')).toBeNull();
    expect(p.getAll('tag')).toEqual(['t']);
    expect(p.get('sort')).toBe('startTime');
  });
});

describe('withChanges / hasFilters', () => {
  it('goes back to page 1 when a filter changes', () => {
    expect(withChanges({ ...DEFAULT_QUERY, page: 7 }, { q: 'a' }).page).toBe(1);
  });
  it('knows whether anything filters the list', () => {
    expect(hasFilters(DEFAULT_QUERY)).toBe(false);
    expect(hasFilters({ ...DEFAULT_QUERY, battery: ['x'] })).toBe(true);
  });
});
