import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ImportEntry,
  ImportFileResult,
  SyncFile,
  SyncFileList,
  SyncFileListQuery,
  SyncIgnoreList,
  SyncRun,
  SyncRunPhase,
  SyncStatus,
} from '@dronelog/contracts';
import type { SyncConfig } from '../config/config.js';
import { ConflictError, NotFoundError, UnavailableError } from '../errors.js';
import type {
  SyncCounts,
  SyncFileOutcome,
  SyncFileRow,
  SyncRepository,
  SyncRunRow,
  SyncTrigger,
} from '../repositories/sync.repository.js';
import { seenKey } from '../repositories/sync.repository.js';
import { sha256OfFile } from './original-store.service.js';
import { assertReadableFolder, restat, RootUnreadableError, walkSyncFolder, type WalkedFile } from './sync-folder-walk.js';

/** What the sync needs from the import pipeline (FlightImportService): the one import path, shared with uploads. */
export interface SyncImporter {
  importLocalFile(filePath: string, fileName: string, source?: string): Promise<ImportFileResult>;
  get(id: number): Promise<ImportEntry>;
}

export interface SyncLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SyncFolderDeps {
  repo: SyncRepository;
  importer: SyncImporter;
  log: SyncLogger;
  /** Folders right under the sync folder that belong to someone else (other profiles' subfolders): never walked. */
  skipTopLevelDir?: (name: string) => boolean;
}

/** How many finished runs GET /api/v1/sync shows. */
export const LAST_RUNS = 10;

