// SPA: the API serves build/ with a 200.html fallback; everything renders in the browser.
export const ssr = false;
export const prerender = false;
