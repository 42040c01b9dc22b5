import { MANUAL_SOURCE_FORMAT, type FlightDetail, type ManualFlightBody } from '@dronelog/contracts';
import type { SmartTagFacts } from '@dronelog/flightlog';
import { ConflictError, InvalidError } from '../errors.js';
import type { ManualFlightRepository, ManualFlightRow } from '../repositories/manual-flight.repository.js';
import type { FlightQueryService } from './flight-query.service.js';
import type { SmartTagService } from './smart-tag.service.js';
import { parseDayOrInstant } from './time-input.js';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** Clock skew allowed between the pilot's device and the server for "not in the future". */
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * Manual flight entry (a flight without a log: training logged on paper, a broken log): stored as source format
 * 'manual' with no telemetry, audited as a 'create'. Tagged like an import by the smart-tag service (MANUAL_ENTRY_TAG
 * plus whatever rules its fields allow: duration, night, country…) and given its local take-off time.
 */
export class ManualFlightService {
  readonly #repo: ManualFlightRepository;
  readonly #queries: FlightQueryService;
  readonly #tagger: Pick<SmartTagService, 'forNewFlight'>;
  readonly #now: () => Date;

  constructor(
    repo: ManualFlightRepository,
    queries: FlightQueryService,
    tagger: Pick<SmartTagService, 'forNewFlight'>,
    now: () => Date = () => new Date(),
  ) {
    this.#repo = repo;
    this.#queries = queries;
    this.#tagger = tagger;
    this.#now = now;
  }

  async create(body: ManualFlightBody, actor: string | null = null): Promise<FlightDetail> {
    const row = this.#validate(body);
    const { autoTags, localTime } = await this.#tagger.forNewFlight(factsOf(row));
    const entry = JSON.stringify({ ...row, endTime: undefined });
    const result = await this.#repo.insert(row, autoTags, (flightId) => ({
      flightId,
      action: 'create',
      field: null,
      oldValue: null,
      newValue: entry,
      actor,
    }), localTime);
    if (result.kind === 'duplicate') {
      throw new ConflictError(
        `Flight ${result.flightId} already has aircraft ${row.aircraftSerial} with battery ${row.batterySerial} taking off at this time; edit that flight instead.`,
        'duplicate-flight',
      );
    }
    return this.#queries.get(result.flightId);
  }

  #validate(b: ManualFlightBody): ManualFlightRow {
    const start = parseDayOrInstant('startTime', b.startTime, { allowDay: false, requireOffset: true });
    if (start.getTime() > this.#now().getTime() + FUTURE_SLACK_MS) {
      throw new InvalidError(`startTime ${b.startTime} is in the future; log a flight once it has been flown.`, 'invalid-date');
    }
    if (!Number.isFinite(b.durationS) || b.durationS <= 0) throw new InvalidError('durationS must be a number of seconds above 0.', 'invalid-duration');
    if (b.homeLat === 0 && b.homeLon === 0) {
      throw new InvalidError('homeLat/homeLon 0,0 is what a GPS without a fix reports; enter the real take-off position.', 'invalid-position');
    }
    const end = new Date(start.getTime() + b.durationS * 1000);
    return {
      name: optionalLine('name', b.name, 200),
      notes: b.notes?.trim() ? b.notes : null,
      aircraftName: line('aircraftName', b.aircraftName, 100),
      aircraftModel: optionalLine('aircraftModel', b.aircraftModel, 100),
      aircraftSerial: line('aircraftSerial', b.aircraftSerial, 100),
      batterySerial: line('batterySerial', b.batterySerial, 100),
      startTime: start.toISOString(),
      endTime: end.toISOString(),
      durationS: b.durationS,
      homeLat: b.homeLat,
      homeLon: b.homeLon,
      distanceM: b.distanceM ?? null,
      maxHeightM: b.maxHeightM ?? null,
    };
  }
}

/** What the smart-tag rules can know of a manual entry: the same columns regenerate reads back from its flights row. */
function factsOf(row: ManualFlightRow): SmartTagFacts {
  return {
    format: MANUAL_SOURCE_FORMAT,
    startTime: row.startTime,
    endTime: row.endTime,
    durationS: row.durationS,
    position: { latitude: row.homeLat, longitude: row.homeLon },
    gpsFrameCount: 0,
    distanceM: row.distanceM,
    maxHorizontalSpeedMps: null,
    maxHeightM: row.maxHeightM,
    maxAltitudeM: null,
    maxDistanceFromHomeM: null,
    batteryStartPercent: null,
    batteryEndPercent: null,
    batteryStartTemperatureC: null,
  };
}

function line(field: string, raw: string, max: number): string {
  const v = raw.trim();
  if (v === '') throw new InvalidError(`${field} is blank; it is required.`, `invalid-${field}`);
  if (v.length > max) throw new InvalidError(`${field} is ${v.length} characters long; keep it to ${max}.`, `invalid-${field}`);
  if (CONTROL_CHARS.test(v)) throw new InvalidError(`${field} must be one line without control characters.`, `invalid-${field}`);
  return v;
}

function optionalLine(field: string, raw: string | null | undefined, max: number): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  return line(field, raw, max);
}
