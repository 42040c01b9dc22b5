import {
  DEFAULT_PAGE_LIMIT,
  DEFAULT_TELEMETRY_FIELDS,
  TELEMETRY_FIELDS,
  TELEMETRY_POINTS_DEFAULT,
  TELEMETRY_SAMPLED_FIELDS,
  TRACK_POINTS_DEFAULT,
  type AircraftSummary,
  type BatterySummary,
  type FlightDetail,
  type FlightListQuery,
  type FlightListResponse,
  type FlightSortField,
  type SortOrder,
  type TagCount,
  type TelemetryField,
  type TelemetryQuery,
  type TelemetryResponse,
  type TrackQuery,
  type TrackResponse,
} from '@dronelog/contracts';
import { InvalidError, NotFoundError } from '../errors.js';
import type { FlightFilter, FlightRepository, SortKeyValue } from '../repositories/flight.repository.js';
import type { SeriesSpec, TelemetryRepository } from '../repositories/telemetry.repository.js';
import type { TagRepository } from '../repositories/tag.repository.js';

/**
 * Read side of the logbook: the flight list with filters and totals, one flight, its telemetry
 * (downsampled for charts) and track (thinned for the map), and the filter catalogues.
 */
export class FlightQueryService {
  readonly #flights: FlightRepository;
  readonly #telemetry: TelemetryRepository;
  readonly #tags: TagRepository;
  /** Flights whose envelope is being filled. */
  readonly #filling = new Set<number>();

  constructor(flights: FlightRepository, telemetry: TelemetryRepository, tags: TagRepository) {
    this.#flights = flights;
    this.#telemetry = telemetry;
    this.#tags = tags;
  }

  async list(query: FlightListQuery): Promise<FlightListResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const sort = query.sort ?? 'startTime';
    const order = query.order ?? 'desc';
    const filter = toFilter(query);
    const cursor = query.cursor ? decodeCursor(query.cursor, sort, order) : undefined;
    const offset = cursor ? cursor.n : (query.offset ?? 0);

    const rows = await this.#flights.list({
      filter,
      sort,
      order,
      limit: limit + 1,
      offset: cursor ? 0 : offset,
      ...(cursor ? { after: { key: cursor.k, id: cursor.id } } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeCursor({ s: sort, o: order, k: last.sortKey, id: last.id, n: offset + page.length }) : null;

    const totals = await this.#flights.totals(filter);
    const tags = await this.#tags.forFlights(page.map((r) => r.id));
    return {
      items: page.map(({ sortKey: _sortKey, ...summary }) => ({ ...summary, tags: tags.get(summary.id) ?? [] })),
      total: totals.flights,
      limit,
      offset,
      nextCursor,
      totals,
    };
  }

  async get(id: number): Promise<FlightDetail> {
    const row = await this.#flights.findById(id);
    if (!row) throw flightNotFound(id);
    const tags = await this.#tags.forFlights([id]);
    const messages = await this.#flights.messages(id);
    return { ...row, tags: tags.get(id) ?? [], messages };
  }

