import tzLookup from '@photostructure/tz-lookup';

/** The wall clock at a place and instant. */
export interface LocalStartTime {
  /** IANA zone of the point, e.g. "America/Denver" (offline lookup; "Etc/GMT+7"-style zones at sea). */
  timeZone: string;
  /** Local wall-clock time without offset, ISO-8601 with ms: "2018-06-20T09:16:53.071". */
  localIso: string;
  /** Local hour 0–23. */
  hour: number;
  /** Local minus UTC, minutes (−360 for MDT). */
  utcOffsetMinutes: number;
}

/**
 * Local time of a flight's take-off from its position and UTC start: the time zone comes from
 * @photostructure/tz-lookup (its data ships inside the package), the offset from Intl with the IANA rules,
 * so DST and historical offsets are right (unlike Open DroneLog's longitude / 15).
 * Null when the position or the time is not usable.
 */
export function localStartTime(latitude: number, longitude: number, isoUtc: string): LocalStartTime | null {
  const ms = Date.parse(isoUtc);
  if (!Number.isFinite(ms) || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  let timeZone: string;
  try {
    timeZone = tzLookup(latitude, longitude);
  } catch {
    return null;
  }
  return localWallClock(timeZone, ms);
}

/** The wall clock of an IANA zone at a Unix-ms instant; null for an unknown zone. */
export function localWallClock(timeZone: string, epochMs: number): LocalStartTime | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(epochMs));
  } catch {
    return null;
  }
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const [y, mo, d, h, mi, s] = [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
  const ms = ((epochMs % 1000) + 1000) % 1000;
  const wallMs = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  return {
    timeZone,
    localIso: new Date(wallMs).toISOString().slice(0, 23),
    hour: h,
    utcOffsetMinutes: Math.round((wallMs - epochMs) / 60_000),
  };
}
