import { profilesApi } from '$lib/api/profiles.js';
import type { LayoutLoad } from './$types';

// SPA: the API serves build/ with a 200.html fallback; everything renders in the browser.
export const ssr = false;
export const prerender = false;

/** Which profile this browser uses and who the sign-in proxy says is signed in (header); null if the server is down. */
export const load: LayoutLoad = async ({ fetch, depends }) => {
  depends('app:session');
  return { session: await profilesApi(fetch).session().catch(() => null) };
};
