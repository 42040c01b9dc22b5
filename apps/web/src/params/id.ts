import type { ParamMatcher } from '@sveltejs/kit';

/** Flight ids are positive integers; anything else is a 404 without asking the API. */
export const match: ParamMatcher = (param) => /^[1-9]\d{0,15}$/.test(param);
