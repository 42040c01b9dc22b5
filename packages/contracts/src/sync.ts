import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageInfo, StringEnum } from './common.js';
import { ImportReasonCode } from './imports.js';

/**
 * The sync folder: a (usually read-only) folder such as an NFS mount at /sync-logs that the server walks on a
 * cron schedule (SYNC_INTERVAL) and on demand, importing every new DJI log through the normal import pipeline.
 *
 * A file is "new" when its (relative path, size, mtime) was never seen before; seen files are skipped without
 * being read again. Nothing in the folder is ever written, moved or deleted.
 */

/**
 * - `running`     in progress (at most one at a time)
 * - `completed`   the folder was walked and every stable new file was handed to the importer
 *                 (some files may still have failed: see the counts and GET /api/v1/sync/files?status=failed)
 * - `failed`      the run could not do its job, e.g. the folder was not reachable; `error` says why
 * - `interrupted` the server stopped during the run; the next run picks up the files it did not get to
 */
export const SyncRunStatus = StringEnum(['running', 'completed', 'failed', 'interrupted'], { description: 'State of a sync run.' });
export type SyncRunStatus = Static<typeof SyncRunStatus>;

export const SyncTrigger = StringEnum(['schedule', 'manual', 'startup'], {
  description: 'What started the run: the SYNC_INTERVAL cron, POST /api/v1/sync, or SYNC_ON_START.',
});
export type SyncTrigger = Static<typeof SyncTrigger>;

export const SyncRunCounts = Type.Object(
  {
    seen: Type.Integer({ minimum: 0, description: 'Candidate log files (.txt, .csv) found in the folder.' }),
    unchanged: Type.Integer({ minimum: 0, description: 'Skipped without reading: same path, size and mtime as before.' }),
    new: Type.Integer({ minimum: 0, description: 'New or changed files (seen − unchanged).' }),
    waiting: Type.Integer({ minimum: 0, description: 'Still being written (size or mtime changed during SYNC_STABLE_MS); left for the next run.' }),
    imported: Type.Integer({ minimum: 0, description: 'New flights written.' }),
    duplicate: Type.Integer({ minimum: 0, description: 'Already in the logbook (same bytes, or same aircraft + battery + start time).' }),
    awaitingKey: Type.Integer({ minimum: 0, description: 'Encrypted logs (v13+) waiting for DJI keys; retry later.' }),
    failed: Type.Integer({ minimum: 0, description: 'Not importable; listed with the reason at GET /api/v1/sync/files?status=failed.' }),
    ignored: Type.Integer({ minimum: 0, description: 'On the ignore list (their flight was deleted): not imported again.' }),
  },
  { title: 'SyncRunCounts' },
);
export type SyncRunCounts = Static<typeof SyncRunCounts>;

export const SyncRunPhase = StringEnum(['scanning', 'settling', 'importing', 'finishing'], {
  description:
    'scanning: walking the folder; settling: waiting SYNC_STABLE_MS to see whether new files are still being written; ' +
    'importing: handing stable new files to the importer one by one.',
});
export type SyncRunPhase = Static<typeof SyncRunPhase>;

/** Live progress of the running run (not stored). */
export const SyncRunProgress = Type.Object(
  {
    phase: SyncRunPhase,
    currentFile: Nullable(Type.String({ description: 'Relative path of the file being imported.' })),
    done: Type.Integer({ minimum: 0, description: 'Files handed to the importer so far (n of `total`).' }),
    total: Type.Integer({ minimum: 0, description: 'Stable new files to import in this run (known once settling ends).' }),
  },
  { title: 'SyncRunProgress' },
);
export type SyncRunProgress = Static<typeof SyncRunProgress>;

export const SyncRun = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    trigger: SyncTrigger,
    status: SyncRunStatus,
    startedAt: Type.String({ format: 'date-time' }),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
    counts: SyncRunCounts,
    error: Nullable(
      Type.String({
        description: 'Why the run failed or was interrupted; for a completed run, the folders or files it could not read (if any).',
      }),
    ),
    progress: Nullable(SyncRunProgress),
  },
  { title: 'SyncRun' },
);
export type SyncRun = Static<typeof SyncRun>;

