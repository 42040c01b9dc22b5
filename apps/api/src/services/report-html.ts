import { createHash } from 'node:crypto';
import { localWallClock } from '@dronelog/flightlog';
import type { LogbookRow } from '../repositories/export.repository.js';

/**
 * Pure HTML pieces of the logbook report: a standalone A4 page (inline CSS, no scripts, no external resources).
 * Every text that comes from data goes through `esc`.
 */

export function esc(v: string | null | undefined): string {
  return (v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Multi-line text: escaped, line breaks kept. */
const escLines = (v: string | null) => esc(v).replace(/\r?\n/g, '<br>');

/** 1:05:09 */
export function hms(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** "2 h 05 min" */
export function hoursMinutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function metres(v: number | null): string {
  if (v === null) return '–';
  return v >= 1000 ? `${(v / 1000).toFixed(2)} km` : `${Math.round(v)} m`;
}

const coord = (lat: number | null, lon: number | null) => (lat === null || lon === null ? '–' : `${lat.toFixed(5)}, ${lon.toFixed(5)}`);
const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v)} %`);

function addSeconds(wall: string, seconds: number): string {
  return new Date(Date.parse(`${wall}Z`) + Math.round(seconds * 1000)).toISOString().slice(0, 19);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Sunday 1 September 2024" for 'YYYY-MM-DD'. */
export function longDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "1 Sep 2024" for 'YYYY-MM-DD'. */
export function shortDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)} ${d.getUTCFullYear()}`;
}

/** "UTC", "UTC+2", "UTC−6", "UTC+5:30" for an offset in minutes. */
export function utcOffsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const a = Math.abs(minutes);
  return `UTC${minutes > 0 ? '+' : '−'}${Math.floor(a / 60)}${a % 60 ? `:${String(a % 60).padStart(2, '0')}` : ''}`;
}

const BOUND = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A from/to value as the pilot reads it: the day, and the time of day with the offset it was given in when it is not
 * where a day starts (from) or ends (to). The web app sends whole local days as 00:00:00±hh:mm … 23:59:59±hh:mm.
 * Values were validated by the filter already; anything else is shown as given.
 */
