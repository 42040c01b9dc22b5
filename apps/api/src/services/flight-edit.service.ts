import { TAG_MAX_LENGTH, TAGS_MAX_PER_FLIGHT, type FlightDetail, type FlightPatchBody } from '@dronelog/contracts';
import { InvalidError } from '../errors.js';
import type { FlightChanges, FlightRepository } from '../repositories/flight.repository.js';
import type { FlightEditAudit } from './audit.service.js';
import { flightNotFound, type FlightQueryService } from './flight-query.service.js';

const NAME_MAX_LENGTH = 200;
const NOTES_MAX_LENGTH = 10_000;
const COLOR = /^#[0-9a-f]{6}$/i;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * The pilot's edits of a flight (name, notes, colour, manual tags) and deleting a flight.
 * The ledger of imports is left as it is when a flight is deleted: it records what happened to a file.
 */
export class FlightEditService {
  readonly #flights: FlightRepository;
  readonly #queries: FlightQueryService;
  readonly #audit: FlightEditAudit | undefined;

  /** `audit` (audit.service.ts) records every committed edit and delete. */
  constructor(flights: FlightRepository, queries: FlightQueryService, audit?: FlightEditAudit) {
    this.#flights = flights;
    this.#queries = queries;
    this.#audit = audit;
  }

  /** Applies the fields present in `patch` and returns the updated flight; `actor` (who did it) goes into the audit trail. */
  async update(id: number, patch: FlightPatchBody, actor: string | null = null): Promise<FlightDetail> {
    const changes: FlightChanges = {};
    if (patch.name !== undefined) changes.name = normaliseName(patch.name);
    if (patch.notes !== undefined) changes.notes = normaliseNotes(patch.notes);
    if (patch.color !== undefined) changes.color = normaliseColor(patch.color);
    const tags = patch.tags !== undefined ? normaliseTags(patch.tags) : undefined;
    if (Object.keys(changes).length === 0 && tags === undefined) {
      throw new InvalidError('Nothing to change: send at least one of name, notes, color, tags.', 'empty-patch');
    }
    const before = this.#audit ? await this.#queries.get(id) : null;
    if (!(await this.#flights.update(id, changes, tags))) throw flightNotFound(id);
    const after = await this.#queries.get(id);
    if (before) await this.#audit?.updated(before, after, actor);
    return after;
  }

  /** Deletes the flight with its telemetry, messages and tags (one transaction). */
  async delete(id: number, actor: string | null = null): Promise<void> {
    const before = this.#audit ? await this.#flights.findById(id) : null;
    if (!(await this.#flights.delete(id))) throw flightNotFound(id);
    if (before) await this.#audit?.deleted(before, actor);
  }
}

function normaliseName(name: string | null): string | null {
  if (name === null) return null;
  const trimmed = name.trim();
  if (trimmed.length > NAME_MAX_LENGTH) {
    throw new InvalidError(`name is ${trimmed.length} characters long; keep it to ${NAME_MAX_LENGTH}.`, 'invalid-name');
  }
  if (CONTROL_CHARS.test(trimmed)) {
    throw new InvalidError('name must be a single line without control characters; put longer text in notes.', 'invalid-name');
  }
  return trimmed === '' ? null : trimmed;
}

function normaliseNotes(notes: string | null): string | null {
  if (notes === null) return null;
  if (notes.length > NOTES_MAX_LENGTH) {
    throw new InvalidError(`notes are ${notes.length} characters long; keep them to ${NOTES_MAX_LENGTH}.`, 'invalid-notes');
  }
  return notes.trim() === '' ? null : notes;
}

function normaliseColor(color: string | null): string | null {
  if (color === null) return null;
  if (!COLOR.test(color)) {
    throw new InvalidError(`color "${color}" is not a hex colour; use #rrggbb, e.g. #1e90ff, or null to clear it.`, 'invalid-color');
  }
  return color.toLowerCase();
}

/** Trims and collapses spaces, rejects empty/long/comma tags, merges case-insensitive duplicates (first spelling wins). */
export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  tags.forEach((raw, i) => {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (tag === '') throw new InvalidError(`tags[${i}] is empty; remove it or give it a name.`, 'invalid-tag');
    if (tag.length > TAG_MAX_LENGTH) {
      throw new InvalidError(`tags[${i}] "${tag.slice(0, 20)}…" is ${tag.length} characters long; keep tags to ${TAG_MAX_LENGTH}.`, 'invalid-tag');
    }
    if (tag.includes(',')) {
      throw new InvalidError(`tags[${i}] "${tag}" contains a comma, which separates tags in filters; split it into two tags.`, 'invalid-tag');
    }
    if (CONTROL_CHARS.test(tag)) throw new InvalidError(`tags[${i}] contains control characters; use plain text.`, 'invalid-tag');
    const key = tag.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(tag);
    }
  });
  if (out.length > TAGS_MAX_PER_FLIGHT) {
    throw new InvalidError(`${out.length} tags given; a flight can carry at most ${TAGS_MAX_PER_FLIGHT} manual tags.`, 'invalid-tag');
  }
  return out;
}