  /**
   * Columnar telemetry for charts. Rows beyond `points` are downsampled in DuckDB into ⌊points/2⌋
   * equal time buckets, each giving ≤ 2 rows at the times of its first and last recorded row:
   * - envelope series (heights, speeds, battery, attitude except headings, sticks, 0/1 flags) carry the
   *   bucket's min and max in the order they occurred → every extreme survives, incl. the global min/max;
   * - sampled series (TELEMETRY_SAMPLED_FIELDS: lat/lon, yaw, gimbal yaw, cell voltages, flight mode) carry
   *   the values recorded at exactly those rows → a heading straddling ±180° stays ±180°, never averaged.
   * The first and last timestamps of the window are always returned.
   * Numeric series hold NaN where the value is null (cheaper to build and to write): the route serialises the answer
   * with JSON.stringify, which writes NaN as null.
   */
  async telemetry(id: number, query: TelemetryQuery): Promise<TelemetryResponse> {
    const fields = parseFields(query.fields);
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw new InvalidError(`from (${query.from}) must not be after to (${query.to}).`, 'invalid-window');
    }
    const points = query.points ?? TELEMETRY_POINTS_DEFAULT;
    const buckets = Math.max(1, Math.floor(points / 2));
    const specs: SeriesSpec[] = fields.map((field) => ({ field, kind: TELEMETRY_SAMPLED_FIELDS.includes(field) ? 'sample' : 'envelope' }));
    // Unzoomed: from the flight's precomputed envelope when it has one (a small query over its fine buckets).
    // Otherwise one live query: the window's row count and bounds, and its buckets when it holds more rows than asked for.
    const unzoomed = query.from === undefined && query.to === undefined;
    const env = unzoomed ? await this.#telemetry.envelope(id, specs, buckets, points) : ({ kind: 'live' } as const);
    const { stats, columns } =
      env.kind === 'rows' ? env.rows : await this.#telemetry.bucketed(id, specs, { fromMs: query.from, toMs: query.to }, buckets, points);
    if (env.kind === 'missing' && stats.rows > 0) this.#fillEnvelopeLater(id);
    if (stats.rows === 0 || stats.firstMs === null || stats.lastMs === null) {
      if (!(await this.#flights.exists(id))) throw flightNotFound(id);
      return { t: [], series: Object.fromEntries(fields.map((f) => [f, []])), points: 0, totalPoints: 0, bucketMs: 0 };
    }
    const window = { fromMs: stats.firstMs, toMs: stats.lastMs };
    if (!columns) {
      const cols = await this.#telemetry.raw(id, fields, window);
      return { t: cols.t, series: cols.series, points: cols.t.length, totalPoints: stats.rows, bucketMs: 0 };
    }
    return {
      t: columns.t,
      series: columns.series,
      points: columns.t.length,
      totalPoints: stats.rows,
      bucketMs: Math.ceil((window.toMs - window.fromMs + 1) / buckets),
    };
  }

  /**
   * A flight gets its envelope after its first unzoomed chart request (the first one is bucketed live), in the
   * background, one write transaction: a failure only means the next request is bucketed live again.
   */
  #fillEnvelopeLater(id: number): void {
    if (this.#filling.has(id)) return;
    this.#filling.add(id);
    void this.#telemetry
      .fillEnvelope(id)
      .catch(() => undefined)
      .finally(() => this.#filling.delete(id));
  }

  async track(id: number, query: TrackQuery): Promise<TrackResponse> {
    if (!(await this.#flights.exists(id))) throw flightNotFound(id);
    const { track, totalPoints } = await this.#telemetry.track(id, query.points ?? TRACK_POINTS_DEFAULT);
    return { track, points: track.length, totalPoints };
  }

  tagCounts(): Promise<TagCount[]> {
    return this.#tags.counts();
  }

  aircraft(): Promise<AircraftSummary[]> {
    return this.#flights.aircraft();
  }

  batteries(): Promise<BatterySummary[]> {
    return this.#flights.batteries();
  }
}

export function flightNotFound(id: number): NotFoundError {
  return new NotFoundError(`Flight ${id} does not exist (it may have been deleted).`);
}

// ---------------------------------------------------------------------------------------------
// Query parsing
// ---------------------------------------------------------------------------------------------

/** Values of a repeatable parameter, also split on commas; trimmed, empty ones dropped, de-duplicated. */
export function splitList(values: readonly string[] | undefined): string[] {
  if (!values) return [];
  const out = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
  return [...new Set(out)];
}

const FIELD_NAMES: ReadonlySet<string> = new Set(TELEMETRY_FIELDS);

function parseFields(raw: readonly string[] | undefined): TelemetryField[] {
  const names = splitList(raw);
  if (names.length === 0) return [...DEFAULT_TELEMETRY_FIELDS];
  const unknown = names.filter((n) => !FIELD_NAMES.has(n));
  if (unknown.length > 0) {
    throw new InvalidError(
      `Unknown telemetry field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Valid fields: ${TELEMETRY_FIELDS.join(', ')}.`,
      'unknown-field',
    );
  }
  return names as TelemetryField[];
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)([Zz]|[+-]\d{2}:?\d{2})?$/;

/** A `from`/`to` bound: a UTC calendar day, or an instant (no offset = UTC). */
export function parseBound(name: 'from' | 'to', raw: string): { instant: Date; dateOnly: boolean } {
  const invalid = (why: string) =>
    new InvalidError(`${name}=${raw} ${why}; use a day YYYY-MM-DD (e.g. 2024-09-01) or an instant YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM].`, 'invalid-date');
  const day = DATE_ONLY.exec(raw);
  const dateTime = day ? null : DATE_TIME.exec(raw);
  const datePart = day ? raw : dateTime?.[1];
  if (!datePart) throw invalid('is not a date');
  const [y, m, d] = datePart.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw invalid('is not a calendar date');
  if (day) return { instant: date, dateOnly: true };
  const zone = dateTime![3]?.toUpperCase() ?? 'Z';
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const instant = new Date(`${datePart}T${dateTime![2]}${offset}`);
  if (Number.isNaN(instant.getTime())) throw invalid('is not a valid time');
  return { instant, dateOnly: false };
}

const DAY_MS = 86_400_000;

/** The list filters of a query (paging and sorting ignored), validated; shared by every feature that follows them. */
export function toFilter(q: FlightListQuery): FlightFilter {
  const filter: FlightFilter = {};
  const from = q.from ? parseBound('from', q.from) : undefined;
  const to = q.to ? parseBound('to', q.to) : undefined;
  // A day `to` includes the whole day; an instant `to` is inclusive to the millisecond.
  const before = to ? new Date(to.instant.getTime() + (to.dateOnly ? DAY_MS : 1)) : undefined;
  if (from && before && from.instant.getTime() >= before.getTime()) {
    throw new InvalidError(`from=${q.from} is after to=${q.to}; swap them or widen the range.`, 'invalid-date-range');
  }
  if (from) filter.startFrom = from.instant.toISOString();
  if (before) filter.startBefore = before.toISOString();
  const aircraft = splitList(q.aircraft);
  if (aircraft.length) filter.aircraftSerials = aircraft;
  const battery = splitList(q.battery);
  if (battery.length) filter.batterySerials = battery;
  const tags = splitList(q.tag);
  if (tags.length) {
    filter.tags = tags;
    filter.tagMatch = q.tagMatch ?? 'any';
  }
  const text = q.q?.trim();
  if (text) filter.text = text;
  return filter;
}

// ---------------------------------------------------------------------------------------------
// Cursor: base64url JSON of the last row's sort key and id, plus the running offset
// ---------------------------------------------------------------------------------------------

interface Cursor {
  s: FlightSortField;
  o: SortOrder;
  k: SortKeyValue;
  id: number;
  /** Items before the next page (its offset). */
  n: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string, sort: FlightSortField, order: SortOrder): Cursor {
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    throw new InvalidError('cursor is not one this server issued; drop it to start from the first page.', 'invalid-cursor');
  }
  const keyOk = c.k === null || typeof c.k === 'number' || typeof c.k === 'string';
  if (!c || typeof c !== 'object' || !keyOk || !Number.isSafeInteger(c.id) || !Number.isSafeInteger(c.n) || (c.n ?? -1) < 0) {
    throw new InvalidError('cursor is not one this server issued; drop it to start from the first page.', 'invalid-cursor');
  }
  if (c.s !== sort || c.o !== order) {
    throw new InvalidError(
      `cursor belongs to sort=${String(c.s)}&order=${String(c.o)}; repeat that sort with it, or drop the cursor to start over.`,
      'invalid-cursor',
    );
  }
  return { s: c.s, o: c.o, k: c.k ?? null, id: c.id as number, n: c.n as number };
}