export function boundText(raw: string, side: 'from' | 'to'): string {
  const m = BOUND.exec(raw);
  if (!m) return raw;
  const [, day, hh, mm, ss = '00', frac = '', zone] = m;
  if (hh === undefined) return shortDay(day!);
  const time = `${hh}:${mm}${ss === '00' && !frac ? '' : `:${ss}`}`;
  const allNines = /^9*$/.test(frac);
  const dayEdge = side === 'from' ? time === '00:00' && /^0*$/.test(frac) : hh === '23' && mm === '59' && (m[4] === undefined || (ss === '59' && allNines));
  if (dayEdge) return shortDay(day!);
  const offset = zone === undefined ? '' : zone.toUpperCase() === 'Z' ? ' UTC' : ` UTC${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return `${shortDay(day!)} ${time}${offset}`;
}

/** The report's date range: "1 Sep 2024 – 30 Nov 2024", "from 1 Sep 2024", "until 30 Nov 2024", or null when open. */
export function periodText(from: string | undefined, to: string | undefined): string | null {
  if (from && to) return `${boundText(from, 'from')} – ${boundText(to, 'to')}`;
  if (from) return `from ${boundText(from, 'from')}`;
  if (to) return `until ${boundText(to, 'to')}`;
  return null;
}

/**
 * Take-off and landing wall clock of a logbook row with their UTC offsets: in the flight's own time zone when known
 * (landing looked up in that zone, so a DST change in flight is right), else UTC.
 */
export function flightTimes(r: Pick<LogbookRow, 'localStart' | 'localKnown' | 'timeZone' | 'startTime' | 'durationS'>): {
  takeoff: string;
  takeoffZone: string;
  landing: string | null;
  landingZone: string;
  landingNextDay: boolean;
} {
  const startMs = Date.parse(r.startTime);
  const local = r.localKnown && r.timeZone !== null;
  const takeoffOffset = local ? Math.round((Date.parse(`${r.localStart}Z`) - startMs) / 60_000) : 0;
  const takeoffZone = local ? utcOffsetLabel(takeoffOffset) : 'UTC';
  if (r.durationS === null || !Number.isFinite(startMs)) return { takeoff: r.localStart.slice(11, 19), takeoffZone, landing: null, landingZone: takeoffZone, landingNextDay: false };
  const landingMs = startMs + Math.round(r.durationS * 1000);
  const wall = local ? localWallClock(r.timeZone!, landingMs) : null;
  const landingIso = wall?.localIso ?? addSeconds(r.localStart, r.durationS);
  return {
    takeoff: r.localStart.slice(11, 19),
    takeoffZone,
    landing: landingIso.slice(11, 19),
    landingZone: wall ? utcOffsetLabel(wall.utcOffsetMinutes) : takeoffZone,
    landingNextDay: landingIso.slice(0, 10) !== r.localStart.slice(0, 10),
  };
}

const STYLE = `
@page { size: A4; margin: 12mm 10mm; }
* { box-sizing: border-box; }
body { font: 9pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 10.5pt; margin: 6mm 0 1.5mm; break-after: avoid; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0 0 4mm; }
header dt { color: #555; }
header dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
table.flights { table-layout: fixed; font-size: 8pt; }
table.flights td, table.flights th { padding: 1mm 0.8mm; overflow-wrap: anywhere; }
table.flights td.num { white-space: nowrap; overflow-wrap: normal; }
table.flights th { overflow-wrap: normal; }
table.flights td.batt { white-space: normal; }
th, td { text-align: left; vertical-align: top; padding: 1mm 1.2mm; border-bottom: 0.2mm solid #ccc; }
th { font-weight: 600; border-bottom: 0.4mm solid #333; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; }
small, .muted { color: #555; }
tfoot td { font-weight: 600; border-top: 0.4mm solid #333; border-bottom: none; }
.summary { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; margin-bottom: 2mm; break-inside: avoid; }
.summary table td, .summary table th { border-bottom: 0.2mm solid #ddd; }
.current { font-weight: 600; }
.current.yes { color: #0a6b2d; }
.current.no { color: #a11; }
.grand { margin-top: 6mm; break-inside: avoid; }
footer { margin-top: 6mm; color: #555; font-size: 7.5pt; word-break: break-all; }
td.notes { overflow-wrap: anywhere; }
${['4%', '12%', '11%', '9%', '12%', '10%', '9%', '7%', '7%', '8%', '11%'].map((w, i) => `table.flights col:nth-child(${i + 1}) { width: ${w}; }`).join('\n')}
@media screen { body { padding: 10mm; } }
`;

/**
 * The report's Content-Security-Policy: nothing may load or run; only its own <style> element (by hash) applies.
 * The app's CSP allows no inline <style>, so the report route sends this one instead.
 */
export const REPORT_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ReportHeader {
  title: string;
  pilot: string | null;
  /** Human description of the date range and filters, or "All flights". */
  scope: string;
  generatedAt: string;
  timeNote: string;
}

export function documentStart(h: ReportHeader): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Dronelog">
<title>${esc(h.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(h.title)}</h1>
<dl>
<dt>Pilot</dt><dd>${h.pilot ? esc(h.pilot) : '<span class="muted">—</span>'}</dd>
<dt>Flights</dt><dd>${esc(h.scope)}</dd>
<dt>Generated</dt><dd>${esc(h.generatedAt)}</dd>
<dt>Times</dt><dd>${esc(h.timeNote)}</dd>
</dl>
</header>
`;
}

export interface PeriodRow {
  label: string;
  flights: number;
  durationS: number;
  distanceM: number;
}

export interface CurrencyInfo {
  requiredHours: number;
  windowDays: number;
  durationS: number;
  current: boolean;
}

export function summarySection(rangeLabel: string, range: PeriodRow, periods: PeriodRow[], currency: CurrencyInfo): string {
  const periodRows = periods
    .map((p) => `<tr><td>${esc(p.label)}</td><td class="num">${p.flights}</td><td class="num">${hoursMinutes(p.durationS)}</td><td class="num">${metres(p.distanceM)}</td></tr>`)
    .join('\n');
  return `<section class="summary">
<div>
<h2>${esc(rangeLabel)}</h2>
<table><tbody>
<tr><td>Flights</td><td class="num">${range.flights}</td></tr>
<tr><td>Flight time</td><td class="num">${hoursMinutes(range.durationS)}</td></tr>
<tr><td>Distance</td><td class="num">${metres(range.distanceM)}</td></tr>
</tbody></table>
<p class="current ${currency.current ? 'yes' : 'no'}">Currency: ${currency.current ? 'current' : 'NOT current'} — ${hoursMinutes(currency.durationS)} flown in the last ${currency.windowDays} days (${currency.requiredHours} h required).</p>
</div>
<div>
<h2>Period totals (to today)</h2>
<table>
<thead><tr><th>Period</th><th class="num">Flights</th><th class="num">Flight time</th><th class="num">Distance</th></tr></thead>
<tbody>
${periodRows}
</tbody></table>
</div>
</section>
<main>
`;
}

const COLUMNS = `<colgroup>${'<col>'.repeat(11)}</colgroup>`;

const HEAD = `<thead><tr><th>#</th><th>Flight</th><th>Aircraft</th><th>Battery</th><th>Take-off</th><th>Landing</th><th class="num">Duration</th><th class="num">Max height</th><th class="num">Max dist.</th><th class="num">Battery %</th><th>Notes</th></tr></thead>`;

export function flightRow(r: LogbookRow): string {
  const times = flightTimes(r);
  const landing =
    times.landing === null
      ? '–'
      : `${esc(times.landing)}${times.landingZone !== times.takeoffZone ? ` <small>${esc(times.landingZone)}</small>` : ''}${times.landingNextDay ? ' <small>+1 day</small>' : ''}`;
  const aircraft = r.aircraftName
    ? r.aircraftModel && r.aircraftModel !== r.aircraftName
      ? `${r.aircraftName} (${r.aircraftModel})`
      : r.aircraftName
    : (r.aircraftModel ?? '');
  const battery = r.batteryName ? `${esc(r.batteryName)}<br><small>SN ${esc(r.batterySerial)}</small>` : r.batterySerial ? `SN ${esc(r.batterySerial)}` : '–';
  const tags = r.tags.length ? `<br><small>${esc(r.tags.join(', '))}</small>` : '';
  return `<tr>
<td class="num">${r.id}</td>
<td>${esc(r.name)}${tags}</td>
<td>${aircraft ? esc(aircraft) : '–'}${r.aircraftSerial ? `<br><small>SN ${esc(r.aircraftSerial)}</small>` : ''}</td>
<td>${battery}</td>
<td>${esc(times.takeoff)} <small>${esc(times.takeoffZone)}</small><br><small>${coord(r.takeoffLat, r.takeoffLon)}</small>${r.place ? `<br><small>${esc(r.place)}</small>` : ''}</td>
<td>${landing}<br><small>${coord(r.landingLat, r.landingLon)}</small></td>
<td class="num">${hms(r.durationS)}</td>
<td class="num">${metres(r.maxHeightM)}</td>
<td class="num">${metres(r.maxDistanceFromHomeM)}</td>
<td class="num batt">${r.batteryStartPercent === null && r.batteryEndPercent === null ? '–' : `${percent(r.batteryStartPercent)} → ${percent(r.batteryEndPercent)}`}</td>
<td class="notes">${escLines(r.notes)}</td>
</tr>
`;
}

export interface DayTotals {
  flights: number;
  durationS: number;
  distanceM: number;
  maxHeightM: number | null;
  maxDistanceFromHomeM: number | null;
}

export function daySection(day: string, rowsHtml: string, t: DayTotals): string {
  return `<section class="day" data-day="${esc(day)}">
<h2>${esc(longDay(day))}</h2>
<table class="flights">
${COLUMNS}
${HEAD}
<tbody>
${rowsHtml}</tbody>
<tfoot><tr class="subtotal"><td colspan="6">Day total: ${t.flights} flight${t.flights === 1 ? '' : 's'}, ${metres(t.distanceM)} flown</td><td class="num">${hms(t.durationS)}</td><td class="num">${metres(t.maxHeightM)}</td><td class="num">${metres(t.maxDistanceFromHomeM)}</td><td colspan="2"></td></tr></tfoot>
</table>
</section>
`;
}

export function documentEnd(grand: DayTotals, days: number, fingerprint: string, generatedAt: string): string {
  const body =
    grand.flights === 0
      ? '<p>No flights match these filters.</p>'
      : `<table><tbody>
<tr><td>Flights</td><td class="num">${grand.flights}</td></tr>
<tr><td>Flying days</td><td class="num">${days}</td></tr>
<tr><td>Flight time</td><td class="num">${hms(grand.durationS)} (${hoursMinutes(grand.durationS)})</td></tr>
<tr><td>Distance</td><td class="num">${metres(grand.distanceM)}</td></tr>
<tr><td>Highest</td><td class="num">${metres(grand.maxHeightM)}</td></tr>
<tr><td>Furthest from home</td><td class="num">${metres(grand.maxDistanceFromHomeM)}</td></tr>
</tbody></table>`;
  return `</main>
<section class="grand">
<h2>Grand total</h2>
${body}
</section>
<footer>Generated by Dronelog on ${esc(generatedAt)}. Fingerprint (SHA-256 of the listed flights' data): <span class="fingerprint">${esc(fingerprint)}</span></footer>
</body>
</html>
`;
}