export const SyncStatus = Type.Object(
  {
    enabled: Type.Boolean({ description: 'False when SYNC_LOGS_PATH is not set.' }),
    path: Nullable(Type.String({ description: 'The sync folder (SYNC_LOGS_PATH).' })),
    schedule: Nullable(Type.String({ description: 'SYNC_INTERVAL: 6-field cron with seconds, server time zone.', examples: ['0 0 */8 * * *'] })),
    onStart: Type.Boolean({ description: 'SYNC_ON_START: a run starts when the server starts.' }),
    maxDepth: Type.Integer({ minimum: 0, description: 'SYNC_MAX_DEPTH: folder levels below the sync folder that are walked.' }),
    stableMs: Type.Integer({ minimum: 0, description: 'SYNC_STABLE_MS: how long size and mtime must stay unchanged.' }),
    nextRunAt: Nullable(Type.String({ format: 'date-time', description: 'Next scheduled run.' })),
    current: Nullable(SyncRun),
    lastRuns: Type.Array(SyncRun, { description: 'Finished runs, newest first (at most 10).' }),
  },
  { title: 'SyncStatus' },
);
export type SyncStatus = Static<typeof SyncStatus>;

/** Answer to POST /api/v1/sync when a run is already in progress (409). */
export const SyncBusyResponse = Type.Object(
  {
    error: Type.Literal('sync-running'),
    message: Type.String(),
    run: SyncRun,
  },
  { title: 'SyncBusyResponse' },
);
export type SyncBusyResponse = Static<typeof SyncBusyResponse>;

/**
 * Outcome of one file of the sync folder (the latest, per relative path):
 * `imported`, `duplicate`, `awaiting-key`, `failed` as in the import ledger, and `ignored` (on the ignore list).
 */
export const SyncFileStatus = StringEnum(['imported', 'duplicate', 'awaiting-key', 'failed', 'ignored'], {
  description: 'What happened to the file the last time it was handled.',
});
export type SyncFileStatus = Static<typeof SyncFileStatus>;

export const SyncFile = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    path: Type.String({ description: 'Path relative to the sync folder.' }),
    size: Type.Integer({ minimum: 0, description: 'Bytes, when last handled.' }),
    mtime: Type.String({ format: 'date-time', description: 'Modification time, when last handled.' }),
    sha256: Nullable(Type.String({ pattern: '^[0-9a-f]{64}$' })),
    status: SyncFileStatus,
    reason: Nullable(Type.String({ description: 'Why it failed, is a duplicate, awaits a key or is ignored; for the pilot.' })),
    reasonCode: Nullable(
      Type.String({
        description: `The import ledger's reasonCode (${ImportReasonCode.description ?? ''}), or unreadable-file, flight-deleted.`,
      }),
    ),
    importId: Nullable(Type.Integer({ minimum: 1, description: 'Import ledger entry (GET /api/v1/imports/{id}).' })),
    flightId: Nullable(Type.Integer({ minimum: 1 })),
    retryable: Type.Boolean({ description: 'POST /api/v1/sync/files/{id}/retry may help.' }),
    attempts: Type.Integer({ minimum: 1 }),
    runId: Nullable(Type.Integer({ minimum: 1, description: 'The run that last handled it.' })),
    firstSeenAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'SyncFile' },
);
export type SyncFile = Static<typeof SyncFile>;

export const SyncFileListQuery = Type.Object({
  status: Type.Optional(SyncFileStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size, 1–500.' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type SyncFileListQuery = Static<typeof SyncFileListQuery>;

export const SyncFileList = Type.Composite(
  [Type.Object({ items: Type.Array(SyncFile, { description: 'Most recently handled first.' }) }), PageInfo],
  { title: 'SyncFileList' },
);
export type SyncFileList = Static<typeof SyncFileList>;

/**
 * The ignore list: files (by SHA-256) the sync never imports again, added when a flight that came from the sync
 * folder is deleted. Removing an entry lets the next run import the file again.
 */
export const SyncIgnoreEntry = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    path: Nullable(Type.String({ description: 'Where the file was in the sync folder when it was put on the list.' })),
    flightId: Nullable(Type.Integer({ minimum: 1, description: 'The deleted flight.' })),
    reason: Type.String({ examples: ['flight-deleted'] }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'SyncIgnoreEntry' },
);
export type SyncIgnoreEntry = Static<typeof SyncIgnoreEntry>;

export const SyncIgnoreList = Type.Object({ items: Type.Array(SyncIgnoreEntry, { description: 'Newest first.' }) }, { title: 'SyncIgnoreList' });
export type SyncIgnoreList = Static<typeof SyncIgnoreList>;
