import { profilesApi } from '$lib/api/profiles.js';
import { safeNext } from '$lib/utils/login.js';
import type { PageLoad } from './$types';

/** The profiles to choose from (GET /profiles never needs a login), the page to go back to, a profile asked for. */
export const load: PageLoad = async ({ fetch, url, depends }) => {
  depends('app:profiles');
  return {
    list: await profilesApi(fetch).list(),
    next: safeNext(url.searchParams.get('next')),
    chosen: url.searchParams.get('profile'),
  };
};
