/** DJI raw stick range: 364 … 1024 (centre) … 1684. */
export const STICK_CENTRE = 1024;
export const STICK_HALF_RANGE = 660;
/** Raw values this far outside the nominal range are not stick readings (0 = no RC record). */
const RAW_MIN = 200;
const RAW_MAX = 1850;

/** Raw RC stick value → −100 (full left/down) … +100 (full right/up); NaN when not a reading. */
export function normaliseStick(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < RAW_MIN || raw > RAW_MAX) return NaN;
  const v = ((raw - STICK_CENTRE) / STICK_HALF_RANGE) * 100;
  return v > 100 ? 100 : v < -100 ? -100 : v;
}
