import { describe, expect, it } from 'vitest';
import { dayListUrl, filterParams, filterSearch } from './filter-params.js';
import { parseListQuery } from './list-query.js';

const q = (s: string) => parseListQuery(new URLSearchParams(s));

describe('filterParams', () => {
  it('sends the list filters the way the list does, without paging or sorting', () => {
    const p = filterParams(q('q=lake&from=2024-06-01&to=2024-06-30&aircraft=A1&tag=survey&sort=duration&page=3&size=100'));
    expect(p.get('q')).toBe('lake');
    expect(p.get('aircraft')).toBe('A1');
    expect(p.get('tag')).toBe('survey');
    // Local days become UTC instants (start of `from`, start of the day after `to`).
    expect(p.get('from')).toBe(new Date(2024, 5, 1).toISOString());
    expect(p.get('to')).toBe(new Date(2024, 6, 1).toISOString());
    for (const k of ['sort', 'order', 'limit', 'offset']) expect(p.has(k)).toBe(false);
  });

  it('is empty without filters', () => {
    expect(filterParams(q('')).toString()).toBe('');
  });
});

describe('filterSearch and dayListUrl', () => {
  it('carry only the filters between pages', () => {
    expect(filterSearch(q('battery=B1&sort=name&page=2'))).toBe('?battery=B1');
    expect(filterSearch(q(''))).toBe('');
  });

  it('link a day to the flight list, keeping the other filters', () => {
    expect(dayListUrl('2024-06-20')).toBe('/?from=2024-06-20&to=2024-06-20');
    expect(dayListUrl('2024-06-20', q('aircraft=A1&from=2024-01-01'))).toBe('/?from=2024-06-20&to=2024-06-20&aircraft=A1');
  });
});
