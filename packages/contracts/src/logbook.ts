import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from './common.js';

/**
 * Manual flight entries (flights without a log) and the audit trail of changes to flights.
 */

/** `sourceFormat` of a flight entered by hand (no log file, no telemetry). */
export const MANUAL_SOURCE_FORMAT = 'manual';

/**
 * The tag every manual entry carries. It is an auto tag set by the system from the source format (not by a smart-tag
 * rule, so no setting turns it off); regenerating smart tags recomputes it, and the pilot cannot remove it.
 */
export const MANUAL_ENTRY_TAG = 'Manual Entry';

export const ManualFlightBody = Type.Object(
  {
    aircraftName: Type.String({ minLength: 1, maxLength: 100, description: 'Name of the aircraft, e.g. "Minnie".' }),
    aircraftModel: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'Model, e.g. "Mini 4 Pro".' }))),
    aircraftSerial: Type.String({ minLength: 1, maxLength: 100, description: 'Aircraft serial number.' }),
    batterySerial: Type.String({ minLength: 1, maxLength: 100, description: 'Battery serial number.' }),
    startTime: Type.String({
      maxLength: 40,
      description: 'Take-off instant with its offset, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], e.g. 2024-09-01T16:55:00+02:00. Not in the future.',
    }),
    durationS: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'Flight time in seconds (up to 24 h).' }),
    homeLat: Type.Number({ minimum: -90, maximum: 90, description: 'Take-off latitude, degrees.' }),
    homeLon: Type.Number({ minimum: -180, maximum: 180, description: 'Take-off longitude, degrees.' }),
    name: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'Title of the flight.' }))),
    distanceM: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Distance flown, metres.' }))),
    maxHeightM: Type.Optional(Nullable(Type.Number({ minimum: -1000, maximum: 10_000, description: 'Highest height above take-off, metres.' }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 10_000, description: 'Up to 10 000 characters.' }))),
  },
  { additionalProperties: false, description: 'A flight without a log file: stored with source format "manual", no telemetry.' },
);
export type ManualFlightBody = Static<typeof ManualFlightBody>;

export const AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;
export const AuditAction = StringEnum(AUDIT_ACTIONS);
export type AuditAction = Static<typeof AuditAction>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  flightId: Type.Integer(),
  action: AuditAction,
  field: Nullable(Type.String({ description: 'The changed field (update); null for create/delete.' })),
  oldValue: Nullable(Type.String({ description: 'Before (update: the value; delete: JSON of the flight\'s identity).' })),
  newValue: Nullable(Type.String({ description: 'After (update: the value; create: JSON of the entry). Tags are joined with ", ".' })),
  at: Type.String({ format: 'date-time' }),
  actor: Nullable(Type.String({ description: 'Who did it; null until users exist.' })),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditListResponse = Type.Object({
  items: Type.Array(AuditEntry, { description: 'Oldest first. Kept after the flight is deleted.' }),
});
export type AuditListResponse = Static<typeof AuditListResponse>;
