/** The sun's centre this far below the horizon ends evening civil twilight (and starts morning twilight). */
export const CIVIL_TWILIGHT_DEG = -6;

const RAD = Math.PI / 180;

/**
 * Elevation of the sun's centre above the horizon in degrees (no refraction), from the low-precision
 * formulas of the Astronomical Almanac (good to ~0.01° over 1950–2050, far better than twilight needs).
 */
export function sunElevationDeg(latitude: number, longitude: number, epochMs: number): number {
  const d = epochMs / 86_400_000 - 10_957.5; // days since J2000.0 (2000-01-01T12:00Z)
  const g = (357.529 + 0.98560028 * d) * RAD; // mean anomaly
  const q = 280.459 + 0.98564736 * d; // mean longitude, degrees
  const lambda = (q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * RAD; // ecliptic longitude
  const epsilon = (23.439 - 0.00000036 * d) * RAD; // obliquity
  const rightAscension = Math.atan2(Math.cos(epsilon) * Math.sin(lambda), Math.cos(lambda));
  const declination = Math.asin(Math.sin(epsilon) * Math.sin(lambda));
  const gmstDeg = 280.46061837 + 360.98564736629 * d; // Greenwich mean sidereal time
  const hourAngle = (gmstDeg + longitude) * RAD - rightAscension;
  const lat = latitude * RAD;
  const sinElevation = Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
  return Math.asin(Math.max(-1, Math.min(1, sinElevation))) / RAD;
}

/** True between the end of evening civil twilight and the start of morning civil twilight (sun below −6°). */
export function isCivilNight(latitude: number, longitude: number, epochMs: number): boolean {
  return sunElevationDeg(latitude, longitude, epochMs) < CIVIL_TWILIGHT_DEG;
}
