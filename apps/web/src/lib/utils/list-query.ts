/**
 * The flight list's filters, sort and page live in the URL (shareable, survive reload, back button works).
 * parse → FlightListQuery → (URL | API query). Defaults are omitted from the URL to keep it short.
 */
import { localDayBoundsUtc } from './date-ranges.js';

import type { FlightSortField } from '$lib/api/types.js';

export const SORT_KEYS = ['startTime', 'duration', 'distance', 'maxHeight', 'name'] as const satisfies readonly FlightSortField[];
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

export interface FlightListQuery {
  q: string;
  /** Local calendar days, inclusive, YYYY-MM-DD. */
  from: string | null;
  to: string | null;
  aircraft: string[];
  battery: string[];
  tags: string[];
  sort: SortKey;
  order: SortOrder;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export const DEFAULT_QUERY: FlightListQuery = {
  q: '',
  from: null,
  to: null,
  aircraft: [],
  battery: [],
  tags: [],
  sort: 'startTime',
  order: 'desc',
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function list(p: URLSearchParams, name: string): string[] {
  return [...new Set(p.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
}

export function parseListQuery(p: URLSearchParams): FlightListQuery {
  const sortRaw = p.get('sort') ?? '';
  const sort = (SORT_KEYS as readonly string[]).includes(sortRaw) ? (sortRaw as SortKey) : DEFAULT_QUERY.sort;
  const orderRaw = p.get('order');
  const order: SortOrder = orderRaw === 'asc' || orderRaw === 'desc' ? orderRaw : sort === 'name' ? 'asc' : 'desc';
  const page = Math.max(1, Math.floor(Number(p.get('page') ?? 1)) || 1);
  const sizeRaw = Number(p.get('size') ?? DEFAULT_PAGE_SIZE);
  const pageSize = (PAGE_SIZES as readonly number[]).includes(sizeRaw) ? sizeRaw : DEFAULT_PAGE_SIZE;
  const from = p.get('from');
  const to = p.get('to');
  return {
    q: (p.get('q') ?? '').trim(),
    from: from && DATE_RE.test(from) ? from : null,
    to: to && DATE_RE.test(to) ? to : null,
    aircraft: list(p, 'aircraft'),
    battery: list(p, 'battery'),
    tags: list(p, 'tag'),
    sort,
    order,
    page,
    pageSize,
  };
}

/** URL search string for a query; defaults left out. Changing a filter should reset page (callers pass page: 1). */
export function toSearchParams(q: FlightListQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  for (const a of q.aircraft) p.append('aircraft', a);
  for (const b of q.battery) p.append('battery', b);
  for (const t of q.tags) p.append('tag', t);
  const defaultOrder = q.sort === 'name' ? 'asc' : 'desc';
  if (q.sort !== DEFAULT_QUERY.sort) p.set('sort', q.sort);
  if (q.order !== defaultOrder) p.set('order', q.order);
  if (q.page > 1) p.set('page', String(q.page));
  if (q.pageSize !== DEFAULT_PAGE_SIZE) p.set('size', String(q.pageSize));
  return p;
}

/** Query parameters for GET /api/v1/flights: UTC instants for the local-day range, limit/offset paging. */
export function toApiParams(q: FlightListQuery): URLSearchParams {
  const p = new URLSearchParams();
  const { fromUtc, toUtc } = localDayBoundsUtc(q.from, q.to);
  if (q.q) p.set('q', q.q);
  if (fromUtc) p.set('from', fromUtc);
  if (toUtc) p.set('to', toUtc);
  for (const a of q.aircraft) p.append('aircraft', a);
  for (const b of q.battery) p.append('battery', b);
  for (const t of q.tags) p.append('tag', t);
  p.set('sort', q.sort);
  p.set('order', q.order);
  p.set('limit', String(q.pageSize));
  p.set('offset', String((q.page - 1) * q.pageSize));
  return p;
}

export function hasFilters(q: FlightListQuery): boolean {
  return Boolean(q.q || q.from || q.to || q.aircraft.length || q.battery.length || q.tags.length);
}

const LAST_LIST_KEY = 'dronelog.lastList';

/** Remember the list's URL (filters, sort, page) so a flight page's back link returns to it. */
export function rememberListUrl(search: string): void {
  try {
    sessionStorage.setItem(LAST_LIST_KEY, search);
  } catch {
    /* not remembered */
  }
}

export function lastListUrl(): string {
  try {
    const s = sessionStorage.getItem(LAST_LIST_KEY);
    return s ? `/${s}` : '/';
  } catch {
    return '/';
  }
}

export function withChanges(q: FlightListQuery, changes: Partial<FlightListQuery>): FlightListQuery {
  // Any filter or sort change goes back to page 1; only an explicit page change keeps it.
  return { ...q, page: 1, ...changes };
}
