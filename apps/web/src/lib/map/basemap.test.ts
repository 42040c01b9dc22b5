import { describe, expect, it } from 'vitest';
import { basemapStyleUrl } from './basemap.js';

const base = 'http://127.0.0.1:8080/flights/7';

describe('basemapStyleUrl', () => {
  it("uses the server's local style at the page's origin, per theme", () => {
    const config = { basemap: { kind: 'pmtiles' as const, styleUrl: '/api/v1/basemap/style.json' } };
    expect(basemapStyleUrl(config, 'dark', base)).toBe('http://127.0.0.1:8080/api/v1/basemap/style.json?theme=dark');
    expect(basemapStyleUrl(config, 'light', base)).toBe('http://127.0.0.1:8080/api/v1/basemap/style.json?theme=light');
  });
  it('uses a configured third-party style as it is, for both themes', () => {
    const config = { mapStyleUrl: 'https://tiles.example.org/style.json', basemap: { kind: 'style' as const, styleUrl: 'https://tiles.example.org/style.json' } };
    expect(basemapStyleUrl(config, 'dark', base)).toBe('https://tiles.example.org/style.json');
    expect(basemapStyleUrl(config, 'light', base)).toBe('https://tiles.example.org/style.json');
  });
  it('is null (neutral background, nothing fetched) when no basemap is configured', () => {
    expect(basemapStyleUrl({ mapStyleUrl: null, basemap: { kind: 'none', styleUrl: null } }, 'dark', base)).toBeNull();
    expect(basemapStyleUrl({}, 'light', base)).toBeNull();
  });
  it('reads an older server that only sends mapStyleUrl', () => {
    expect(basemapStyleUrl({ mapStyleUrl: 'https://tiles.example.org/s.json' }, 'light', base)).toBe('https://tiles.example.org/s.json');
  });
});
