import { logbookApi } from '$lib/api/logbook.js';
import { profilesApi } from '$lib/api/profiles.js';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:settings');
  return { smartTags: await logbookApi(fetch).smartTags(), profiles: await profilesApi(fetch).list() };
};
