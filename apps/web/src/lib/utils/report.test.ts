import { describe, expect, it } from 'vitest';
import { CURRENCY_DEFAULT as SERVER_DEFAULT } from '@dronelog/contracts';
import { CURRENCY_DEFAULT, parseCurrency, periodText, reportParams, reportRange } from './report.js';
import { localOffset } from './manual-entry.js';

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

describe('reportRange', () => {
  it("sends the viewer's local days with their offset, the last day to 23:59:59", () => {
    expect(reportRange('2018-01-01', '2018-12-31')).toEqual({
      from: `2018-01-01T00:00:00${localOffset('2018-01-01', '00:00')}`,
      to: `2018-12-31T23:59:59${localOffset('2018-12-31', '23:59')}`,
    });
    expect(reportRange(null, null)).toEqual({});
  });

  it('replaces the UTC instants of the list filters in the report URL', () => {
    const p = reportParams(new URLSearchParams('from=2017-12-31T23:00:00.000Z&q=lake'), {
      pilot: '',
      title: '',
      currency: { hours: 2, days: 90 },
      from: '2018-01-01',
      to: null,
    });
    expect(p.get('from')).toBe(`2018-01-01T00:00:00${localOffset('2018-01-01', '00:00')}`);
    expect(p.get('q')).toBe('lake');
  });
});

describe('periodText', () => {
  it('says the dates in words, or all flights', () => {
    expect(periodText('2024-09-01', '2024-11-30')).toBe('1 Sep 2024 – 30 Nov 2024');
    expect(periodText('2024-01-09', null)).toBe('from 9 Jan 2024');
    expect(periodText(null, '2024-12-31')).toBe('until 31 Dec 2024');
    expect(periodText(null, null)).toBe('all flights');
  });
});
