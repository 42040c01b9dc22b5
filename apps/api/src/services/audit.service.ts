import type { AuditListResponse, FlightDetail } from '@dronelog/contracts';
import type { AuditRepository, NewAuditEntry } from '../repositories/audit.repository.js';
import type { FlightDetailRow, FlightRepository } from '../repositories/flight.repository.js';
import { flightNotFound } from './flight-query.service.js';

/**
 * What FlightEditService reports to after a change committed. The actor is null until users exist; the auth work
 * passes it through here.
 */
export interface FlightEditAudit {
  updated(before: FlightDetail, after: FlightDetail, actor?: string | null): Promise<void>;
  deleted(before: FlightDetailRow, actor?: string | null): Promise<void>;
}

/** The identity of a flight kept in a delete entry, so the trail still says what was deleted. */
export function flightIdentity(f: Pick<FlightDetailRow, 'name' | 'startTime' | 'aircraftSerial' | 'batterySerial' | 'fileName' | 'sourceFormat' | 'durationS'>): string {
  return JSON.stringify({
    name: f.name,
    startTime: f.startTime,
    aircraftSerial: f.aircraftSerial,
    batterySerial: f.batterySerial,
    fileName: f.fileName,
    sourceFormat: f.sourceFormat,
    durationS: f.durationS,
  });
}

const manualTags = (f: FlightDetail): string | null =>
  f.tags.filter((t) => t.kind === 'manual').map((t) => t.name).join(', ') || null;

/** The audit trail of flights: field-level entries for edits, an identity snapshot for deletes, the entry for creates. */
export class AuditService implements FlightEditAudit {
  readonly #repo: AuditRepository;
  readonly #flights: FlightRepository;

  constructor(repo: AuditRepository, flights: FlightRepository) {
    this.#repo = repo;
    this.#flights = flights;
  }

  async updated(before: FlightDetail, after: FlightDetail, actor: string | null = null): Promise<void> {
    const fields: Array<[string, string | null, string | null]> = [
      ['name', before.customName, after.customName],
      ['notes', before.notes, after.notes],
      ['color', before.color, after.color],
      ['tags', manualTags(before), manualTags(after)],
    ];
    const entries: NewAuditEntry[] = fields
      .filter(([, o, n]) => o !== n)
      .map(([field, oldValue, newValue]) => ({ flightId: after.id, action: 'update', field, oldValue, newValue, actor }));
    await this.#repo.insert(entries);
  }

  async deleted(before: FlightDetailRow, actor: string | null = null): Promise<void> {
    await this.#repo.insert([{ flightId: before.id, action: 'delete', field: null, oldValue: flightIdentity(before), newValue: null, actor }]);
  }

  /** The trail of a flight, also after it was deleted; 404 only when the flight never had one and does not exist. */
  async forFlight(flightId: number): Promise<AuditListResponse> {
    const items = await this.#repo.forFlight(flightId);
    if (items.length === 0 && !(await this.#flights.exists(flightId))) throw flightNotFound(flightId);
    return { items };
  }
}
