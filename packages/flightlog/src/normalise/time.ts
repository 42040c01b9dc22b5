import type { WarningCounter } from './warnings.js';

/** Frame clocks outside these years are not real (1970 = no Custom record; garbage decodes). */
export const MIN_CLOCK_YEAR = 2011;
export const MAX_CLOCK_YEAR = 2099;
/** Nominal DJI logging interval, used only when a log has no clock at all. */
export const NOMINAL_FRAME_MS = 100;

const MIN_CLOCK_MS = Date.UTC(MIN_CLOCK_YEAR, 0, 1);
const MAX_CLOCK_MS = Date.UTC(MAX_CLOCK_YEAR + 1, 0, 1);

/** A frame's `custom.dateTime` as Unix ms, or NaN when missing or implausible. */
export function parseFrameClock(iso: unknown): number {
  if (typeof iso !== 'string' || iso === '') return NaN;
  const ms = Date.parse(iso);
  return ms >= MIN_CLOCK_MS && ms < MAX_CLOCK_MS ? ms : NaN;
}

/** `osd.flyTime` (s, f32 with 0.1 s resolution) as ms rounded to the 0.1 s it was recorded in; NaN if absurd. */
export function flyTimeToMs(flyTimeS: unknown): number {
  if (typeof flyTimeS !== 'number' || !Number.isFinite(flyTimeS) || flyTimeS < 0 || flyTimeS > 1e6) return NaN;
  return Math.round(flyTimeS * 10) * 100;
}

export type TimeSource = 'frame-clock' | 'fly-time' | 'estimated';

export interface TimeBase {
  /** Unix ms of row 0. */
  startMs: number;
  /** Ms since startMs per row; non-decreasing. */
  timeMs: Float64Array;
  source: TimeSource;
}

/**
 * Builds the time axis from the frames' own clocks.
 *
 * Each step between two rows takes the `custom.dateTime` difference when both rows have a plausible
 * clock, else the `osd.flyTime` difference (flyTime often starts far from 0 in continuation logs; only
 * its differences are used). A step that goes backwards is counted (`time-backwards`) and replaced by
 * the flyTime step when that one is sane, else held at 0, so the axis never decreases. Row 0 is then
 * anchored to the first plausible frame clock; without any, to the header's start time.
 * A log with neither clock is spaced at the nominal 10 Hz (`time-estimated`).
 */
export function buildTimeBase(
  clockMs: Float64Array,
  flyTimeMs: Float64Array,
  headerStartMs: number | null,
  warnings: WarningCounter,
): TimeBase {
  const n = clockMs.length;
  const timeMs = new Float64Array(n);
  let firstClock = -1;
  let flyMin = Infinity;
  let flyMax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (firstClock < 0 && !Number.isNaN(clockMs[i]!)) firstClock = i;
    const f = flyTimeMs[i]!;
    if (f < flyMin) flyMin = f;
    if (f > flyMax) flyMax = f;
  }
  const flyAdvances = flyMax > flyMin;
  const source: TimeSource = firstClock >= 0 ? 'frame-clock' : flyAdvances ? 'fly-time' : 'estimated';

  if (source === 'estimated') {
    if (n > 1) warnings.add('time-estimated');
    for (let i = 0; i < n; i++) timeMs[i] = i * NOMINAL_FRAME_MS;
  } else {
    for (let i = 1; i < n; i++) {
      const flyStep = flyTimeMs[i]! - flyTimeMs[i - 1]!; // NaN when either is missing
      let step = clockMs[i]! - clockMs[i - 1]!;
      if (Number.isNaN(step)) step = flyStep;
      if (Number.isNaN(step)) step = 0;
      if (step < 0) {
        warnings.add('time-backwards');
        step = flyStep >= 0 ? flyStep : 0;
      }
      timeMs[i] = timeMs[i - 1]! + step;
    }
  }

  let startMs: number;
  if (firstClock >= 0) startMs = clockMs[firstClock]! - timeMs[firstClock]!;
  else startMs = headerStartMs ?? 0;
  return { startMs, timeMs, source };
}
