import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ImportEntry, ImportFileResult, ImportList, ImportListQuery } from '@dronelog/contracts';
import type { LogHeader, ParsedFlight } from '@dronelog/flightlog';
import { InvalidError, NotFoundError, PayloadTooLargeError } from '../errors.js';
import type { FlightSignature, FlightWriteRepository } from '../repositories/flight-write.repository.js';
import type { ImportLedgerRepository, LedgerEntry, LedgerHeader, LedgerOutcome } from '../repositories/import-ledger.repository.js';
import {
  ParseTimeoutError,
  PoolClosedError,
  RemoteParseError,
  WorkerCrashError,
  type ParseWorkerPool,
} from '../workers/parse-worker-pool.js';
import { KeychainUnavailableError, type KeychainLease, type KeychainService } from './keychain.service.js';
import type { OriginalStore, StagedFile } from './original-store.service.js';
import type { ImportTagging } from './smart-tag.service.js';

/** One file part of an upload, as the route hands it over (already a plain stream, no HTTP types). */
export interface UploadPart {
  fileName: string;
  stream: Readable;
  /** True once the stream ended early because the file exceeded the size limit. */
  readonly truncated: boolean;
}

export interface ImportLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface FlightImportServiceOptions {
  keepOriginals: boolean;
  maxUploadBytes: number;
  maxFilesPerRequest: number;
  /** How many files of one request/retry are processed at once (parses are limited by the pool anyway). */
  concurrency: number;
  parseTimeoutMs: number;
}

export interface FlightImportDeps {
  ledger: ImportLedgerRepository;
  flights: FlightWriteRepository;
  keychains: KeychainService;
  originals: OriginalStore;
  parser: ParseWorkerPool;
  log: ImportLogger;
  /** Smart tags and local take-off time for each new flight (none when absent, e.g. in unit tests). */
  tagger?: { forImport(flight: ParsedFlight): Promise<ImportTagging> };
}

type Outcome = LedgerOutcome;

/**
 * Told about every finished import and every parse (metrics and logs). Observers must not throw; what they
 * throw is logged and ignored, never failing an import.
 */
export interface ImportObserver {
  /** One file reached a final ledger status (upload, sync or retry). */
  settled?(event: { importId: number; sha256: string; source: string; status: Outcome['status']; reasonCode: string | null; flightId: number | null }): void;
  /** One parse in a worker ended: wall time (queue wait and keychain look-ups included); `ok` false when no flight came out. */
  parsed?(event: { seconds: number; ok: boolean }): void;
}

interface ImportContext {
  importId: number;
  sha256: string;
  fileName: string;
  fileSize: number;
  source: string;
}

export const UNREADABLE = 'This file is not a readable DJI flight log';
const FLIGHTLOG_FAILURES = new Set(['empty-file', 'not-a-flight-log', 'unreadable', 'unsupported-version', 'no-flight-data']);

/** Strips path parts and control characters: the name is shown to the pilot, never used as a path. */
export function cleanFileName(raw: string | undefined | null): string {
  const last = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean || 'unnamed';
}

function cleanSerial(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.replace(/\0[\s\S]*$/, '').trim();
  return t === '' || /^0+$/.test(t) ? null : t;
}

/** aircraft serial + battery serial + start time; null when the aircraft serial or the start time is unknown. */
export function signatureOf(aircraftSerial: string | null, batterySerial: string | null, startTime: string | null): FlightSignature | null {
  const aircraft = cleanSerial(aircraftSerial);
  const ms = startTime ? Date.parse(startTime) : NaN;
  if (!aircraft || !Number.isFinite(ms)) return null;
  return { aircraftSerial: aircraft, batterySerial: cleanSerial(batterySerial), startTime: new Date(ms).toISOString() };
}

function toLedgerHeader(h: LogHeader): LedgerHeader {
  return {
    formatVersion: h.version,
    encrypted: h.encrypted,
    aircraftName: h.aircraftName,
    aircraftModel: h.aircraftModel,
    productType: h.productType === null || h.productType === undefined ? null : String(h.productType),
    aircraftSerial: h.aircraftSerial,
    batterySerial: h.batterySerial,
    startTime: h.startTime,
    durationS: h.durationS,
    app: h.app,
  };
}

