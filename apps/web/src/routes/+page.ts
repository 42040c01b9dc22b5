import { api, ApiError } from '$lib/api/client.js';
import type { NamedCount } from '$lib/api/types.js';
import { parseListQuery, toApiParams } from '$lib/utils/list-query.js';
import type { PageLoad } from './$types';

/** Filter option lists are optional: an older server without them still shows the list. */
async function optional(p: Promise<NamedCount[]>): Promise<NamedCount[]> {
  try {
    return await p;
  } catch {
    return [];
  }
}

export const load: PageLoad = async ({ fetch, url, depends }) => {
  depends('app:flights');
  const client = api(fetch);
  const query = parseListQuery(url.searchParams);
  const [list, aircraft, batteries, tags] = await Promise.all([
    client.listFlights(toApiParams(query)).catch((e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'unknown', String(e)))),
    optional(client.aircraft()),
    optional(client.batteries()),
    optional(client.tags()),
  ]);
  return { query, list: list instanceof ApiError ? null : list, error: list instanceof ApiError ? list.message : null, aircraft, batteries, tags };
};
