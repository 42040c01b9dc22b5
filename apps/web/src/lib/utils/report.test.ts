import { describe, expect, it } from 'vitest';
import { CURRENCY_DEFAULT as SERVER_DEFAULT } from '@dronelog/contracts';
import { CURRENCY_DEFAULT, parseCurrency, reportParams } from './report.js';

describe('parseCurrency', () => {
  it('defaults to the server rule', () => {
    expect(CURRENCY_DEFAULT).toEqual(SERVER_DEFAULT);
  });

  it('reads the rule from the URL, falling back to 2 h in 90 days', () => {
    expect(parseCurrency(new URLSearchParams(''))).toEqual({ hours: 2, days: 90 });
    expect(parseCurrency(new URLSearchParams('currencyHours=3.5&currencyDays=30'))).toEqual({ hours: 3.5, days: 30 });
    expect(parseCurrency(new URLSearchParams('currencyHours=-1&currencyDays=1.5'))).toEqual({ hours: 2, days: 90 });
  });
});

describe('reportParams', () => {
  it('adds pilot and title to the filters and leaves defaults out', () => {
    const filters = new URLSearchParams('from=2024-01-01T00:00:00.000Z&aircraft=A1');
    const p = reportParams(filters, { pilot: ' Ada ', title: '', currency: { hours: 2, days: 90 } });
    expect(p.toString()).toBe('from=2024-01-01T00%3A00%3A00.000Z&aircraft=A1&pilot=Ada');
    expect(reportParams(filters, { pilot: '', title: 'Log 2024', currency: { hours: 3, days: 90 } }).get('currencyHours')).toBe('3');
    expect(filters.has('pilot')).toBe(false); // the filters are not changed
  });
});
