import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './common.js';

/**
 * Backup and restore. GET /api/v1/backup streams a .tar.gz (manifest.json, one zstd parquet file per table,
 * optionally the kept original logs); POST /api/v1/backup/restore loads one back.
 */

export const BackupQuery = Type.Object({
  originals: Type.Optional(
    Type.Boolean({ default: false, description: 'Also put the kept original log files into the archive (can be large).' }),
  ),
});
export type BackupQuery = Static<typeof BackupQuery>;

export const RestoreMode = StringEnum(['replace', 'merge'] as const, {
  description:
    '`replace`: the logbook becomes exactly the archive (every table emptied and loaded). ' +
    '`merge`: only flights not already here are added (new ids), with their telemetry, messages and tags; ' +
    'keychains and settings only when absent.',
});
export type RestoreMode = Static<typeof RestoreMode>;

export const RestoreQuery = Type.Object({ mode: RestoreMode });
export type RestoreQuery = Static<typeof RestoreQuery>;

export const RestoreTableReport = Type.Object({
  table: Type.String(),
  before: Type.Optional(Type.Integer({ minimum: 0, description: 'replace: rows the table had (all removed).' })),
  restored: Type.Optional(Type.Integer({ minimum: 0, description: 'replace: rows loaded from the archive.' })),
  added: Type.Optional(Type.Integer({ minimum: 0, description: 'merge: rows added.' })),
  skipped: Type.Optional(Type.Integer({ minimum: 0, description: 'merge: archive rows not added (already present, or not merged).' })),
  rule: Type.Optional(Type.String({ description: 'merge: how rows were matched, or why the table is not merged.' })),
});
export type RestoreTableReport = Static<typeof RestoreTableReport>;

export const RestoreReport = Type.Object(
  {
    mode: RestoreMode,
    archiveSchemaVersion: Type.Integer({ description: 'Schema version the archive was taken at (older ones are migrated).' }),
    schemaVersion: Type.Integer({ description: "This server's schema version." }),
    createdAt: Type.String({ description: 'When the backup was taken (UTC).' }),
    tables: Type.Array(RestoreTableReport),
    originals: Type.Object({
      restored: Type.Integer({ minimum: 0 }),
      alreadyPresent: Type.Integer({ minimum: 0 }),
      rejected: Type.Integer({ minimum: 0, description: 'Originals whose bytes did not match their name, or could not be stored.' }),
    }),
  },
  { title: 'RestoreReport' },
);
export type RestoreReport = Static<typeof RestoreReport>;

// ---------------------------------------------------------------------------------------------
// Open DroneLog backup import (POST /api/v1/imports/open-dronelog-backup)
// ---------------------------------------------------------------------------------------------

const Added = (what: string) =>
  Type.Object({
    imported: Type.Integer({ minimum: 0, description: `${what} added.` }),
    alreadyPresent: Type.Integer({ minimum: 0, description: `${what} in the backup that this logbook already had (left as they are).` }),
  });

export const OdlImportReport = Type.Object(
  {
    flights: Type.Object({
      inBackup: Type.Integer({ minimum: 0 }),
      imported: Type.Integer({ minimum: 0 }),
      alreadyPresent: Type.Integer({
        minimum: 0,
        description: 'Skipped: a flight with the same file SHA-256, or the same aircraft + battery serial + start time (±2 s), is already here.',
      }),
    }),
    telemetryRows: Type.Integer({ minimum: 0, description: 'Telemetry rows of the imported flights.' }),
    messages: Type.Integer({ minimum: 0, description: 'App messages (tips, warnings, cautions) of the imported flights.' }),
    tags: Type.Object({
      auto: Type.Integer({ minimum: 0, description: "Open DroneLog's smart tags, kept as automatic tags." }),
      manual: Type.Integer({ minimum: 0, description: 'Tags the pilot set (flight_tags and flight_customizations).' }),
    }),
    customizations: Type.Object({
      applied: Type.Integer({ minimum: 0, description: 'flight_customizations rows (name, notes, colour, manual tags) applied to imported flights.' }),
      withoutFlight: Type.Integer({ minimum: 0, description: 'Rows for files whose flight is not in the backup (deleted in Open DroneLog): not brought over.' }),
    }),
    equipmentNames: Added('Aircraft and battery names'),
    keychains: Added('Cached DJI keychains'),
    notImported: Type.Array(Type.String(), { description: 'What the backup holds that has no place here, and why.' }),
    warnings: Type.Array(Type.String(), { description: 'Rows left out or values changed on the way, for the pilot.' }),
    seconds: Type.Number({ description: 'How long the import took.' }),
  },
  { title: 'OdlImportReport' },
);
export type OdlImportReport = Static<typeof OdlImportReport>;
