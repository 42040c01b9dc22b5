import type { FlightMetadata } from '../types.js';
import type { HomeCandidate } from './extracted.js';
import { haversineM, isPlausibleCoordinate } from './geo.js';

/** A recorded home farther than this from the first GPS fix is not this flight's home. */
export const MAX_HOME_DISTANCE_FROM_TAKEOFF_M = 5_000;

export interface HomeChoice {
  home: FlightMetadata['home'];
  /** True when the log recorded home values but none was plausible. */
  rejectedRecorded: boolean;
}

/**
 * The flight's home: the first home point the aircraft recorded that is a plausible coordinate and lies
 * within 5 km of the first GPS fix (DJI logs carry garbage homes such as 45836623,45836623 before the
 * first Home record is written). Without one, the first fix (`source: 'first-fix'`). Without a fix, a
 * plausible recorded home is still returned as recorded.
 */
export function chooseHome(candidates: readonly HomeCandidate[], takeoff: { latitude: number; longitude: number } | null): HomeChoice {
  for (const c of candidates) {
    if (!isPlausibleCoordinate(c.latitude, c.longitude)) continue;
    if (takeoff !== null && haversineM(c.latitude, c.longitude, takeoff.latitude, takeoff.longitude) > MAX_HOME_DISTANCE_FROM_TAKEOFF_M) continue;
    return { home: { latitude: c.latitude, longitude: c.longitude, altitudeM: c.altitudeM, source: 'recorded' }, rejectedRecorded: false };
  }
  const rejectedRecorded = candidates.length > 0;
  if (takeoff === null) return { home: null, rejectedRecorded };
  return { home: { latitude: takeoff.latitude, longitude: takeoff.longitude, altitudeM: null, source: 'first-fix' }, rejectedRecorded };
}
