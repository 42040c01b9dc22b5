import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * manifest.json, the first entry of every backup archive. `formatVersion` changes only when the archive layout
 * changes; `schemaVersion` is the database migration the data was taken at (restore migrates older data).
 */
export const BACKUP_FORMAT = 'dronelog-backup';
export const BACKUP_FORMAT_VERSION = 1;

const TableName = Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' });
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });

export const ManifestTable = Type.Object({
  name: TableName,
  /** `data/<name>.parquet` */
  file: Type.String(),
  rows: Type.Integer({ minimum: 0 }),
  bytes: Type.Integer({ minimum: 0 }),
  sha256: Sha256,
});
export type ManifestTable = Static<typeof ManifestTable>;

export const BackupManifest = Type.Object({
  format: Type.Literal(BACKUP_FORMAT),
  formatVersion: Type.Integer({ minimum: 1 }),
  appVersion: Type.String(),
  schemaVersion: Type.Integer({ minimum: 1 }),
  /** When the snapshot transaction started (UTC ISO-8601). */
  createdAt: Type.String(),
  duckdbVersion: Type.Optional(Type.String()),
  tables: Type.Array(ManifestTable),
  /** Last value handed out by each sequence at snapshot time (restore never hands out an id again). */
  sequences: Type.Array(Type.Object({ name: TableName, lastValue: Type.Union([Type.Integer(), Type.Null()]) })),
  originals: Type.Object({
    included: Type.Boolean(),
    /** `originals/<hh>/<sha256>`: the name is the SHA-256 of the bytes, checked on restore. */
    files: Type.Array(Type.Object({ file: Type.String(), bytes: Type.Integer({ minimum: 0 }) })),
    /** Kept originals the ledger lists that were gone from disk when the backup was taken. */
    missing: Type.Integer({ minimum: 0 }),
  }),
});
export type BackupManifest = Static<typeof BackupManifest>;

/** Why a manifest is unusable; `newer` when a newer Dronelog wrote it. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  constructor(
    message: string,
    readonly newer = false,
  ) {
    super(message);
  }
}

/** Parses and checks manifest.json against this build (format and schema version). */
export function parseManifest(raw: Buffer, currentSchemaVersion: number): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new ManifestError(`manifest.json is not valid JSON (${(err as Error).message}).`);
  }
  const head = json as { format?: unknown; formatVersion?: unknown; schemaVersion?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== BACKUP_FORMAT) {
    throw new ManifestError('manifest.json does not describe a Dronelog backup.');
  }
  // Checked before the shape: a newer format may look different, and the answer should say why.
  if (typeof head.formatVersion === 'number' && head.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new ManifestError(
      `This backup was made by a newer Dronelog (archive format ${head.formatVersion}, this one reads ${BACKUP_FORMAT_VERSION}); update Dronelog, then restore.`,
      true,
    );
  }
  if (typeof head.schemaVersion === 'number' && head.schemaVersion > currentSchemaVersion) {
    throw new ManifestError(
      `This backup was made by a newer Dronelog (database schema ${head.schemaVersion}, this one is at ${currentSchemaVersion}); update Dronelog, then restore.`,
      true,
    );
  }
  if (!Value.Check(BackupManifest, json)) {
    const first = Value.Errors(BackupManifest, json).First();
    throw new ManifestError(`manifest.json is not valid: ${first ? `${first.path || '/'} ${first.message}` : 'unexpected shape'}.`);
  }
  const names = new Set<string>();
  for (const t of json.tables) {
    if (names.has(t.name)) throw new ManifestError(`manifest.json lists table ${t.name} twice.`);
    names.add(t.name);
    if (t.file !== `data/${t.name}.parquet`) throw new ManifestError(`manifest.json names ${t.file} for table ${t.name}; expected data/${t.name}.parquet.`);
  }
  return json;
}
