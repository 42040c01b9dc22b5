/**
 * Which maplibre style the flight map loads, from GET /api/v1/config (pure, tested). The server's local basemap
 * has a light and a dark style; a configured third-party style (MAP_STYLE_URL) is one URL for both themes.
 */
import type { AppConfig } from '$lib/api/types.js';

/**
 * The style URL for this theme, absolute (resolved against `base`, the page's URL), or null for the neutral
 * background. A server without `basemap` in its config (older) is read through `mapStyleUrl`.
 */
export function basemapStyleUrl(config: AppConfig, theme: 'light' | 'dark', base: string): string | null {
  const b = config.basemap;
  let url: string | null;
  if (!b) url = config.mapStyleUrl ?? null;
  else if (b.kind === 'pmtiles' && b.styleUrl) {
    const u = new URL(b.styleUrl, base);
    u.searchParams.set('theme', theme);
    return u.href;
  } else url = b.kind === 'style' ? b.styleUrl : null;
  return url ? new URL(url, base).href : null;
}
