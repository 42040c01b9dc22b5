import { logbookApi } from '$lib/api/logbook.js';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:settings');
  return { smartTags: await logbookApi(fetch).smartTags() };
};
