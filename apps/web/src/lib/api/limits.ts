/**
 * Point limits the web app asks the API for (documented in README):
 * - OVERVIEW_POINTS: whole-flight telemetry for the charts (min/max-preserving downsample server-side);
 *   zooming re-fetches the visible window at the same count, so detail grows as the window shrinks.
 * - TRACK_POINTS: the map path.
 */
export const OVERVIEW_POINTS = 1500;
export const TRACK_POINTS = 3000;
