import { api } from '$lib/api/client.js';
import { logbookApi } from '$lib/api/logbook.js';
import type { NamedCount } from '$lib/api/types.js';
import { filterParams } from '$lib/utils/filter-params.js';
import { parseListQuery } from '$lib/utils/list-query.js';
import { CURRENCY_DEFAULT, parseCurrency } from '$lib/utils/report.js';
import type { PageLoad } from './$types';

async function optional(p: Promise<NamedCount[]>): Promise<NamedCount[]> {
  try {
    return await p;
  } catch {
    return [];
  }
}

/** The report follows the list filters; currency rules (`currencyHours`, `currencyDays`) are in the URL too. */
export const load: PageLoad = async ({ fetch, url, depends }) => {
  depends('app:flights');
  const query = parseListQuery(url.searchParams);
  const currency = parseCurrency(url.searchParams);
  const filters = filterParams(query);
  const totalsParams = new URLSearchParams(filters);
  if (currency.hours !== CURRENCY_DEFAULT.hours) totalsParams.set('currencyHours', String(currency.hours));
  if (currency.days !== CURRENCY_DEFAULT.days) totalsParams.set('currencyDays', String(currency.days));
  const countParams = new URLSearchParams(filters);
  countParams.set('limit', '1');
  const client = logbookApi(fetch);
  const base = api(fetch);
  const [totals, selection, aircraft, batteries, tags] = await Promise.all([
    client.reportTotals(totalsParams),
    base.listFlights(countParams),
    optional(base.aircraft()),
    optional(base.batteries()),
    optional(base.tags()),
  ]);
  return { query, currency, totals, selection: selection.totals, aircraft, batteries, tags };
};
