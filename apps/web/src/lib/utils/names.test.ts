import { describe, expect, it } from 'vitest';
import { displayName } from './names.js';
import { formatDateTime } from './format.js';

describe('displayName', () => {
  it("rewrites the API's default UTC name to the viewer's local time", () => {
    const r = displayName('Mini 4 Pro · 2024-09-01 12:55', '2024-09-01T12:55:49.000Z');
    expect(r).toEqual({ title: `Mini 4 Pro · ${formatDateTime('2024-09-01T12:55:49.000Z')}`, isDefault: true });
  });

  it("shows a default name's time where the drone flew when the flight's zone is known", () => {
    const r = displayName('Mini 4 Pro · 2024-09-01 12:55', '2024-09-01T12:55:49.000Z', 'Asia/Tokyo');
    expect(r).toEqual({ title: `Mini 4 Pro · ${formatDateTime('2024-09-01T12:55:49.000Z', 'Asia/Tokyo')}`, isDefault: true });
    // 12:55 UTC is 21:55 in Tokyo, whatever zone the test runs in.
    expect(r.title).toMatch(/21:55|9:55/);
  });

  it("keeps the pilot's own names, even when they look like a default", () => {
    expect(displayName('Lake survey', '2024-09-01T12:55:49Z')).toEqual({ title: 'Lake survey', isDefault: false });
    expect(displayName('Trip · 2023-01-01 10:00', '2024-09-01T12:55:49Z')).toEqual({ title: 'Trip · 2023-01-01 10:00', isDefault: false });
  });
});
