import { describe, expect, it } from 'vitest';
import { convertColumn, formatDistance, formatQuantity, unitFor } from './units.js';

describe('unitFor', () => {
  it('keeps SI heights in metric and converts to feet in imperial', () => {
    expect(unitFor('height', 'metric').convert(100)).toBe(100);
    expect(unitFor('height', 'imperial').convert(100)).toBeCloseTo(328.084, 3);
    expect(unitFor('height', 'imperial').unit).toBe('ft');
  });
  it('shows horizontal speed in km/h or mph and vertical speed in m/s or ft/s', () => {
    expect(unitFor('speed', 'metric').convert(10)).toBeCloseTo(36);
    expect(unitFor('speed', 'imperial').convert(10)).toBeCloseTo(22.369, 3);
    expect(unitFor('vspeed', 'metric').unit).toBe('m/s');
    expect(unitFor('vspeed', 'imperial').convert(1)).toBeCloseTo(3.2808, 4);
  });
  it('converts temperatures to Fahrenheit', () => {
    expect(unitFor('temperature', 'imperial').convert(0)).toBe(32);
    expect(unitFor('temperature', 'imperial').convert(100)).toBe(212);
  });
  it('leaves unit-less quantities alone in both systems', () => {
    for (const q of ['voltage', 'percent', 'angle', 'count'] as const) {
      expect(unitFor(q, 'imperial').convert(3.7)).toBe(3.7);
    }
  });
});

describe('convertColumn', () => {
  it('turns NaN and null into null so charts draw gaps', () => {
    expect(convertColumn([1, null, NaN, 2], unitFor('speed', 'metric'))).toEqual([3.6, null, null, 7.2]);
  });
});

describe('formatQuantity', () => {
  it('formats with unit and a dash for missing values', () => {
    expect(formatQuantity(55.9, 'height', 'metric')).toBe('55.9 m');
    expect(formatQuantity(55.9, 'height', 'imperial')).toBe('183 ft');
    expect(formatQuantity(null, 'height', 'metric')).toBe('—');
    expect(formatQuantity(73, 'percent', 'metric')).toBe('73%');
    expect(formatQuantity(-0.04, 'height', 'metric', 0)).toBe('0 m');
  });
});

describe('formatDistance', () => {
  it('switches between m and km', () => {
    expect(formatDistance(850, 'metric')).toBe('850 m');
    expect(formatDistance(1234, 'metric')).toBe('1.23 km');
  });
  it('switches between ft and mi', () => {
    expect(formatDistance(100, 'imperial')).toBe('328 ft');
    expect(formatDistance(1609.344, 'imperial')).toBe('1.00 mi');
  });
});
