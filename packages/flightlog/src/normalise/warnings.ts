import type { ParseWarning } from '../types.js';

const MESSAGES: Readonly<Record<string, (n: number) => string>> = {
  'gps-zero': (n) => `${n} position${s(n)} at 0,0 (no GPS fix yet) ${n === 1 ? 'was' : 'were'} left off the track.`,
  'gps-nan': (n) => `${n} position${s(n)} without a number ${n === 1 ? 'was' : 'were'} left off the track.`,
  'gps-out-of-range': (n) => `${n} position${s(n)} outside ±90°/±180° ${n === 1 ? 'was' : 'were'} left off the track.`,
  'gps-jump': (n) =>
    `${n} position${s(n)} that would mean an impossible jump (faster than 150 m/s, or more than 50 km from the rest of the flight) ${n === 1 ? 'was' : 'were'} left off the track.`,
  truncated: () => 'The file ends in the middle of a record (it was cut short); the flight is shown up to that point.',
  'time-backwards': (n) => `The log's clock went backwards ${n} time${s(n)}; those steps were held at the previous time.`,
  'time-estimated': () => 'The log carries no usable clock; times assume the usual 10 records per second.',
  'value-out-of-range': (n) => `${n} impossible value${s(n)} (heights, speeds, angles or battery readings) ${n === 1 ? 'was' : 'were'} blanked.`,
  'home-implausible': () => 'The home point recorded in the log was not plausible and was ignored.',
  'battery-implausible': (n) => `${n} impossible battery reading${s(n)} (over 100 % or over 60 V) ${n === 1 ? 'was' : 'were'} blanked.`,
  'battery-records-unreadable': () =>
    "This log's detailed battery records (current, temperature, capacity) could not be decoded and were left out.",
  'battery-info-unreadable': () => "The battery's cycle count and design capacity could not be read from this log.",
};

function s(n: number): string {
  return n === 1 ? '' : 's';
}

/** Counts problems per code while normalising; produces the pilot-readable `ParseWarning` list. */
export class WarningCounter {
  readonly #counts = new Map<string, number>();

  add(code: string, count = 1): void {
    if (count <= 0) return;
    this.#counts.set(code, (this.#counts.get(code) ?? 0) + count);
  }

  count(code: string): number {
    return this.#counts.get(code) ?? 0;
  }

  toList(): ParseWarning[] {
    return [...this.#counts].map(([code, count]) => ({
      code,
      count,
      message: MESSAGES[code]?.(count) ?? `${count} × ${code}`,
    }));
  }
}
