import { request } from '$lib/api/client.js';
import type { AircraftSummary, BatterySummary } from '@dronelog/contracts';
import type { PageLoad } from './$types';

/** Known aircraft (with model and name) and batteries, offered as suggestions; the form works without them. */
export const load: PageLoad = async ({ fetch }) => {
  const [aircraft, batteries] = await Promise.all([
    request<{ items: AircraftSummary[] }>(fetch, '/aircraft').then((r) => r.items, () => [] as AircraftSummary[]),
    request<{ items: BatterySummary[] }>(fetch, '/batteries').then((r) => r.items, () => [] as BatterySummary[]),
  ]);
  return { aircraft, batteries };
};
