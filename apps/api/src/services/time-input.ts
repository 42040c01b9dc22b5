import { InvalidError } from '../errors.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * A day `YYYY-MM-DD` (00:00 UTC of that day, when `allowDay`) or an instant `YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]`.
 * With `requireOffset` an instant must say its offset (a pilot's local time is otherwise ambiguous).
 * Errors name the field and show the expected format.
 */
export function parseDayOrInstant(field: string, raw: string, opts: { allowDay: boolean; requireOffset: boolean }): Date {
  const formats = `${opts.allowDay ? 'a day YYYY-MM-DD or ' : ''}an instant YYYY-MM-DDTHH:MM[:SS]${opts.requireOffset ? 'Z or ±HH:MM' : '[Z|±HH:MM]'}`;
  const invalid = (why: string) => new InvalidError(`${field} "${raw}" ${why}; use ${formats}, e.g. 2024-09-01T16:55:00+02:00.`, 'invalid-date');
  const day = DAY.exec(raw);
  const m = day ?? INSTANT.exec(raw);
  if (!m) throw invalid('is not a date');
  if (day && !opts.allowDay) throw invalid('has no time of day');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw invalid('is not a calendar date');
  if (day) return date;
  const [hh, mm, ss] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (hh > 23 || mm > 59 || ss > 59) throw invalid('is not a valid time of day');
  const zone = m[7]?.toUpperCase();
  if (!zone && opts.requireOffset) throw invalid('has no offset');
  const offset = !zone || zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const instant = new Date(`${raw.slice(0, 10)}T${raw.slice(11).replace(/([Zz]|[+-]\d{2}:?\d{2})$/, '')}${offset}`);
  if (Number.isNaN(instant.getTime())) throw invalid('is not a valid time');
  return instant;
}
