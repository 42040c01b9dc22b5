import { Type } from '@sinclair/typebox';
import { Nullable } from '@dronelog/contracts';

/**
 * Open DroneLog's request and answer shapes (field names as its server sends them), for the calls of its uploader
 * opendronelog-sync. Kept here, not in @dronelog/contracts: no Dronelog client uses them.
 */

/** ODL's error body: `{"error": "<message>"}`. */
export const OdlError = Type.Object({ error: Type.String() }, { title: 'OdlError' });

export const OdlProfileList = Type.Array(Type.Object({ name: Type.String(), hasPassword: Type.Boolean() }), { title: 'OdlProfileList' });

export const OdlSwitchBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    create: Type.Optional(Type.Boolean({ description: 'Only create (409 if the profile exists).' })),
    password: Type.Optional(Nullable(Type.String({ maxLength: 1024 }))),
    new_password: Type.Optional(Nullable(Type.String({ maxLength: 1024, description: 'Refused (400): set passwords in the web app.' }))),
    master_password: Type.Optional(Nullable(Type.String({ maxLength: 1024, description: 'PROFILE_CREATION_PASS, to create a profile.' }))),
  },
  { title: 'OdlSwitchBody' },
);

export const OdlSwitchResponse = Type.Object(
  {
    name: Type.String(),
    session: Nullable(Type.String({ description: 'Send as X-Session; null for a profile without a password.' })),
  },
  { title: 'OdlSwitchResponse' },
);

export const OdlAllowedExtensions = Type.Object({ extensions: Type.Array(Type.String()) }, { title: 'OdlAllowedExtensions' });

export const OdlFlight = Type.Object(
  {
    id: Type.Integer(),
    fileName: Type.String(),
    displayName: Type.String(),
    fileHash: Nullable(Type.String({ description: 'SHA-256 of the original file, lowercase hex (null for manual entries).' })),
    droneModel: Nullable(Type.String()),
    droneSerial: Nullable(Type.String()),
    aircraftName: Nullable(Type.String()),
    batterySerial: Nullable(Type.String()),
    startTime: Nullable(Type.String()),
    durationSecs: Nullable(Type.Number()),
    totalDistance: Nullable(Type.Number()),
    maxAltitude: Nullable(Type.Number()),
    maxSpeed: Nullable(Type.Number()),
    homeLat: Nullable(Type.Number()),
    homeLon: Nullable(Type.Number()),
    pointCount: Type.Integer(),
    photoCount: Type.Integer(),
    videoCount: Type.Integer(),
    cycleCount: Nullable(Type.Integer()),
    rcSerial: Nullable(Type.String()),
    batteryLife: Nullable(Type.Number()),
    tags: Type.Array(Type.Object({ tag: Type.String(), tagType: Type.Union([Type.Literal('auto'), Type.Literal('manual')]) })),
    notes: Nullable(Type.String()),
    color: Type.String(),
  },
  { title: 'OdlFlight' },
);

export const OdlFlightList = Type.Array(OdlFlight, { title: 'OdlFlightList' });

export const OdlBlacklist = Type.Object({ hashes: Type.Array(Type.String()) }, { title: 'OdlBlacklist' });

export const OdlImportResult = Type.Object(
  {
    success: Type.Boolean(),
    flightId: Nullable(Type.Integer()),
    message: Type.String(),
    pointCount: Type.Integer(),
    fileHash: Nullable(Type.String()),
  },
  { title: 'OdlImportResult' },
);

/** The profile headers of every call but the profile list and switch. */
export const OdlProfileHeaders = Type.Object({
  'x-profile': Type.Optional(Type.String({ description: 'A profile without a password; with X-Session, it must name the session\'s profile.' })),
  'x-session': Type.Optional(Type.String({ description: 'The session token from POST /api/profiles/switch.' })),
});
