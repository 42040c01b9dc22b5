import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CURRENCY_DEFAULT, type FlightFilterQuery, type ReportQuery, type ReportTotals, type ReportTotalsQuery } from '@dronelog/contracts';
import type { ExportRepository, LogbookRow } from '../repositories/export.repository.js';
import type { FlightFilter } from '../repositories/flight.repository.js';
import type { ReportRepository } from '../repositories/report.repository.js';
import { daySection, documentEnd, documentStart, flightRow, periodText, summarySection, type DayTotals, type PeriodRow } from './report-html.js';
import { toFilter } from './flight-query.service.js';

const DAY_MS = 86_400_000;
/** Period totals of the report and the totals card (days back from now); null = all time. */
export const REPORT_PERIODS: ReadonlyArray<number | null> = [30, 90, 365, null];

export interface ReportFile {
  fileName: string;
  contentType: string;
  stream: Readable;
}

/**
 * The printable logbook: flights grouped by local day (UTC when the time zone is unknown) with day subtotals and a
 * grand total, period totals and a currency check (e.g. UK: 2 h in the last 90 days). Streamed day by day; the
 * footer carries a SHA-256 over the listed flights so a printed copy can be checked against the data.
 * Period totals and currency end now and follow every filter except from/to.
 */
export class ReportService {
  readonly #exports: ExportRepository;
  readonly #repo: ReportRepository;
  readonly #now: () => Date;

  constructor(exports: ExportRepository, repo: ReportRepository, now: () => Date = () => new Date()) {
    this.#exports = exports;
    this.#repo = repo;
    this.#now = now;
  }

  async totals(query: ReportTotalsQuery): Promise<ReportTotals> {
    const now = this.#now();
    const filter = withoutDates(toFilter(query));
    const hours = query.currencyHours ?? CURRENCY_DEFAULT.hours;
    const days = query.currencyDays ?? CURRENCY_DEFAULT.days;
    const windowStarts = [...REPORT_PERIODS.filter((p): p is number => p !== null), days];
    const { all, windows } = await this.#repo.totals(
      filter,
      windowStarts.map((d) => ({ start: new Date(now.getTime() - d * DAY_MS).toISOString(), end: now.toISOString() })),
    );
    let i = 0;
    const periods = REPORT_PERIODS.map((d) => {
      const t = d === null ? all : windows[i++]!;
      return { days: d, flights: t.flights, durationS: t.durationS, distanceM: t.distanceM };
    });
    const currencyS = windows.at(-1)!.durationS;
    return {
      asOf: now.toISOString(),
      periods,
      currency: { requiredHours: hours, windowDays: days, durationS: currencyS, current: currencyS >= hours * 3600 },
      firstFlightAt: all.firstFlightAt,
      lastFlightAt: all.lastFlightAt,
    };
  }

  /** Validates the query, then streams the HTML. */
  async report(query: ReportQuery): Promise<ReportFile> {
    const filter = toFilter(query);
    const totals = await this.totals(query);
    const range = (await this.#repo.totals(filter)).all;
    const localAvailable = await this.#exports.localTimeAvailable();
    const now = this.#now();
    const title = query.title?.trim() || 'Flight Logbook';
    const pilot = query.pilot?.trim() || null;
    const generatedAt = `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const head =
      documentStart({
        title,
        pilot,
        scope: describeFilters(query),
        generatedAt,
        timeNote: localAvailable
          ? 'Local time at the take-off point (UTC offset shown per flight); UTC where the position is unknown.'
          : 'UTC (local time zones are not known for these flights yet).',
      }) +
      summarySection(
        hasFilters(query) ? 'Flights in this report' : 'All flights',
        { label: 'range', flights: range.flights, durationS: range.durationS, distanceM: range.distanceM },
        totals.periods.map<PeriodRow>((p) => ({
          label: p.days === null ? 'All time' : `Last ${p.days} days`,
          flights: p.flights,
          durationS: p.durationS,
          distanceM: p.distanceM,
        })),
        totals.currency,
      );
    const stream = Readable.from(this.#pieces(filter, head, generatedAt), { objectMode: false });
    const slug = title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'logbook';
    return { fileName: `${slug}-${now.toISOString().slice(0, 10)}.html`, contentType: 'text/html; charset=utf-8', stream };
  }

  async *#pieces(filter: FlightFilter, head: string, generatedAt: string): AsyncGenerator<string> {
    yield head;
    const hash = createHash('sha256');
    const grand = emptyTotals();
    let days = 0;
    let day: string | null = null;
    let dayRows = '';
    let dayTotals = emptyTotals();
    for await (const page of this.#exports.logbookPages(filter, 'local')) {
      let out = '';
      for (const r of page) {
        const d = r.localStart.slice(0, 10);
        if (d !== day) {
          if (day !== null) out += daySection(day, dayRows, dayTotals);
          day = d;
          days++;
          dayRows = '';
          dayTotals = emptyTotals();
        }
        dayRows += flightRow(r);
        add(dayTotals, r);
        add(grand, r);
        hash.update(fingerprintLine(r));
      }
      if (out) yield out;
    }
    if (day !== null) yield daySection(day, dayRows, dayTotals);
    yield documentEnd(grand, days, hash.digest('hex'), generatedAt);
  }
}

function emptyTotals(): DayTotals {
  return { flights: 0, durationS: 0, distanceM: 0, maxHeightM: null, maxDistanceFromHomeM: null };
}

function add(t: DayTotals, r: LogbookRow): void {
  t.flights++;
  t.durationS += r.durationS ?? 0;
  t.distanceM += r.distanceM ?? 0;
  if (r.maxHeightM !== null) t.maxHeightM = Math.max(t.maxHeightM ?? r.maxHeightM, r.maxHeightM);
  if (r.maxDistanceFromHomeM !== null) t.maxDistanceFromHomeM = Math.max(t.maxDistanceFromHomeM ?? r.maxDistanceFromHomeM, r.maxDistanceFromHomeM);
}

function fingerprintLine(r: LogbookRow): string {
  return (
    JSON.stringify([r.id, r.startTime, r.durationS, r.distanceM, r.maxHeightM, r.aircraftSerial, r.batterySerial, r.takeoffLat, r.takeoffLon, r.notes]) +
    '\n'
  );
}

function withoutDates(f: FlightFilter): FlightFilter {
  const { startFrom: _from, startBefore: _before, ...rest } = f;
  return rest;
}

function hasFilters(q: FlightFilterQuery): boolean {
  return Boolean(q.from || q.to || q.aircraft?.length || q.battery?.length || q.tag?.length || q.q?.trim());
}

function describeFilters(q: FlightFilterQuery): string {
  const parts: string[] = [];
  const period = periodText(q.from, q.to);
  if (period) parts.push(period);
  if (q.aircraft?.length) parts.push(`aircraft ${q.aircraft.join(', ')}`);
  if (q.battery?.length) parts.push(`battery ${q.battery.join(', ')}`);
  if (q.tag?.length) parts.push(`tagged ${q.tag.join(q.tagMatch === 'all' ? ' and ' : ' or ')}`);
  if (q.q?.trim()) parts.push(`matching "${q.q.trim()}"`);
  return parts.length ? parts.join('; ') : 'All flights';
}
