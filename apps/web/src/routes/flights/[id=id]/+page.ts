import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client.js';
import type { AppConfig } from '$lib/api/types.js';
import { chartFields } from '$lib/charts/panels.js';
import { OVERVIEW_POINTS, TRACK_POINTS } from '$lib/api/limits.js';
import { trackFromTelemetry } from '$lib/api/normalise.js';
import type { PageLoad } from './$types';


export const load: PageLoad = async ({ fetch, params, depends }) => {
  depends('app:flight');
  const client = api(fetch);
  const settle = <T>(p: Promise<T>) => p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e: e as Error }));
  const [flight, telemetry, track, config] = await Promise.all([
    settle(client.getFlight(params.id)),
    settle(client.telemetry(params.id, { fields: chartFields(), points: OVERVIEW_POINTS })),
    settle(client.track(params.id, TRACK_POINTS)),
    settle(client.config()),
  ]);
  if (!flight.ok) {
    const status = flight.e instanceof ApiError && flight.e.status >= 400 ? flight.e.status : 500;
    error(status, status === 404 ? 'This flight does not exist (it may have been deleted).' : flight.e.message);
  }
  // The map needs a track; if its endpoint fails, build one from telemetry positions instead.
  let trackPoints = track.ok ? track.v : [];
  let trackError = track.ok ? null : track.e.message;
  if (!track.ok) {
    const fallback = await settle(client.telemetry(params.id, { fields: ['latitude', 'longitude', 'heightM'], points: TRACK_POINTS }));
    if (fallback.ok) {
      trackPoints = trackFromTelemetry(fallback.v);
      trackError = null;
    }
  }
  return {
    flight: flight.v,
    telemetry: telemetry.ok ? telemetry.v : null,
    telemetryError: telemetry.ok ? null : telemetry.e.message,
    track: trackPoints,
    trackError,
    config: config.ok ? (config.v as AppConfig) : ({} as AppConfig),
  };
};
