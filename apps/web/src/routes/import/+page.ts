import { api } from '$lib/api/client.js';
import type { ImportLedgerEntry } from '$lib/api/types.js';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:flights');
  let ledger: ImportLedgerEntry[] = [];
  let ledgerError: string | null = null;
  try {
    ledger = await api(fetch).imports();
  } catch (e) {
    ledgerError = (e as Error).message;
  }
  return { ledger, ledgerError };
};