/** The folder vanished, is unmounted, or cannot be listed: the run fails, and nothing is concluded from it. */
export class SyncFolderUnreachableError extends Error {
  constructor(folder: string, cause: unknown) {
    super(`sync folder ${folder} is not reachable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'SyncFolderUnreachableError';
  }
}

interface RunState {
  id: number;
  /** Sub-folders or files the walk could not read (the run still completes; shown in `error`). */
  skipped: string[];
  skippedCount: number;
  trigger: SyncTrigger;
  startedAt: string;
  counts: SyncCounts;
  phase: SyncRunPhase;
  currentFile: string | null;
  done: number;
  total: number;
  abort: AbortController;
}

interface ActiveRun {
  state: RunState | null;
  /** Resolves once the run row exists (state set). */
  started: Promise<RunState>;
  /** Resolves when the run has ended (never rejects; null if the run could not even be recorded). */
  finished: Promise<SyncRun | null>;
}

const zeroCounts = (): SyncCounts => ({
  seen: 0,
  unchanged: 0,
  new: 0,
  waiting: 0,
  imported: 0,
  duplicate: 0,
  awaitingKey: 0,
  failed: 0,
  ignored: 0,
});

/** Unreadable paths named in a completed run's `error`. */
const MAX_SKIPPED_SHOWN = 5;

const INTERRUPTED = 'The server stopped during this run; the next run imports the files it did not get to.';

/**
 * The sync folder: walks SYNC_LOGS_PATH, skips what it has seen (path + size + mtime, one query per run, no
 * re-reading), waits until new files stop changing, and hands each stable new file to the import pipeline.
 * At most one run at a time; asking for a run while one is going returns that one. The folder is only read.
 */
export class SyncFolderService {
  #active: ActiveRun | null = null;
  #closing = false;
  #nextRun: () => Date | null = () => null;
  readonly #stats = { runs: 0, seenLoads: 0, filesRead: 0 };

  constructor(
    private readonly deps: SyncFolderDeps,
    private readonly config: SyncConfig | null,
  ) {}

  /**
   * Counters for tests and metrics: runs started, loads of the seen set (one per run), and files opened
   * (hashed for the ignore list or handed to the importer). Unchanged files never add to `filesRead`.
   */
  get stats(): Readonly<{ runs: number; seenLoads: number; filesRead: number }> {
    return { ...this.#stats };
  }

  get enabled(): boolean {
    return this.config !== null;
  }

  get running(): boolean {
    return this.#active !== null;
  }

  /** Lets the status show the scheduler's next run time (the job owns the timer). */
  setNextRunSource(fn: () => Date | null): void {
    this.#nextRun = fn;
  }

  /** Runs a previous process left 'running' become 'interrupted' (called once at start-up). */
  async recoverInterrupted(): Promise<number> {
    return this.deps.repo.interruptRunning(INTERRUPTED);
  }

  async status(): Promise<SyncStatus> {
    const c = this.config;
    const active = this.#active?.state ?? null;
    const runs = await this.deps.repo.lastRuns(LAST_RUNS);
    const next = c ? this.#nextRun() : null;
    return {
      enabled: c !== null,
      path: c?.path ?? null,
      schedule: c?.schedule ?? null,
      onStart: c?.onStart ?? false,
      maxDepth: c?.maxDepth ?? 0,
      stableMs: c?.stableMs ?? 0,
      nextRunAt: next ? next.toISOString() : null,
      current: active ? this.#view(active) : null,
      lastRuns: runs.filter((r) => r.id !== active?.id).map(finishedView),
    };
  }

  /**
   * Starts a run now, or returns the one in progress (`started: false`). Resolves once the run is recorded;
   * the run itself goes on in the background (see `waitForIdle`).
   */
  async requestRun(trigger: SyncTrigger): Promise<{ run: SyncRun; started: boolean }> {
    this.#requireEnabled();
    if (this.#closing) throw new UnavailableError('The server is shutting down; no sync run can start now.', 'shutting-down');
    const existing = this.#active;
    if (existing) {
      const state = await existing.started.catch(() => null);
      if (state && this.#active === existing) return { run: this.#view(state), started: false };
      // It could not even be recorded, or it ended meanwhile: start a fresh one.
      if (!state) await existing.finished;
      return this.requestRun(trigger);
    }
    const active = this.#begin(trigger);
    const state = await active.started;
    return { run: this.#view(state), started: true };
  }

  /** For the cron job: starts a run (or joins the one in progress) and resolves when it has ended. */
  async runScheduled(): Promise<SyncRun | null> {
    if (!this.enabled || this.#closing) return null;
    const { run, started } = await this.requestRun('schedule');
    if (!started) this.deps.log.info({ runId: run.id }, 'sync: scheduled run skipped, a run is already in progress');
    return this.waitForIdle();
  }

  /** Resolves when no run is in progress, with the run that just ended (or null when none was running). */
  async waitForIdle(): Promise<SyncRun | null> {
    let last: SyncRun | null = null;
    while (this.#active) last = await this.#active.finished;
    return last;
  }

  /** Stops accepting runs, asks the running one to stop after its current file, and waits for it. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#active?.state?.abort.abort();
    await this.waitForIdle();
  }

  // --- files and the ignore list ---------------------------------------------------------------------------

  async listFiles(q: SyncFileListQuery): Promise<SyncFileList> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { items, total } = await this.deps.repo.listFiles({ limit, offset, ...(q.status ? { status: q.status } : {}) });
    return { items: items.map(fileView), total, limit, offset, nextCursor: null };
  }

  /**
   * Imports one file of the sync folder again, from the folder (not from a kept copy): for failed and
   * awaiting-key files, e.g. after fixing permissions or configuring a DJI key. Bypasses the ignore list.
   */
  async retryFile(id: number): Promise<SyncFile> {
    const c = this.#requireEnabled();
    const row = await this.deps.repo.getFile(id);
    if (!row) throw new NotFoundError(`There is no sync file with id ${id}.`);
    if (row.status !== 'failed' && row.status !== 'awaiting-key') {
      throw new ConflictError(`"${row.relPath}" is ${row.status}; only failed and awaiting-key files can be retried.`, 'not-retryable');
    }
    if (this.#active) {
      throw new ConflictError('A sync run is in progress; retry this file when it has finished (GET /api/v1/sync).', 'sync-running');
    }
    try {
      await assertReadableFolder(c.path);
    } catch (err) {
      throw new UnavailableError(new SyncFolderUnreachableError(c.path, err).message, 'sync-folder-unreachable');
    }
    const absPath = this.#absolute(row.relPath);
    const now = await restat(absPath);
    if (!now) throw new NotFoundError(`"${row.relPath}" is no longer in the sync folder.`);
    try {
      await this.#importFile({ relPath: row.relPath, absPath, size: now.size, mtimeNs: now.mtimeNs }, null, null);
    } catch (err) {
      if (err instanceof SyncFolderUnreachableError) throw new UnavailableError(err.message, 'sync-folder-unreachable');
      throw err;
    }
    return fileView((await this.deps.repo.getFile(id))!);
  }

  async listIgnore(): Promise<SyncIgnoreList> {
    // Catch up with flights deleted since the last run, so the list is current.
    await this.deps.repo.ignoreDeletedFlights();
    const items = await this.deps.repo.listIgnore();
    return { items: items.map((i) => ({ id: i.id, sha256: i.sha256, path: i.relPath, flightId: i.flightId, reason: i.reason, createdAt: i.createdAt })) };
  }

  /** Takes a file off the ignore list; the next run imports it again if it is still in the folder. */
  async removeIgnore(id: number): Promise<void> {
    if (!(await this.deps.repo.removeIgnore(id))) throw new NotFoundError(`There is no ignore list entry with id ${id}.`);
  }

  /**
   * Hook for the flight delete path: when a flight that came from the sync folder is deleted, its file goes on
   * the ignore list so the next run does not bring it back. Every run (and listing the ignore list) also catches
   * up with deletions on its own, so calling this is about immediacy, not correctness.
   */
  async flightDeleted(flightId: number): Promise<void> {
    await this.deps.repo.ignoreDeletedFlights(flightId);
  }

  // --- the run ---------------------------------------------------------------------------------------------

  #requireEnabled(): SyncConfig {
    if (!this.config) {
      throw new UnavailableError(
        'The sync folder is not configured on this server: set SYNC_LOGS_PATH to the folder (and optionally SYNC_INTERVAL) and restart.',
        'sync-disabled',
      );
    }
    return this.config;
  }

  #begin(trigger: SyncTrigger): ActiveRun {
    const active: ActiveRun = { state: null, started: undefined!, finished: undefined! };
    // Set synchronously, before any await, so two requests at the same moment cannot both start a run.
    this.#active = active;
    this.#stats.runs++;
    active.started = this.deps.repo.createRun(trigger).then((row) => {
      active.state = {
        id: row.id,
        trigger,
        startedAt: row.startedAt,
        counts: zeroCounts(),
        skipped: [],
        skippedCount: 0,
        phase: 'scanning',
        currentFile: null,
        done: 0,
        total: 0,
        abort: new AbortController(),
      };
      if (this.#closing) active.state.abort.abort();
      return active.state;
    });
    active.finished = active.started
      .then((state) => this.#execute(state))
      .catch((err: unknown): null => {
        this.deps.log.error({ err }, 'sync: could not record the run');
        return null;
      })
      .finally(() => {
        if (this.#active === active) this.#active = null;
      });
    active.started.catch(() => undefined);
    return active;
  }

  async #execute(state: RunState): Promise<SyncRun> {
    const { repo, log } = this.deps;
    const root = this.config!.path;
    let status: 'completed' | 'failed' | 'interrupted' = 'completed';
    let error: string | null = null;
    log.info({ runId: state.id, trigger: state.trigger, folder: root }, 'sync: run started');
    try {
      await this.#walkAndImport(state);
      if (state.abort.signal.aborted) {
        status = 'interrupted';
        error = INTERRUPTED;
      } else if (state.skippedCount > 0) {
        const more = state.skippedCount - state.skipped.length;
        error =
          `Completed, but ${state.skippedCount} folder(s) or file(s) could not be read and were left out: ` +
          `${state.skipped.join(', ')}${more > 0 ? `, and ${more} more` : ''}. Check their permissions.`;
      }
    } catch (err) {
      status = 'failed';
      if (err instanceof SyncFolderUnreachableError) {
        error = err.message;
        // Expected on NFS hiccups: the message says it all, no stack.
        log.warn({ runId: state.id, code: (err.cause as NodeJS.ErrnoException | undefined)?.code }, `sync: ${err.message}`);
      } else {
        error = `The sync run stopped on an unexpected error: ${(err as Error)?.message ?? String(err)}`;
        log.error({ runId: state.id, err }, 'sync: run failed');
      }
    }
    state.phase = 'finishing';
    state.currentFile = null;
    const row = await repo.finishRun(state.id, status, state.counts, error);
    log.info({ runId: state.id, status, counts: state.counts }, 'sync: run ended');
    return finishedView(row);
  }

  async #walkAndImport(state: RunState): Promise<void> {
    const { repo } = this.deps;
    const c = this.config!;
    const aborted = () => state.abort.signal.aborted;

    // Flights deleted since the last run: their files go on the ignore list before anything is looked at.
    await repo.ignoreDeletedFlights();
    await this.#assertReachable(c.path);

    const seen = await repo.seenKeys();
    this.#stats.seenLoads++;
    const ignored = await repo.ignoredHashes();

    // 1. Walk (streaming); keep only files not seen with this size and mtime.
    state.phase = 'scanning';
    const candidates: WalkedFile[] = [];
    let readErrors = 0;
    try {
      for await (const file of walkSyncFolder(c.path, {
        maxDepth: c.maxDepth,
        aborted,
        skipTopLevelDir: this.deps.skipTopLevelDir,
        onSkip: (rel, err) => {
          readErrors++;
          if (err.code === 'ENOENT') return; // moved away while we walked: nothing to report
          state.skippedCount++;
          if (state.skipped.length < MAX_SKIPPED_SHOWN) state.skipped.push(`${rel} (${err.code ?? err.message})`);
          this.deps.log.warn({ runId: state.id, path: rel, code: err.code }, `sync: could not read ${rel}: ${err.message}`);
        },
      })) {
        state.counts.seen++;
        if (seen.has(seenKey(file.relPath, file.size, file.mtimeNs))) state.counts.unchanged++;
        else candidates.push(file);
      }
    } catch (err) {
      if (err instanceof RootUnreadableError) throw new SyncFolderUnreachableError(c.path, err.cause);
      throw err;
    }
    if (aborted()) return;
    // A mount that went away during the walk shows up as unreadable sub-folders: check the root again.
    if (readErrors > 0) await this.#assertReachable(c.path);
    state.counts.new = candidates.length;
    await repo.updateRunCounts(state.id, state.counts);
    if (candidates.length === 0) return;

    // 2. Settle: a file still being written changes size or mtime within SYNC_STABLE_MS. Second look after the wait.
    state.phase = 'settling';
    if (c.stableMs > 0) {
      try {
        await sleep(c.stableMs, undefined, { signal: state.abort.signal });
      } catch {
        return; // aborted
      }
    }
    const stable: WalkedFile[] = [];
    for (const file of candidates) {
      const now = await restat(file.absPath).catch(() => null);
      if (now && now.size === file.size && now.mtimeNs === file.mtimeNs) stable.push(file);
      else state.counts.waiting++;
    }
    stable.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));

    // 3. Import one by one through the import pipeline.
    state.phase = 'importing';
    state.total = stable.length;
    for (const file of stable) {
      if (aborted()) return;
      state.currentFile = file.relPath;
      await this.#importFile(file, state, ignored);
      state.done++;
      await repo.updateRunCounts(state.id, state.counts);
    }
    state.currentFile = null;
  }

  /**
   * One file: ignore-list check (hash first, only when the list is not empty), then the import pipeline, then
   * its outcome recorded with the size and mtime of the second look. Read errors are the file's failure, unless
   * the whole folder went away (then the run fails and nothing is recorded for the file).
   */
  async #importFile(file: WalkedFile, state: RunState | null, ignored: Set<string> | null): Promise<void> {
    const { repo, importer, log } = this.deps;
    const base = { relPath: file.relPath, size: file.size, mtimeNs: file.mtimeNs, runId: state?.id ?? null };
    const count = (k: keyof SyncCounts) => {
      if (state) state.counts[k]++;
    };
    try {
      if (ignored && ignored.size > 0) {
        this.#stats.filesRead++;
        const { sha256 } = await sha256OfFile(file.absPath);
        if (ignored.has(sha256)) {
          await repo.recordFile({
            ...base,
            sha256,
            status: 'ignored',
            reasonCode: 'ignored',
            reason: 'This file is on the sync ignore list (its flight was deleted); remove it from the list to import it again.',
            importId: null,
            flightId: null,
            retryable: false,
          });
          count('ignored');
          return;
        }
      }
      this.#stats.filesRead++;
      const result = await importer.importLocalFile(file.absPath, path.basename(file.relPath), 'sync');
      if (state?.abort.signal.aborted && result.status === 'failed' && result.reasonCode === 'interrupted') {
        // Cut off by the shutdown: not recorded, so the next run imports it.
        return;
      }
      const entry = await importer.get(result.importId).catch(() => null);
      const outcome: SyncFileOutcome = {
        ...base,
        sha256: result.sha256,
        status: result.status,
        reasonCode: result.reasonCode ?? null,
        reason: result.reason ?? null,
        importId: result.importId,
        flightId: result.flightId ?? null,
        retryable: result.status === 'failed' ? (entry?.retryable ?? false) : false,
      };
      await repo.recordFile(outcome);
      count(result.status === 'awaiting-key' ? 'awaitingKey' : result.status);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // Not a file-system error (a bug, the database): the run fails.
      if (typeof e?.code !== 'string' || !/^E[A-Z]+$/.test(e.code)) throw err;
      const root = this.config!.path;
      await this.#assertReachable(root);
      if (e.code === 'ENOENT') {
        log.info({ path: file.relPath }, 'sync: file disappeared before it was read');
        count('waiting');
        return;
      }
      log.warn({ path: file.relPath, code: e.code }, `sync: could not read ${file.relPath}: ${e.message}`);
      await repo.recordFile({
        ...base,
        sha256: null,
        status: 'failed',
        reasonCode: 'unreadable-file',
        reason: `The server could not read this file (${e.code}); check its permissions, then retry it.`,
        importId: null,
        flightId: null,
        retryable: true,
      });
      count('failed');
    }
  }

  async #assertReachable(folder: string): Promise<void> {
    try {
      await assertReadableFolder(folder);
    } catch (err) {
      throw new SyncFolderUnreachableError(folder, err);
    }
  }

  /** Absolute path of a stored relative path, refusing anything that would leave the folder. */
  #absolute(relPath: string): string {
    const root = this.config!.path;
    const abs = path.resolve(root, ...relPath.split('/'));
    if (abs !== root && !abs.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) {
      throw new NotFoundError(`"${relPath}" is not inside the sync folder.`);
    }
    return abs;
  }

  #view(s: RunState): SyncRun {
    return {
      id: s.id,
      trigger: s.trigger,
      status: 'running',
      startedAt: s.startedAt,
      finishedAt: null,
      counts: { ...s.counts },
      error: null,
      progress: { phase: s.phase, currentFile: s.currentFile, done: s.done, total: s.total },
    };
  }
}

function finishedView(r: SyncRunRow): SyncRun {
  return { ...r, progress: null };
}

function fileView(f: SyncFileRow): SyncFile {
  return {
    id: f.id,
    path: f.relPath,
    size: f.size,
    mtime: new Date(Number(f.mtimeNs / 1_000_000n)).toISOString(),
    sha256: f.sha256,
    status: f.status,
    reason: f.reason,
    reasonCode: f.reasonCode,
    importId: f.importId,
    flightId: f.flightId,
    retryable: f.status === 'failed' || f.status === 'awaiting-key',
    attempts: f.attempts,
    runId: f.runId,
    firstSeenAt: f.firstSeenAt,
    updatedAt: f.updatedAt,
  };
}
