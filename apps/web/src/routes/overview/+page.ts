import { api } from '$lib/api/client.js';
import { logbookApi } from '$lib/api/logbook.js';
import type { NamedCount } from '$lib/api/types.js';
import { toLocalDate } from '$lib/utils/date-ranges.js';
import { filterParams } from '$lib/utils/filter-params.js';
import { addDays } from '$lib/utils/heatmap.js';
import { parseListQuery } from '$lib/utils/list-query.js';
import type { PageLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function optional(p: Promise<NamedCount[]>): Promise<NamedCount[]> {
  try {
    return await p;
  } catch {
    return [];
  }
}

/**
 * The overview follows the flight list's URL filters. `cal` (YYYY-MM-DD) is the last day of the activity calendar;
 * without it the calendar ends at `to`, else today — or, when nothing was flown in that year, at the last flight.
 */
export const load: PageLoad = async ({ fetch, url, depends }) => {
  depends('app:flights');
  const query = parseListQuery(url.searchParams);
  const calParam = url.searchParams.get('cal');
  const cal = calParam && DAY.test(calParam) ? calParam : null;
  const today = toLocalDate(new Date());
  const client = logbookApi(fetch);
  const base = api(fetch);
  const params = (activityTo: string) => {
    const p = filterParams(query);
    p.set('activityTo', activityTo);
    return p;
  };

  const [first, aircraft, batteries, tags] = await Promise.all([
    client.overview(params(cal ?? query.to ?? today)),
    optional(base.aircraft()),
    optional(base.batteries()),
    optional(base.tags()),
  ]);
  let overview = first;
  let calAuto = false;
  if (!cal && !query.to && overview.totals.flights > 0 && overview.activity.days.every((d) => d.flights === 0)) {
    // Nothing in the last 365 days: show the year up to the most recent matching flight instead of an empty calendar.
    const p = filterParams(query);
    p.set('sort', 'startTime');
    p.set('order', 'desc');
    p.set('limit', '1');
    const last = (await base.listFlights(p)).items[0];
    if (last) {
      // +1 day: the calendar counts the local day at the take-off point, which may be ahead of the viewer's.
      overview = await client.overview(params(addDays(toLocalDate(new Date(last.startTime)), 1)));
      calAuto = true;
    }
  }
  return { query, cal, calAuto, today, overview, aircraft, batteries, tags };
};
