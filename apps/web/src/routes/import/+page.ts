import { api } from '$lib/api/client.js';
import type { ImportEntry } from '$lib/api/types.js';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:flights');
  let ledger: ImportEntry[] = [];
  let ledgerTotal = 0;
  let ledgerError: string | null = null;
  try {
    const r = await api(fetch).imports(100);
    ledger = r.items;
    ledgerTotal = r.total;
  } catch (e) {
    ledgerError = (e as Error).message;
  }
  return { ledger, ledgerTotal, ledgerError };
};
