/**
 * The browser side of "this request needs a profile": go to /login, remembering the page being shown or opened
 * (`?next=`). Loaded by client.ts only when a 401 login-required / session-expired arrives, so the fetch wrapper
 * stays free of SvelteKit imports (and unit-testable in node).
 */
import { goto } from '$app/navigation';
import { navigating } from '$app/state';
import { loginRedirect } from '$lib/utils/login.js';

/**
 * Starts the navigation to /login (synchronously, so a load still running for the page being left is cancelled
 * rather than shown as an error). Parallel 401s of one page end in the same address; on /login it does nothing.
 */
export function toLogin(): void {
  const target = navigating.to?.url ?? new URL(window.location.href);
  const href = loginRedirect(401, 'login-required', target);
  if (href) void goto(href, { replaceState: true, invalidateAll: true });
}
