import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageInfo } from './common.js';

/**
 * The import ledger: one entry per file handed to Dronelog (upload or sync folder), keyed by its SHA-256.
 *
 * - `pending`      being processed right now
 * - `imported`     a new flight was written (`flightId`)
 * - `duplicate`    the flight was already in the logbook (`flightId` is the existing one): same bytes,
 *                  or the same aircraft + battery serial + start time
 * - `awaiting-key` an encrypted (v13+) log whose keys could not be obtained yet; the original is kept and
 *                  `POST /api/v1/imports/retry` imports it once a key is configured / DJI is reachable
 * - `failed`       not importable; `reason` says why (for the pilot), `retryable` whether a retry can help
 */
export const ImportStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('imported'), Type.Literal('duplicate'), Type.Literal('awaiting-key'), Type.Literal('failed')],
  { description: 'Where a file is in the import pipeline.' },
);
export type ImportStatus = Static<typeof ImportStatus>;

/** A finished status: what an upload or a retry reports per file. */
export const ImportOutcomeStatus = Type.Union(
  [Type.Literal('imported'), Type.Literal('duplicate'), Type.Literal('awaiting-key'), Type.Literal('failed')],
  { description: 'Result of importing one file.' },
);
export type ImportOutcomeStatus = Static<typeof ImportOutcomeStatus>;

export const ImportReasonCode = Type.String({
  description:
    'Stable machine code of `reason`: duplicate-file, duplicate-flight, no-api-key, api-key-rejected, keychain-unreachable, ' +
    'keychain-timeout, keychain-error, keychain-rejected, parse-timeout, out-of-memory, unreadable, empty-file, not-a-flight-log, ' +
    'unsupported-version, no-flight-data, original-missing, interrupted, internal.',
  examples: ['no-api-key'],
});

/** One file's result in an upload or retry answer. */
export const ImportFileResult = Type.Object(
  {
    importId: Type.Integer({ minimum: 1, description: 'Ledger entry id (GET /api/v1/imports/{id}).' }),
    fileName: Type.String({ description: 'Name the file was uploaded with (text only, never used as a path).' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file bytes, lowercase hex.' }),
    status: ImportOutcomeStatus,
    reason: Type.Optional(Type.String({ description: 'Why the file is a duplicate, failed or awaits a key; written for the pilot.' })),
    reasonCode: Type.Optional(ImportReasonCode),
    flightId: Type.Optional(Type.Integer({ minimum: 1, description: 'The new flight (imported) or the existing one (duplicate).' })),
  },
  { title: 'ImportFileResult' },
);
export type ImportFileResult = Static<typeof ImportFileResult>;

export const ImportUploadResponse = Type.Object(
  { results: Type.Array(ImportFileResult, { description: 'One entry per file part, in request order.' }) },
  { title: 'ImportUploadResponse' },
);
export type ImportUploadResponse = Static<typeof ImportUploadResponse>;

export const ImportRetryResponse = Type.Object(
  {
    results: Type.Array(ImportFileResult, {
      description: 'One entry per ledger entry that was retried (awaiting-key, and failed ones marked retryable).',
    }),
  },
  { title: 'ImportRetryResponse' },
);
export type ImportRetryResponse = Static<typeof ImportRetryResponse>;

/** What the log says about itself before decoding (readable without keys, even for encrypted logs). */
export const ImportLogHeader = Type.Object(
  {
    formatVersion: Type.Integer({ description: 'DJI log format version (v13+ are encrypted).' }),
    encrypted: Type.Boolean(),
    aircraftName: Nullable(Type.String()),
    aircraftModel: Nullable(Type.String()),
    productType: Nullable(Type.String()),
    aircraftSerial: Nullable(Type.String()),
    batterySerial: Nullable(Type.String()),
    startTime: Nullable(Type.String({ format: 'date-time', description: 'UTC start time from the log header.' })),
    durationS: Nullable(Type.Number()),
    app: Nullable(Type.String({ description: 'App that recorded the log, e.g. "DJIFly 1.13.10".' })),
  },
  { title: 'ImportLogHeader' },
);
export type ImportLogHeader = Static<typeof ImportLogHeader>;

export const ImportEntry = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    fileName: Type.String(),
    fileSize: Type.Integer({ minimum: 0, description: 'Bytes.' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    source: Type.String({ description: '"upload" or "sync".', examples: ['upload'] }),
    status: ImportStatus,
    reason: Nullable(Type.String()),
    reasonCode: Nullable(ImportReasonCode),
    flightId: Nullable(Type.Integer({ minimum: 1 })),
    header: Nullable(ImportLogHeader),
    originalKept: Type.Boolean({ description: 'The original bytes are kept on the server (needed for a retry).' }),
    retryable: Type.Boolean({ description: 'POST /api/v1/imports/retry will try this entry again.' }),
    attempts: Type.Integer({ minimum: 0 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'ImportEntry' },
);
export type ImportEntry = Static<typeof ImportEntry>;

export const ImportListQuery = Type.Object({
  status: Type.Optional(ImportStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size, 1–500.' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Rows to skip. Ignored when `cursor` is given.' })),
  cursor: Type.Optional(Type.String({ maxLength: 100, description: 'Opaque `nextCursor` of the previous page (same filter).' })),
});
export type ImportListQuery = Static<typeof ImportListQuery>;

export const ImportList = Type.Composite(
  [Type.Object({ items: Type.Array(ImportEntry, { description: 'Newest first.' }) }), PageInfo],
  { title: 'ImportList' },
);
export type ImportList = Static<typeof ImportList>;
