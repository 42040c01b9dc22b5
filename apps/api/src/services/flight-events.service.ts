import {
  EVENT_MERGE_GAP_MS,
  LOW_BATTERY_PERCENT,
  MIN_SATELLITES,
  type EventSeverity,
  type FlightEvent,
  type FlightEventsResponse,
  type FlightEventType,
} from '@dronelog/contracts';
import type { FlightRepository } from '../repositories/flight.repository.js';
import { RC_LINK_SPEC, satellitesSpec, type FlightEventsRepository, type Segment } from '../repositories/flight-events.repository.js';
import { flightNotFound } from './flight-query.service.js';

/** Most events of one type; the rest is left out and `truncated` set. */
export const MAX_EVENTS_PER_TYPE = 500;

const RTH_MODE = /go ?home|return ?to ?home|rth/i;
const LANDING_MODE = /landing/i;
const FORCED = /force|low ?battery/i;
const MODE_TIP = /^Flight mode changed to (\S+?)\.?$/;

const TYPE_ORDER: Record<FlightEventType, number> = {
  message: 0,
  'mode-change': 1,
  'return-to-home': 2,
  landing: 3,
  'low-battery': 4,
  'rc-signal-lost': 5,
  'gps-weak': 6,
};

/**
 * The events timeline of one flight: the app's messages (tips, warnings), flight-mode changes with return-to-home
 * and automatic landings called out, the battery falling below LOW_BATTERY_PERCENT levels, remote-control link
 * losses (a link reading 0 %) and GPS weakness (fewer than MIN_SATELLITES satellites after the first good fix).
 * Losses closer than EVENT_MERGE_GAP_MS are one event.
 */
export class FlightEventsService {
  readonly #events: FlightEventsRepository;
  readonly #flights: FlightRepository;

  constructor(events: FlightEventsRepository, flights: FlightRepository) {
    this.#events = events;
    this.#flights = flights;
  }

  async events(flightId: number): Promise<FlightEventsResponse> {
    if (!(await this.#flights.exists(flightId))) throw flightNotFound(flightId);
    const groups: FlightEvent[][] = [];
    const modes = await this.#events.modeChanges(flightId);

    // The app's own "Flight mode changed to X." tips repeat the mode events derived below: those are left out.
    const modeAt = (mode: string, tMs: number) => modes.some((m) => m.mode === mode && Math.abs(m.tMs - tMs) < EVENT_MERGE_GAP_MS);
    groups.push(
      (await this.#flights.messages(flightId))
        .filter((m) => {
          const changed = MODE_TIP.exec(m.text);
          return !(changed && modeAt(changed[1]!, m.tMs));
        })
        .map((m) => ({
          tMs: m.tMs,
          endMs: null,
          type: 'message',
          severity: messageSeverity(m.severity),
          title: m.text,
          detail: m.severity,
        })),
    );

    const modeEvents: FlightEvent[] = [];
    const rth: FlightEvent[] = [];
    const landing: FlightEvent[] = [];
    modes.forEach((m, i) => {
      const endMs = modes[i + 1]?.tMs ?? null;
      const detail = m.previous === null ? 'first recorded mode' : `from ${m.previous}`;
      if (RTH_MODE.test(m.mode)) {
        rth.push({ tMs: m.tMs, endMs, type: 'return-to-home', severity: 'warning', title: `Return to home (${m.mode})`, detail });
      } else if (LANDING_MODE.test(m.mode)) {
        const forced = FORCED.test(m.mode);
        landing.push({ tMs: m.tMs, endMs, type: 'landing', severity: forced ? 'critical' : 'info', title: `Landing (${m.mode})`, detail });
      } else {
        modeEvents.push({ tMs: m.tMs, endMs: null, type: 'mode-change', severity: 'info', title: `Flight mode ${m.mode}`, detail });
      }
    });
    groups.push(modeEvents, rth, landing);

    const crossings = await this.#events.batteryCrossings(flightId, LOW_BATTERY_PERCENT);
    groups.push(
      crossings
        .filter((c): c is { level: number; tMs: number; percent: number | null } => c.tMs !== null)
        .map((c, i) => ({
          tMs: c.tMs,
          endMs: null,
          type: 'low-battery',
          severity: i === 0 ? 'warning' : 'critical',
          title: `Battery below ${c.level} %`,
          detail: c.percent === null ? null : `${round1(c.percent)} % at that moment`,
        })),
    );

    groups.push(
      mergeSegments(await this.#events.segments(flightId, RC_LINK_SPEC)).map((s) => ({
        tMs: s.startMs,
        endMs: s.endMs,
        type: 'rc-signal-lost',
        severity: 'critical',
        title: 'Remote-control link lost',
        detail: lasted(s),
      })),
    );
    groups.push(
      mergeSegments(await this.#events.segments(flightId, satellitesSpec(MIN_SATELLITES))).map((s) => ({
        tMs: s.startMs,
        endMs: s.endMs,
        type: 'gps-weak',
        severity: 'warning',
        title: `GPS weak (fewer than ${MIN_SATELLITES} satellites)`,
        detail: `${s.worst === null ? '' : `lowest ${Math.round(s.worst)} satellites, `}${lasted(s)}`,
      })),
    );

    const truncated = groups.some((g) => g.length > MAX_EVENTS_PER_TYPE);
    const events = groups
      .flatMap((g) => g.slice(0, MAX_EVENTS_PER_TYPE))
      .sort((a, b) => a.tMs - b.tMs || TYPE_ORDER[a.type] - TYPE_ORDER[b.type]);
    return { flightId, events, truncated };
  }
}

function messageSeverity(s: string): EventSeverity {
  if (s === 'caution') return 'critical';
  if (s === 'warning') return 'warning';
  return 'info';
}

/** Joins stretches less than EVENT_MERGE_GAP_MS apart (a flickering link is one loss). */
export function mergeSegments(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && last.endMs !== null && s.startMs - last.endMs < EVENT_MERGE_GAP_MS) {
      last.endMs = s.endMs;
      if (s.worst !== null && (last.worst === null || s.worst < last.worst)) last.worst = s.worst;
    } else {
      out.push({ ...s });
    }
  }
  return out;
}

function lasted(s: Segment): string {
  return s.endMs === null ? 'until the end of the log' : `for ${round1((s.endMs - s.startMs) / 1000)} s`;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
