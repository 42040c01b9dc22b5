import { coordinateProblem, haversineM } from './geo.js';
import type { WarningCounter } from './warnings.js';

/** Faster than any DJI aircraft can fly (the fastest, the FPV, does ~39 m/s; a DJI position glitch
 * is typically hundreds of metres in 0.1 s). */
export const MAX_PLAUSIBLE_SPEED_MPS = 150;
/** A consumer drone flight never covers this radius; anything farther from the flight's centre is a glitch. */
export const MAX_RADIUS_FROM_CENTRE_M = 50_000;
/** Clock steps shorter than this are treated as this long when judging implied speed (10 Hz logging). */
const MIN_STEP_S = 0.1;
/** A jump is a glitch unless this many following positions (1 s at 10 Hz) continue from it without jumps. */
export const STEP_CONFIRMATION = 10;

export interface GpsFilterResult {
  /** Rows whose position was kept. */
  accepted: number;
  /** Row index of the first / last kept position, -1 when none. */
  firstIndex: number;
  lastIndex: number;
}

/**
 * Filters a track in place: rejected positions become NaN in both `lat` and `lon` (rows stay).
 *
 * 1. Per point: NaN → `gps-nan`; both axes within 1e-5° of 0 → `gps-zero`; |lat| > 90 or |lon| > 180
 *    → `gps-out-of-range`.
 * 2. Jumps (`gps-jump`): a point more than 50 km from the median of the remaining points (a robust
 *    stand-in for "far from the first fix" that does not trust the first fix blindly), or one that
 *    would need more than 150 m/s from the last kept point given the frames' clock, unless the next
 *    10 positions carry on from it without jumps: then the track really shifted (DJI logs show 30–140 m
 *    shifts when the GPS solution re-converges) and the point is kept. The first fix is refused only
 *    when it is a lone outlier in front of a consistent track.
 */
export function filterGpsTrack(
  lat: Float64Array,
  lon: Float64Array,
  timeMs: Float64Array,
  warnings: WarningCounter,
): GpsFilterResult {
  const n = lat.length;
  let remaining = 0;
  for (let i = 0; i < n; i++) {
    const problem = coordinateProblem(lat[i]!, lon[i]!);
    if (problem !== null) {
      warnings.add(problem);
      lat[i] = NaN;
      lon[i] = NaN;
    } else {
      remaining++;
    }
  }
  const result: GpsFilterResult = { accepted: 0, firstIndex: -1, lastIndex: -1 };
  if (remaining === 0) return result;

  const centreLat = median(lat, remaining);
  const centreLon = median(lon, remaining);
  // Candidate rows: in range and within the flight's radius.
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(lat[i]!)) continue;
    if (haversineM(centreLat, centreLon, lat[i]!, lon[i]!) > MAX_RADIUS_FROM_CENTRE_M) {
      reject(i);
      warnings.add('gps-jump');
    } else {
      rows.push(i);
    }
  }

  const isJump = (a: number, b: number): boolean => {
    const dt = Math.max((timeMs[b]! - timeMs[a]!) / 1000, MIN_STEP_S);
    return haversineM(lat[a]!, lon[a]!, lat[b]!, lon[b]!) / dt > MAX_PLAUSIBLE_SPEED_MPS;
  };
  /** True when the STEP_CONFIRMATION rows after rows[k] (fewer near the end, at least one) follow on from it without jumps. */
  const holdsAfter = (k: number): boolean => {
    const end = Math.min(k + STEP_CONFIRMATION, rows.length - 1);
    if (end === k) return false;
    for (let j = k; j < end; j++) if (isJump(rows[j]!, rows[j + 1]!)) return false;
    return true;
  };

  let kept = -1;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    let accept: boolean;
    if (kept < 0) {
      // First fix: refuse it only when it is a lone outlier ahead of a consistent track.
      accept = k + 1 >= rows.length || !isJump(i, rows[k + 1]!) || !holdsAfter(k + 1);
    } else {
      // A jump followed by a consistent track is a real shift (a GPS re-acquisition): keep it.
      accept = !isJump(kept, i) || holdsAfter(k);
    }
    if (!accept) {
      reject(i);
      warnings.add('gps-jump');
      continue;
    }
    if (result.firstIndex < 0) result.firstIndex = i;
    result.lastIndex = i;
    result.accepted++;
    kept = i;
  }
  return result;

  function reject(i: number): void {
    lat[i] = NaN;
    lon[i] = NaN;
  }
}

/** Median of the non-NaN values (count given). */
function median(values: Float64Array, count: number): number {
  const copy = new Float64Array(count);
  let k = 0;
  for (const v of values) if (!Number.isNaN(v)) copy[k++] = v;
  copy.sort();
  const mid = count >> 1;
  return count % 2 === 1 ? copy[mid]! : (copy[mid - 1]! + copy[mid]!) / 2;
}

/** Speeds below this (m/s) are what DJI reports as 0 (its resolution is 0.1 m/s). */
export const STATIONARY_SPEED_MPS = 0.05;

/**
 * Flown distance, metres: the haversine sum over consecutive kept positions, except steps where the
 * aircraft itself reported zero horizontal speed at both ends (GPS jitter while standing or hovering
 * still). On the real logs in the fixtures this stays within ~2 % of DJI's own total, minus the jitter.
 */
export function trackDistanceM(lat: Float64Array, lon: Float64Array, horizontalSpeed: Float64Array): number {
  let total = 0;
  let prev = -1;
  for (let i = 0; i < lat.length; i++) {
    if (Number.isNaN(lat[i]!)) continue;
    if (prev >= 0) {
      // Unknown (NaN) speed counts as moving.
      const still = horizontalSpeed[i]! <= STATIONARY_SPEED_MPS && horizontalSpeed[prev]! <= STATIONARY_SPEED_MPS;
      if (!still) total += haversineM(lat[prev]!, lon[prev]!, lat[i]!, lon[i]!);
    }
    prev = i;
  }
  return total;
}
