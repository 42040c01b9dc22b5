import { feature, featuresContaining } from '@rapideditor/country-coder';

/** Where a point lies: ISO 3166-1 alpha-2 code, English country name and continent. */
export interface CountryInfo {
  code: string;
  /** English short name, as Intl.DisplayNames gives it ("United States", "Germany"). */
  country: string;
  /** One of Africa, Antarctica, Asia, Europe, North America, Oceania, South America; null when unknown. */
  continent: string | null;
}

/**
 * Continents from the UN M49 groups country-coder assigns (North America = M49 003: Northern America, Central
 * America and the Caribbean). Antarctica is a feature of its own (AQ) without a group.
 */
const CONTINENT_BY_GROUP: ReadonlyArray<readonly [string, string]> = [
  ['002', 'Africa'],
  ['142', 'Asia'],
  ['150', 'Europe'],
  ['003', 'North America'],
  ['005', 'South America'],
  ['009', 'Oceania'],
];

/**
 * Offline reverse geocoding of one point with @rapideditor/country-coder's shipped borders (no network).
 * Territories resolve to their country (Puerto Rico → United States, as ISO's "country" level does).
 * Null at sea, at 0,0 and for invalid coordinates.
 */
export function countryAt(latitude: number, longitude: number): CountryInfo | null {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  if (Math.abs(latitude) < 1e-5 && Math.abs(longitude) < 1e-5) return null;
  // feature() answers at country level (a territory resolves to its country; Antarctica is its own region).
  const country = feature([longitude, latitude]);
  const code = country?.properties.iso1A2;
  if (country === null || code === undefined) return null;
  const features = featuresContaining([longitude, latitude]);
  const ids = new Set(features.map((f) => f.properties.id));
  const continent = code === 'AQ' ? 'Antarctica' : (CONTINENT_BY_GROUP.find(([id]) => ids.has(id))?.[1] ?? null);
  return { code, country: englishName(code) ?? country.properties.nameEn, continent };
}

function englishName(code: string): string | null {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? null;
  } catch {
    return null;
  }
}
