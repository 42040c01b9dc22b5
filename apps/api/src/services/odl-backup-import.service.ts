import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { OdlImportReport } from '@dronelog/contracts';
import { localStartTime } from '@dronelog/flightlog';
import { ConflictError, InvalidError, PayloadTooLargeError } from '../errors.js';
import {
  ODL_TABLE_NAMES,
  OdlBackupDataError,
  type LocalTimeOf,
  type OdlBackupRepository,
  type OdlFileInfo,
  type OdlTableName,
} from '../repositories/odl-backup.repository.js';
import { ArchiveError, ArchiveTooLargeError, extractFiles, saveBody } from './backup-archive.js';

/** The uploaded backup as the route hands it over: a stream, and whether the multipart parser cut it at the limit. */
export interface OdlBackupUpload {
  stream: Readable;
  readonly truncated: boolean;
}

export interface OdlImportLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface OdlBackupImportOptions {
  /** Work folders go here (`odl-import-<uuid>`), removed after every import. */
  tmpDir: string;
  /** Largest archive accepted (MAX_RESTORE_MB); it may unpack to 4× that. */
  maxBytes: number;
}

/** ODL writes 8 files (a fork a few more): anything far beyond is not one of its backups. */
const MAX_ENTRIES = 64;
const TABLE_FILE = /^([a-z_][a-z0-9_]{0,62})\.parquet$/;
/** Without these two there is nothing to import; the other six are optional (older ODL versions lack some). */
const REQUIRED: readonly OdlTableName[] = ['flights', 'telemetry'];
const OPTIONAL_WHAT: Record<string, string> = {
  keychains: 'cached keychains',
  flight_tags: 'tags from flight_tags',
  flight_messages: 'app messages',
  equipment_names: 'aircraft and battery names',
  flight_customizations: 'customizations (names, notes, colours, manual tags kept by file hash)',
  settings: "Open DroneLog's settings",
};
/** DuckDB errors that mean "these rows do not fit", not "the server is broken". */
const DATA_ERROR = /Conversion Error|Constraint Error|Invalid Input Error|Binder Error|Out of Range Error|Mismatch Type Error/;

/** The offline time-zone lookup the importer uses for the local take-off time. */
const localTimeOf: LocalTimeOf = (latitude, longitude, startIso) => {
  const local = localStartTime(latitude, longitude, startIso);
  return local === null ? null : { timeZone: local.timeZone, localStartTime: local.localIso };
};

/**
 * Imports an Open DroneLog backup (`.db.backup`: a gzip'd tar of ZSTD parquet files, one per table) into this
 * profile: upload → temp file (size-limited) → safe unpack → columns checked → one transaction (all or nothing) →
 * report. Re-importing the same backup adds nothing. Temp files are removed whatever happens.
 */
export class OdlBackupImportService {
  #running = false;

  constructor(
    private readonly repo: OdlBackupRepository,
    private readonly log: OdlImportLogger,
    private readonly opts: OdlBackupImportOptions,
  ) {}

