/**
 * The manual flight form: strings typed by the pilot (in their units and local time) → POST /flights/manual body,
 * and the API's validation message split back onto the form fields ("body/durationS Expected …, body/homeLat …").
 * The API does the validation; this only converts and places its messages.
 */
import type { ManualFlightBody } from '@dronelog/contracts';
import { M_PER_FT, M_PER_MI, type UnitSystem } from './units.js';

/** Inputs bound to <input type=number> hold numbers (or null when empty), the others strings. */
export type Typed = string | number | null | undefined;

export interface ManualForm {
  name: string;
  aircraftName: string;
  aircraftModel: string;
  aircraftSerial: string;
  batterySerial: string;
  /** YYYY-MM-DD and HH:MM, local to the viewer. */
  date: string;
  time: string;
  minutes: Typed;
  seconds: Typed;
  lat: string;
  lon: string;
  /** In the pilot's units: km or mi. */
  distance: string;
  /** In the pilot's units: m or ft. */
  maxHeight: string;
  notes: string;
}

export const EMPTY_FORM: ManualForm = {
  name: '',
  aircraftName: '',
  aircraftModel: '',
  aircraftSerial: '',
  batterySerial: '',
  date: '',
  time: '',
  minutes: '',
  seconds: '',
  lat: '',
  lon: '',
  distance: '',
  maxHeight: '',
  notes: '',
};

export type FieldErrors = Partial<Record<keyof ManualFlightBody | 'general', string>>;

/** "+02:00" for a local date and time (the viewer's zone, DST included). */
export function localOffset(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const min = -new Date(y, m - 1, d, hh, mm).getTimezoneOffset();
  const sign = min >= 0 ? '+' : '-';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** "46.50531, 6.62744" (a pasted pair) → [lat, lon], else null. */
export function parseLatLon(s: string): [number, number] | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(s);
  if (!m) return null;
  return [Number(m[1]), Number(m[2])];
}

const num = (s: Typed): number | null => {
  const t = (s === null || s === undefined ? '' : String(s)).trim().replace(',', '.');
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
};

/** Form → body. Typing mistakes the API could not even receive (text in a number, missing date) are reported here. */
export function manualBody(f: ManualForm, system: UnitSystem): { body: ManualFlightBody } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!f.date || !f.time) errors.startTime = 'Enter the take-off date and time.';
  const min = num(f.minutes) ?? 0;
  const sec = num(f.seconds) ?? 0;
  if (Number.isNaN(min) || Number.isNaN(sec)) errors.durationS = 'Minutes and seconds must be numbers.';
  const lat = num(f.lat);
  const lon = num(f.lon);
  if (lat === null || Number.isNaN(lat)) errors.homeLat = 'Enter the take-off latitude in degrees, e.g. 46.5053.';
  if (lon === null || Number.isNaN(lon)) errors.homeLon = 'Enter the take-off longitude in degrees, e.g. 6.6274.';
  const dist = num(f.distance);
  const height = num(f.maxHeight);
  if (Number.isNaN(dist)) errors.distanceM = 'Distance must be a number.';
  if (Number.isNaN(height)) errors.maxHeightM = 'Height must be a number.';
  if (Object.keys(errors).length) return { errors };
  const imp = system === 'imperial';
  const body: ManualFlightBody = {
    aircraftName: f.aircraftName.trim(),
    aircraftSerial: f.aircraftSerial.trim(),
    batterySerial: f.batterySerial.trim(),
    startTime: `${f.date}T${f.time}${localOffset(f.date, f.time)}`,
    durationS: Math.round((min * 60 + sec) * 10) / 10,
    homeLat: lat!,
    homeLon: lon!,
  };
  if (f.aircraftModel.trim()) body.aircraftModel = f.aircraftModel.trim();
  if (f.name.trim()) body.name = f.name.trim();
  if (f.notes.trim()) body.notes = f.notes.trim();
  if (dist !== null) body.distanceM = Math.round((imp ? dist * M_PER_MI : dist * 1000) * 10) / 10;
  if (height !== null) body.maxHeightM = Math.round((imp ? height * M_PER_FT : height) * 10) / 10;
  return { body };
}

const FIELDS = new Set([
  'aircraftName',
  'aircraftModel',
  'aircraftSerial',
  'batterySerial',
  'startTime',
  'durationS',
  'homeLat',
  'homeLon',
  'name',
  'distanceM',
  'maxHeightM',
  'notes',
]);

/**
 * The API's 400 message → per-field messages. Validation answers list "body/<field> <what>" parts separated by
 * ", "; other answers ("startTime … is in the future") name the field first. Unplaced text goes to `general`.
 */
export function fieldErrors(message: string): FieldErrors {
  const out: FieldErrors = {};
  const parts = message.split(/,\s*(?=body\/)/);
  const general: string[] = [];
  for (const part of parts) {
    const m = /^body\/(\w+)\s+(.*)$/s.exec(part.trim());
    if (m && FIELDS.has(m[1]!)) {
      // "Expected number to be greater than 0: Flight time in seconds (up to 24 h)." → keep the reason, drop the field doc.
      const reason = m[2]!.replace(/:\s.*$/s, '').replace(/^Expected /, 'Must be ').replace(/^Must be number to be /, 'Must be ').replace(/^Must be string length /, 'Length must be ');
      out[m[1] as keyof ManualFlightBody] = reason === 'Length must be greater or equal to 1' ? 'Required.' : reason;
      continue;
    }
    const first = /^(\w+)\s/.exec(part.trim());
    if (first && FIELDS.has(first[1]!) && !out[first[1] as keyof ManualFlightBody]) out[first[1] as keyof ManualFlightBody] = part.trim();
    else general.push(part.trim());
  }
  if (general.length) out.general = general.join(' ');
  return out;
}
