/**
 * The flight list's URL filters, reused by the overview, report and export links: the same
 * parseListQuery → FlightListQuery, and the same conversion to API parameters as the list itself
 * (toApiParams: local days → UTC instants), minus paging and sorting.
 */
import { DEFAULT_QUERY, toApiParams, toSearchParams, type FlightListQuery } from './list-query.js';

const PAGING_AND_SORT = ['sort', 'order', 'limit', 'offset'] as const;

/** API query for GET /overview, /report, /report/totals, /exports/*: the list filters only. */
export function filterParams(q: FlightListQuery): URLSearchParams {
  const p = toApiParams(q);
  for (const k of PAGING_AND_SORT) p.delete(k);
  return p;
}

/** Only the filters of a query (sort, order and page back to their defaults). */
export function filtersOnly(q: FlightListQuery): FlightListQuery {
  return { ...q, sort: DEFAULT_QUERY.sort, order: DEFAULT_QUERY.order, page: 1, pageSize: DEFAULT_QUERY.pageSize };
}

/** `?from=…&aircraft=…` (or '') for carrying the filters between the list, overview and report. */
export function filterSearch(q: FlightListQuery): string {
  const s = toSearchParams(filtersOnly(q)).toString();
  return s ? `?${s}` : '';
}

/** The flight list for one local day, keeping the other filters (a heatmap click). */
export function dayListUrl(day: string, q: FlightListQuery = DEFAULT_QUERY): string {
  return `/${filterSearch({ ...q, from: day, to: day })}`;
}
