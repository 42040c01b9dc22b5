import {
  DURATION_BAND_LIMITS_S,
  DURATION_BANDS,
  OVERVIEW_ACTIVITY_DAYS,
  OVERVIEW_TAKEOFF_POINTS_MAX,
  OVERVIEW_TOP_N,
  type ActivityDay,
  type OverviewQuery,
  type OverviewResponse,
  type TimeBasis,
} from '@dronelog/contracts';
import { InvalidError } from '../errors.js';
import type { OverviewRepository } from '../repositories/overview.repository.js';
import { toFilter } from './flight-query.service.js';

const DAY_MS = 86_400_000;

/**
 * The overview dashboard: totals, records, a 365-day activity calendar, breakdowns by aircraft, battery, duration
 * band and hour of day, take-off points for a cluster map and the top flights — all following the list filters and
 * all read from the flights table (a few aggregate queries, whatever the amount of telemetry).
 */
export class OverviewService {
  readonly #repo: OverviewRepository;
  readonly #now: () => Date;

  constructor(repo: OverviewRepository, now: () => Date = () => new Date()) {
    this.#repo = repo;
    this.#now = now;
  }

  async overview(query: OverviewQuery): Promise<OverviewResponse> {
    const filter = toFilter(query);
    const toDay = activityEnd(query, this.#now());
    const fromDay = addDays(toDay, -(OVERVIEW_ACTIVITY_DAYS - 1));

    const { totals, records } = await this.#repo.totalsAndRecords(filter);
    const counted = await this.#repo.activity(filter, fromDay, toDay);
    const byAircraft = await this.#repo.breakdown(filter, 'aircraft');
    const byBattery = await this.#repo.breakdown(filter, 'battery');
    const bands = await this.#repo.durationBands(filter);
    const hours = await this.#repo.hourOfDay(filter);
    const takeoffs = await this.#repo.takeoffs(filter, OVERVIEW_TAKEOFF_POINTS_MAX);
    const longest = await this.#repo.top(filter, 'duration', OVERVIEW_TOP_N);
    const furthest = await this.#repo.top(filter, 'distanceFromHome', OVERVIEW_TOP_N);
    const highest = await this.#repo.top(filter, 'height', OVERVIEW_TOP_N);

    const [lo, hi] = DURATION_BAND_LIMITS_S;
    const bandBounds: Array<[number, number | null]> = [
      [0, lo],
      [lo, hi],
      [hi, null],
    ];
    return {
      totals,
      records,
      activity: { from: fromDay, to: toDay, days: denseDays(fromDay, toDay, counted) },
      byAircraft,
      byBattery,
      durationBands: DURATION_BANDS.map((band, i) => ({
        band,
        minS: bandBounds[i]![0],
        maxS: bandBounds[i]![1],
        flights: bands.flights[i]!,
        durationS: bands.durationS[i]!,
      })),
      hourOfDay: {
        timeBasis: timeBasis(hours.localAvailable, hours.utcFallbackFlights, totals.flights),
        utcFallbackFlights: hours.utcFallbackFlights,
        hours: hours.hours,
      },
      takeoffs: {
        points: takeoffs.points,
        total: takeoffs.total,
        limit: OVERVIEW_TAKEOFF_POINTS_MAX,
        truncated: takeoffs.total > takeoffs.points.length,
      },
      topFlights: { longest, furthest, highest },
    };
  }
}

function timeBasis(localAvailable: boolean, fallback: number, flights: number): TimeBasis {
  if (!localAvailable) return 'utc';
  if (fallback === 0) return 'local';
  return fallback >= flights ? 'utc' : 'mixed';
}

/** The calendar's last day: `activityTo`, else the day of `to`, else today (UTC). */
function activityEnd(query: OverviewQuery, now: Date): string {
  if (query.activityTo) {
    if (!isCalendarDay(query.activityTo)) {
      throw new InvalidError(`activityTo=${query.activityTo} is not a calendar day; use YYYY-MM-DD.`, 'invalid-date');
    }
    return query.activityTo;
  }
  const to = query.to?.slice(0, 10);
  if (to && isCalendarDay(to)) return to;
  return now.toISOString().slice(0, 10);
}

function isCalendarDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function denseDays(fromDay: string, toDay: string, counted: ActivityDay[]): ActivityDay[] {
  const byDay = new Map(counted.map((d) => [d.date, d]));
  const out: ActivityDay[] = [];
  for (let day = fromDay; day <= toDay; day = addDays(day, 1)) {
    out.push(byDay.get(day) ?? { date: day, flights: 0, durationS: 0 });
  }
  return out;
}