  async importBackup(upload: OdlBackupUpload): Promise<OdlImportReport> {
    if (this.#running) {
      upload.stream.resume();
      throw new ConflictError('An Open DroneLog import is already running; wait for it to finish.', 'odl-import-running');
    }
    this.#running = true;
    const started = performance.now();
    const work = path.join(this.opts.tmpDir, `odl-import-${randomUUID()}`);
    try {
      await fs.mkdir(work, { recursive: true });
      const report = await this.#import(upload, work, started);
      this.log.info({ flights: report.flights, telemetryRows: report.telemetryRows, warnings: report.warnings.length, seconds: report.seconds }, 'Open DroneLog backup imported');
      return report;
    } catch (err) {
      this.log.warn({ err: err instanceof InvalidError || err instanceof PayloadTooLargeError ? err.message : err }, 'Open DroneLog backup not imported');
      throw err;
    } finally {
      this.#running = false;
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  async #import(upload: OdlBackupUpload, work: string, started: number): Promise<OdlImportReport> {
    const archive = path.join(work, 'upload.db.backup');
    try {
      await saveBody(upload.stream, archive, this.opts.maxBytes);
    } catch (err) {
      if (err instanceof ArchiveTooLargeError) throw this.#tooLarge();
      throw err;
    }
    if (upload.truncated) throw this.#tooLarge();

    let unpacked;
    try {
      unpacked = await extractFiles(archive, path.join(work, 'x'), {
        maxExtractedBytes: this.opts.maxBytes * 4,
        maxEntries: MAX_ENTRIES,
        keyOf: (name) => TABLE_FILE.exec(name)?.[1] ?? null,
        foreign: (name) =>
          name === 'manifest.json' || name.startsWith('data/')
            ? 'This is a Dronelog backup, not an Open DroneLog one: restore it with POST /api/v1/backup/restore (Settings → Restore).'
            : `"${name}" does not belong in an Open DroneLog backup, which holds only <table>.parquet files.`,
      });
    } catch (err) {
      if (err instanceof ArchiveError) throw invalid(`This is not a readable Open DroneLog backup: ${err.message}`);
      if (err instanceof ArchiveTooLargeError) throw this.#tooLarge(err.what);
      throw err;
    }
    await fs.rm(archive, { force: true });

    const warnings: string[] = [];
    const notImported: string[] = [];
    const files: Array<{ table: OdlTableName; path: string; name: string }> = [];
    for (const [key, f] of unpacked) {
      if ((ODL_TABLE_NAMES as readonly string[]).includes(key)) files.push({ table: key as OdlTableName, path: f.path, name: f.name });
      else notImported.push(`${f.name}: not one of Open DroneLog's logbook tables; ignored.`);
    }
    const missingRequired = REQUIRED.filter((t) => !unpacked.has(t));
    if (missingRequired.length) {
      throw invalid(
        unpacked.size === 0
          ? 'The archive is empty: an Open DroneLog backup holds flights.parquet, telemetry.parquet and the other tables.'
          : `The archive has no ${missingRequired.map((t) => `${t}.parquet`).join(' or ')}: it is not an Open DroneLog backup.`,
      );
    }
    for (const t of ODL_TABLE_NAMES) {
      if (!REQUIRED.includes(t) && !unpacked.has(t)) warnings.push(`The backup has no ${t}.parquet (an older Open DroneLog?): no ${OPTIONAL_WHAT[t]} to bring over.`);
    }

    let described: OdlFileInfo[];
    try {
      described = await this.repo.describe(files);
    } catch (err) {
      if (err instanceof OdlBackupDataError) throw invalid(`${err.message} Nothing was changed.`);
      throw err;
    }

    let counts;
    try {
      counts = await this.repo.importBackup(described, localTimeOf);
    } catch (err) {
      // The transaction rolled back: nothing changed.
      if (err instanceof OdlBackupDataError) throw invalid(`${err.message} Nothing was changed.`);
      const msg = (err as Error)?.message ?? '';
      if (DATA_ERROR.test(msg)) throw invalid(`The backup's rows could not be loaded (${msg.split('\n')[0]}). Nothing was changed.`);
      throw err;
    }

    if (counts.settingsRows > 0) {
      notImported.push(
        `settings.parquet: ${counts.settingsRows} rows of Open DroneLog's own flags (migration markers, saved filter presets, supporter badge); Dronelog keeps its own settings.`,
      );
    }
    if (counts.customizationsWithoutFlight > 0) {
      notImported.push(
        `flight_customizations.parquet: ${counts.customizationsWithoutFlight} rows for flights no longer in the backup (deleted in Open DroneLog); Dronelog has no such overlay.`,
      );
    }
    return {
      flights: { inBackup: counts.flightsInBackup, imported: counts.flightsImported, alreadyPresent: counts.flightsAlreadyPresent },
      telemetryRows: counts.telemetryRows,
      messages: counts.messages,
      tags: { auto: counts.tagsAuto, manual: counts.tagsManual },
      customizations: { applied: counts.customizationsApplied, withoutFlight: counts.customizationsWithoutFlight },
      equipmentNames: { imported: counts.equipmentImported, alreadyPresent: counts.equipmentAlreadyPresent },
      keychains: { imported: counts.keychainsImported, alreadyPresent: counts.keychainsAlreadyPresent },
      notImported,
      warnings: [...warnings, ...counts.warnings],
      seconds: Math.round(performance.now() - started) / 1000,
    };
  }

  #tooLarge(what: 'compressed' | 'unpacked' = 'compressed'): PayloadTooLargeError {
    const mb = this.opts.maxBytes / (1024 * 1024);
    return new PayloadTooLargeError(
      what === 'compressed'
        ? `The backup is larger than the limit of ${mb} MB (MAX_RESTORE_MB); nothing was changed.`
        : `The backup unpacks to more than ${4 * mb} MB (4 × MAX_RESTORE_MB); nothing was changed.`,
    );
  }
}

function invalid(message: string): InvalidError {
  return new InvalidError(message, 'invalid-odl-backup');
}