/**
 * Decrypting with wrong keys yields frames of zeros (or NaN after filtering) instead of an error. flightlog
 * checks this too; this is the last guard before such a flight would be stored.
 */
function looksDecoded(flight: ParsedFlight): boolean {
  const t = flight.telemetry;
  const probes = [t.numeric.latitude, t.numeric.heightM, t.numeric.batteryVoltageV, t.numeric.batteryPercent, t.numeric.satellites, t.numeric.pitchDeg];
  return probes.some((col) => col?.some((v) => Number.isFinite(v) && v !== 0));
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

function encodeCursor(id: number): string {
  return Buffer.from(`i:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^i:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new InvalidError('The cursor is not one this server gave out; start again without it.', 'invalid-cursor');
  return Number(m[1]);
}

/**
 * The import pipeline, shared by uploads and the sync folder:
 * sha256 → ledger entry → duplicate by hash (no parse) → keep original → parse in a worker (header first:
 * duplicate by signature before any keychain request) → one transaction for the flight → ledger outcome.
 */
export class FlightImportService {
  readonly #busy = new Set<number>();
  readonly #observers = new Set<ImportObserver>();

  constructor(
    private readonly deps: FlightImportDeps,
    private readonly opts: FlightImportServiceOptions,
  ) {}

  /** Counters for tests and metrics: worker starts, keychain cache hits/misses/fetches. */
  get stats(): { parser: ParseWorkerPool['stats']; keychains: KeychainService['stats'] } {
    return { parser: this.deps.parser.stats, keychains: this.deps.keychains.stats };
  }

  /** Registers an observer (metrics); returns the function that removes it. */
  observe(observer: ImportObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  #notify(fn: (o: ImportObserver) => void): void {
    for (const o of this.#observers) {
      try {
        fn(o);
      } catch (err) {
        this.deps.log.warn({ err }, 'import observer failed');
      }
    }
  }

  /**
   * Stages every part to the temp dir first (streamed, hashed); a part over the size limit fails the whole
   * request with nothing stored. Then imports each file; per-file failures are results, not errors.
   */
  async importUploads(parts: AsyncIterable<UploadPart>): Promise<ImportFileResult[]> {
    const staged: Array<StagedFile & { fileName: string }> = [];
    try {
      for await (const part of parts) {
        // A parse follows: its worker starts while the bytes are staged and hashed.
        if (staged.length === 0) this.deps.parser.prewarm();
        const fileName = cleanFileName(part.fileName);
        if (staged.length >= this.opts.maxFilesPerRequest) {
          part.stream.resume();
          throw this.#tooManyFiles();
        }
        const file = await this.deps.originals.stage(part.stream);
        staged.push({ ...file, fileName });
        if (part.truncated || file.size > this.opts.maxUploadBytes) {
          throw new PayloadTooLargeError(
            `"${fileName}" is larger than the upload limit of ${this.#limitText()} (MAX_UPLOAD_MB); nothing from this request was imported.`,
          );
        }
      }
    } catch (err) {
      await Promise.all(staged.map((s) => this.deps.originals.discardTemp(s.tmpPath)));
      throw err;
    }
    if (staged.length === 0) {
      throw new InvalidError('The request holds no file: send the logs as multipart/form-data file fields.', 'no-file');
    }
    return mapLimit(staged, this.opts.concurrency, (s) => this.#importStaged(s, s.fileName, 'upload'));
  }

  /** Imports a file that is already on disk (sync folder). The file itself is left untouched. */
  async importLocalFile(filePath: string, fileName: string, source = 'sync'): Promise<ImportFileResult> {
    return this.importStream(createReadStream(filePath), fileName, source);
  }

  /** Imports the bytes of one file read from a stream (e.g. generated demo logs). */
  async importStream(stream: Readable, fileName: string, source: string): Promise<ImportFileResult> {
    const staged = await this.deps.originals.stage(stream);
    return this.#importStaged(staged, cleanFileName(fileName), source);
  }

  /** Retries every awaiting-key entry and every failed one marked retryable, from its kept original. */
  async retry(): Promise<ImportFileResult[]> {
    const entries = (await this.deps.ledger.listRetryable()).filter((e) => !this.#busy.has(e.id));
    return mapLimit(entries, this.opts.concurrency, (e) => this.#retryEntry(e));
  }

  async list(q: ImportListQuery): Promise<ImportList> {
    const limit = q.limit ?? 50;
    const beforeId = q.cursor ? decodeCursor(q.cursor) : undefined;
    const offset = beforeId !== undefined ? 0 : (q.offset ?? 0);
    const { items, total } = await this.deps.ledger.list({
      limit,
      offset,
      ...(q.status ? { status: q.status } : {}),
      ...(beforeId !== undefined ? { beforeId } : {}),
    });
    const last = items.at(-1);
    const more = items.length === limit && (beforeId !== undefined || offset + items.length < total);
    return { items: items.map(toImportEntry), total, limit, offset, nextCursor: more && last ? encodeCursor(last.id) : null };
  }

  async get(id: number): Promise<ImportEntry> {
    const entry = await this.deps.ledger.get(id);
    if (!entry) throw new NotFoundError(`There is no import with id ${id}.`);
    return toImportEntry(entry);
  }

  /** Marks entries a previous process left 'pending' (it stopped mid-import) as failed and retryable. */
  async recoverInterrupted(): Promise<number> {
    return this.deps.ledger.failInterrupted('The server stopped during this import; retry it.');
  }

  // ---------------------------------------------------------------------------------------------------------

  #limitText(): string {
    const mb = this.opts.maxUploadBytes / (1024 * 1024);
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }

  #tooManyFiles(): PayloadTooLargeError {
    return new PayloadTooLargeError(
      `Too many files in one request: at most ${this.opts.maxFilesPerRequest} (MAX_FILES_PER_REQUEST); nothing from this request was imported.`,
    );
  }

  /** Exposed for the route: the multipart parser reports the files limit itself. */
  tooManyFilesError(): PayloadTooLargeError {
    return this.#tooManyFiles();
  }

  async #importStaged(staged: StagedFile, fileName: string, source: string): Promise<ImportFileResult> {
    const { ledger, flights, originals } = this.deps;
    try {
      const importId = await ledger.create({ fileHash: staged.sha256, fileName, fileSize: staged.size, source });
      const ctx: ImportContext = { importId, sha256: staged.sha256, fileName, fileSize: staged.size, source };
      const existing = await flights.findByHash(staged.sha256);
      if (existing !== null) {
        return await this.#settle(ctx, duplicate(existing, 'file'));
      }
      await ledger.setOriginalPath(importId, await originals.adopt(staged.tmpPath, staged.sha256));
      return await this.#settle(ctx, await this.#process(ctx));
    } finally {
      await originals.discardTemp(staged.tmpPath);
    }
  }

  async #retryEntry(e: LedgerEntry): Promise<ImportFileResult> {
    this.#busy.add(e.id);
    const ctx: ImportContext = { importId: e.id, sha256: e.fileHash, fileName: e.fileName, fileSize: e.fileSize, source: e.source };
    try {
      if (!(await this.deps.originals.has(e.fileHash))) {
        await this.deps.ledger.setOriginalPath(e.id, null);
        return await this.#settle(ctx, {
          status: 'failed',
          reasonCode: 'original-missing',
          reason: 'The kept copy of this file is gone; upload it again.',
          flightId: null,
          retryable: false,
        });
      }
      await this.deps.ledger.beginAttempt(e.id);
      const existing = await this.deps.flights.findByHash(e.fileHash);
      if (existing !== null) return await this.#settle(ctx, duplicate(existing, 'file'));
      return await this.#settle(ctx, await this.#process(ctx));
    } finally {
      this.#busy.delete(e.id);
    }
  }

  /** Writes the outcome; drops the original unless it is kept by config or still needed for a retry. */
  async #settle(ctx: ImportContext, o: Outcome): Promise<ImportFileResult> {
    const { ledger, originals } = this.deps;
    await ledger.finish(ctx.importId, o);
    this.#notify((obs) =>
      obs.settled?.({ importId: ctx.importId, sha256: ctx.sha256, source: ctx.source, status: o.status, reasonCode: o.reasonCode, flightId: o.flightId }),
    );
    const needed = o.status === 'awaiting-key' || (o.status === 'failed' && o.retryable);
    if (!this.opts.keepOriginals && !needed) {
      if (!(await ledger.othersNeedOriginal(ctx.sha256, ctx.importId))) await originals.remove(ctx.sha256);
      await ledger.setOriginalPath(ctx.importId, null);
    }
    return {
      importId: ctx.importId,
      fileName: ctx.fileName,
      sha256: ctx.sha256,
      status: o.status,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.reasonCode ? { reasonCode: o.reasonCode } : {}),
      ...(o.flightId !== null ? { flightId: o.flightId } : {}),
    };
  }

  /** Parse (header → duplicate check → keys → frames) and write. `freshKeys` skips the keychain cache. */
  async #process(ctx: ImportContext, freshKeys = false): Promise<Outcome> {
    const { ledger, flights, keychains, originals, parser, log } = this.deps;
    const state: {
      duplicateOf: number | null;
      lease: KeychainLease | null;
      keyFailure: KeychainUnavailableError | null;
      callbackError: unknown;
    } = { duplicateOf: null, lease: null, keyFailure: null, callbackError: null };

    let flight: ParsedFlight;
    const parseStarted = performance.now();
    try {
      flight = await parser.parse({
        filePath: originals.absolutePath(ctx.sha256),
        fileName: ctx.fileName,
        onHeader: async (header) => {
          try {
            await ledger.setHeader(ctx.importId, toLedgerHeader(header));
            const sig = signatureOf(header.aircraftSerial, header.batterySerial, header.startTime);
            const dup = sig ? await flights.findBySignature(sig) : null;
            if (dup === null) return { proceed: true };
            state.duplicateOf = dup;
            return { proceed: false, reason: 'this flight is already in the logbook' };
          } catch (err) {
            state.callbackError = err;
            throw err;
          }
        },
        getKeychains: async (request) => {
          try {
            state.lease = await keychains.lease(request, { skipCache: freshKeys, fileSha256: ctx.sha256 });
            return state.lease.keychains;
          } catch (err) {
            if (err instanceof KeychainUnavailableError) state.keyFailure = err;
            else state.callbackError = err;
            throw err;
          }
        },
      });
      this.#notify((obs) => obs.parsed?.({ seconds: (performance.now() - parseStarted) / 1000, ok: true }));
    } catch (err) {
      this.#notify((obs) => obs.parsed?.({ seconds: (performance.now() - parseStarted) / 1000, ok: false }));
      if (state.duplicateOf !== null) return duplicate(state.duplicateOf, 'flight');
      if (state.keyFailure) return awaitingKey(state.keyFailure.reasonCode, state.keyFailure.message);
      if (state.callbackError) return this.#internal(ctx, state.callbackError);
      if (err instanceof RemoteParseError && err.code === 'keychain-rejected') return this.#keysRejected(ctx, state.lease, freshKeys);
      return this.#parseFailure(ctx, err);
    }

    if (state.lease && !looksDecoded(flight)) return this.#keysRejected(ctx, state.lease, freshKeys);

    const m = flight.metadata;
    const tagging = await this.#tagging(ctx, flight);
    let written;
    try {
      written = await flights.insert({
        fileHash: ctx.sha256,
        fileName: ctx.fileName,
        fileSize: ctx.fileSize,
        flight,
        signature: signatureOf(m.aircraftSerial, m.batterySerial, m.startTime),
        autoTags: tagging.autoTags,
        localTime: tagging.localTime,
      });
    } catch (err) {
      return this.#internal(ctx, err);
    }
    if (state.lease) {
      await keychains.confirm(state.lease).catch((err: unknown) => log.warn({ err, importId: ctx.importId }, 'could not cache keychain'));
    }
    if (written.kind === 'duplicate') return duplicate(written.flightId, written.by === 'hash' ? 'file' : 'flight');
    log.info({ importId: ctx.importId, flightId: written.flightId, frames: m.frameCount }, 'flight imported');
    return { status: 'imported', reason: null, reasonCode: null, flightId: written.flightId, retryable: false };
  }

  /** Smart tags and local time; a failure there is logged and the flight is imported without them (regenerate fixes it). */
  async #tagging(ctx: ImportContext, flight: ParsedFlight): Promise<ImportTagging> {
    if (!this.deps.tagger) return { autoTags: [], localTime: null };
    try {
      return await this.deps.tagger.forImport(flight);
    } catch (err) {
      this.deps.log.warn({ err, importId: ctx.importId }, 'smart tags could not be computed; imported without them');
      return { autoTags: [], localTime: null };
    }
  }

  /** Keys decoded garbage. Cached keys: drop them and fetch once more. Fresh keys from DJI: wait for a retry. */
  async #keysRejected(ctx: ImportContext, lease: KeychainLease | null, freshKeys: boolean): Promise<Outcome> {
    if (lease?.source === 'cache' && !freshKeys) {
      this.deps.log.warn({ importId: ctx.importId, requestHash: lease.requestHash }, 'cached keychain decoded garbage: discarded, fetching again');
      await this.deps.keychains.discard(lease);
      return this.#process(ctx, true);
    }
    if (lease) {
      return awaitingKey('keychain-rejected', "The keys DJI returned do not decode this log; it is kept and can be retried later.");
    }
    return failed('unreadable', UNREADABLE, false);
  }

  #parseFailure(ctx: ImportContext, err: unknown): Outcome {
    const log = this.deps.log;
    if (err instanceof ParseTimeoutError) {
      log.warn({ importId: ctx.importId, timeoutMs: err.timeoutMs }, 'parse timed out');
      return failed(
        'parse-timeout',
        `Reading this file took too long (over ${Math.round(this.opts.parseTimeoutMs / 1000)} s) and was stopped; it may be damaged or unusually long.`,
        true,
      );
    }
    if (err instanceof WorkerCrashError) {
      log.warn({ importId: ctx.importId, err }, 'parse worker crashed');
      return err.outOfMemory
        ? failed('out-of-memory', 'The parser ran out of memory on this file.', true)
        : failed('unreadable', UNREADABLE, false);
    }
    if (err instanceof PoolClosedError) {
      return failed('interrupted', 'The server stopped during this import; retry it.', true);
    }
    if (err instanceof RemoteParseError) {
      if (err.code && FLIGHTLOG_FAILURES.has(err.code)) {
        return failed(err.code, err.code === 'unreadable' && !err.message ? UNREADABLE : err.message, false);
      }
      if (err.code === 'keychain-required') return awaitingKey('keychain-required', err.message);
      // A WASM panic ("RuntimeError: unreachable") or any other parser exception: the bytes are not a usable log.
      log.warn({ importId: ctx.importId, parserError: `${err.remoteName}: ${err.message}` }, 'parser failed');
      return failed('unreadable', UNREADABLE, false);
    }
    return this.#internal(ctx, err);
  }

  #internal(ctx: ImportContext, err: unknown): Outcome {
    this.deps.log.error({ err, importId: ctx.importId }, 'import failed on the server side');
    return failed('internal', 'The server could not finish this import (its log has the details); retry it.', true);
  }
}

function duplicate(flightId: number, by: 'file' | 'flight'): Outcome {
  return {
    status: 'duplicate',
    reasonCode: by === 'file' ? 'duplicate-file' : 'duplicate-flight',
    reason:
      by === 'file'
        ? 'This file was already imported.'
        : 'This flight is already in the logbook (same aircraft, battery and start time).',
    flightId,
    retryable: false,
  };
}

function awaitingKey(reasonCode: string, reason: string): Outcome {
  return { status: 'awaiting-key', reasonCode, reason, flightId: null, retryable: true };
}

function failed(reasonCode: string, reason: string, retryable: boolean): Outcome {
  return { status: 'failed', reasonCode, reason, flightId: null, retryable };
}

function toImportEntry(e: LedgerEntry): ImportEntry {
  return {
    id: e.id,
    fileName: e.fileName,
    fileSize: e.fileSize,
    sha256: e.fileHash,
    source: e.source,
    status: e.status,
    reason: e.reason,
    reasonCode: e.reasonCode,
    flightId: e.flightId,
    header: e.header,
    originalKept: e.originalPath !== null,
    retryable: e.originalPath !== null && (e.status === 'awaiting-key' || (e.status === 'failed' && e.retryable)),
    attempts: e.attempts,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
