/** Pure display helpers: durations, dates (in the viewer's or the flight's local time), file sizes. */

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return h > 0 ? `${h}:${mm}:${String(sec).padStart(2, '0')}` : `${mm}:${String(sec).padStart(2, '0')}`;
}

/** Total hours for totals rows: 12_600 s → "3 h 30 min"; under an hour "42 min". */
export function formatHours(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const totalMin = Math.round(seconds / 60);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return h > 0 ? `${h.toLocaleString()} h ${m} min` : `${m} min`;
}

/** Replay/chart clock: ms since start → "m:ss.s" */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const neg = ms < 0;
  const t = Math.abs(ms) / 1000;
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${neg ? '-' : ''}${m}:${s.toFixed(1).padStart(4, '0')}`;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * Date and time of a flight. With `timeZone` (the flight's own zone from the API, when known) the
 * time is the local time where the drone flew; otherwise the viewer's local time.
 */
export function formatDateTime(iso: string | null | undefined, timeZone?: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  if (timeZone) {
    try {
      const f = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone });
      return f.format(d);
    } catch {
      // unknown zone name: fall through to the viewer's zone
    }
  }
  return `${dateFmt.format(d)}, ${timeFmt.format(d)}`;
}

/**
 * When a flight took off, as the pilot's watch showed it: date and time in the flight's own zone (`localTimeZone`
 * from the API, the zone at its home point) with the zone's short name, e.g. "1 Sept 2024, 14:55 CEST". Without a
 * known zone (or with one this browser does not know) the viewer's zone is used and named the same way, so the
 * reader always sees which clock the time is on. How the zone is named (CEST or GMT+2) depends on the locale.
 */
export function formatFlightTime(iso: string | null | undefined, timeZone: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(d);
    } catch {
      // A zone name this browser's Intl data does not have: the viewer's zone below.
    }
  }
  return new Intl.DateTimeFormat(locale, opts).format(d);
}

/**
 * What to call a flight: the pilot's name, else "<model> · <date, time>" at the flight's own local time when its
 * zone is known (the viewer's otherwise). The API's default name uses UTC.
 */
export function flightTitle(f: {
  customName: string | null;
  aircraftModel: string | null;
  aircraftName: string | null;
  startTime: string;
  localTimeZone?: string | null;
}): string {
  if (f.customName) return f.customName;
  return `${f.aircraftModel ?? f.aircraftName ?? 'Flight'} · ${formatDateTime(f.startTime, f.localTimeZone)}`;
}

/** A day; with `timeZone` (a flight's own zone) the day it was where the drone flew, else the viewer's day. */
export function formatDate(iso: string | null | undefined, timeZone?: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone }).format(d);
    } catch {
      // unknown zone name: the viewer's day
    }
  }
  return dateFmt.format(d);
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Battery used in percentage points, from start/end %. */
export function batteryUsed(start: number | null | undefined, end: number | null | undefined): number | null {
  if (start === null || start === undefined || end === null || end === undefined) return null;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return null;
  return Math.max(0, start - end);
}
