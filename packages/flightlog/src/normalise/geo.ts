/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/** Great-circle distance in metres between two WGS84 points given in degrees. */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Below this many degrees on both axes a position is "0,0": what DJI writes without a fix
 * (sometimes exactly 0, sometimes noise like 1e-10). 1e-5° ≈ 1 m at the equator. */
export const NULL_ISLAND_EPSILON_DEG = 1e-5;

export type CoordinateProblem = 'gps-nan' | 'gps-zero' | 'gps-out-of-range';

/** Why a single position cannot be a real fix, or null when it can. */
export function coordinateProblem(lat: number, lon: number): CoordinateProblem | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return 'gps-nan';
  if (Math.abs(lat) < NULL_ISLAND_EPSILON_DEG && Math.abs(lon) < NULL_ISLAND_EPSILON_DEG) return 'gps-zero';
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return 'gps-out-of-range';
  return null;
}

/** A position that could be a real fix (finite, in range, not 0,0). */
export function isPlausibleCoordinate(lat: number, lon: number): boolean {
  return coordinateProblem(lat, lon) === null;
}
