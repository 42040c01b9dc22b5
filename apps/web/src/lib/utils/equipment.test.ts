import { describe, expect, it } from 'vitest';
import { barWidth, capacityChange, counterText, cyclesText, dueState, healthBand, healthColor, itemDueState, mostDuePercent, thresholdsBody } from './equipment.js';

describe('battery health', () => {
  it('colours bands with the theme colours', () => {
    expect(healthColor('good')).toBe('var(--ok)');
    expect(healthColor('fair')).toBe('var(--warn)');
    expect(healthColor('poor')).toBe('var(--err)');
  });

  it('uses the API band limits (> 70 good, > 40 fair)', () => {
    expect(healthBand(70.1)).toBe('good');
    expect(healthBand(70)).toBe('fair');
    expect(healthBand(40.5)).toBe('fair');
    expect(healthBand(40)).toBe('poor');
  });

  it('says whether the cycle count is the battery’s own or the number of flights', () => {
    expect(cyclesText({ cycles: 212, cyclesSource: 'log' })).toEqual({ value: '212', note: 'from the battery' });
    expect(cyclesText({ cycles: 0, cyclesSource: 'log' })).toEqual({ value: '0', note: 'from the battery' });
    expect(cyclesText({ cycles: 1040, cyclesSource: 'flights' })).toEqual({ value: '≈ 1,040', note: 'flights' });
    expect(cyclesText({ cycles: 1, cyclesSource: 'flights' })).toEqual({ value: '≈ 1', note: 'flight' });
  });

  it('computes the capacity change from first to latest', () => {
    expect(capacityChange(2590, 2460.5)).toBeCloseTo(-5, 5);
    expect(capacityChange(null, 2000)).toBeNull();
    expect(capacityChange(0, 2000)).toBeNull();
  });
});

describe('maintenance progress', () => {
  it('turns amber at 80 % and red at 100 %', () => {
    expect(dueState(null)).toBe('none');
    expect(dueState(0)).toBe('ok');
    expect(dueState(79.9)).toBe('ok');
    expect(dueState(80)).toBe('soon');
    expect(dueState(100)).toBe('due');
    expect(dueState(250)).toBe('due');
  });

  it('fills bars from 0 to 100 %, overdue counters fill the bar', () => {
    expect(barWidth(null)).toBe(0);
    expect(barWidth(-3)).toBe(0);
    expect(barWidth(42.5)).toBe(42.5);
    expect(barWidth(180)).toBe(100);
  });

  it('takes the most due counter of an item', () => {
    expect(mostDuePercent({ percent: { flights: 12, hours: 96, days: null } })).toBe(96);
    expect(mostDuePercent({ percent: { flights: null, hours: null, days: null } })).toBeNull();
    expect(itemDueState({ percent: { flights: 12, hours: 96, days: null }, overdue: false })).toBe('soon');
    expect(itemDueState({ percent: { flights: 100, hours: 3, days: 1 }, overdue: true })).toBe('due');
    expect(itemDueState({ percent: { flights: null, hours: null, days: null }, overdue: false })).toBe('none');
  });

  it('writes counters with their thresholds', () => {
    expect(counterText('flights', 12, 100)).toBe('12 / 100 flights');
    expect(counterText('hours', 3.44, 50)).toBe('3.4 / 50 h');
    expect(counterText('days', 40, null)).toBe('40 days');
    expect(counterText('days', null, 120)).toBe('— / 120 days');
  });

  it('turns threshold inputs into a body: blank = no limit, bad numbers explained', () => {
    expect(thresholdsBody({ flights: '100', hours: '12.5', days: '' })).toEqual({ body: { flights: 100, hours: 12.5, days: null } });
    expect(thresholdsBody({ flights: '0', hours: '', days: '' })).toEqual({ error: expect.stringMatching(/Flights must be a number above 0/) });
    expect(thresholdsBody({ flights: '', hours: '', days: '1.5' })).toEqual({ error: 'Days must be a whole number.' });
    // <input type=number> binds numbers, and null when empty.
    expect(thresholdsBody({ flights: 50, hours: null, days: 30 })).toEqual({ body: { flights: 50, hours: null, days: 30 } });
  });
});
