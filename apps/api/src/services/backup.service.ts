import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ConflictError, InvalidError, PayloadTooLargeError } from '../errors.js';
import {
  ArchiveDataError,
  type BackupRepository,
  type MergeReportRow,
  type ReplaceReportRow,
  type TableFile,
} from '../repositories/backup.repository.js';
import {
  ArchiveError,
  ArchiveTooLargeError,
  dataFileName,
  extractArchive,
  originalFileName,
  packArchive,
  saveBody,
  sha256File,
  type PackFile,
} from './backup-archive.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, ManifestError, parseManifest, type BackupManifest } from './backup-manifest.js';
import type { OriginalStore } from './original-store.service.js';

export type RestoreMode = 'replace' | 'merge';

export interface BackupServiceOptions {
  appVersion: string;
  /** Schema version this build migrates to (the newest migration). */
  schemaVersion: number;
  tmpDir: string;
  maxRestoreBytes: number;
}

export interface BackupLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface BackupDownload {
  fileName: string;
  manifest: BackupManifest;
  /** The .tar.gz; temp files are removed when it closes (finished, failed or abandoned by the client). */
  stream: Readable;
}

export interface RestoreReport {
  mode: RestoreMode;
  /** Schema version of the archive; older archives were migrated before loading. */
  archiveSchemaVersion: number;
  schemaVersion: number;
  createdAt: string;
  tables: Array<ReplaceReportRow | MergeReportRow>;
  originals: { restored: number; alreadyPresent: number; rejected: number };
}

/**
 * Backups and restores as whole operations: snapshot → manifest → streamed archive; upload → unpack → verify →
 * (migrate) → load in one transaction → originals. Throws domain errors with messages for the pilot.
 */
export class BackupService {
  #restoring = false;
  readonly #afterRestore: Array<{ name: string; run: () => Promise<unknown> }> = [];
  /** Counters for metrics. */
  readonly stats = {
    backups: { ok: 0, failed: 0 },
    restores: { replace: { ok: 0, failed: 0 }, merge: { ok: 0, failed: 0 } },
  };

  constructor(
    private readonly repo: BackupRepository,
    private readonly originals: OriginalStore,
    private readonly log: BackupLogger,
    private readonly opts: BackupServiceOptions,
  ) {}

  /**
   * Work another feature does at start-up to fill data older imports lack (e.g. local take-off times): run again
   * after each restore, since restored rows may be that old. Failures are logged; the restore stands.
   */
  afterRestore(name: string, run: () => Promise<unknown>): void {
    this.#afterRestore.push({ name, run });
  }

  /** Removes work folders a previous process left behind. */
  async clearTemp(): Promise<void> {
    await fs.rm(this.opts.tmpDir, { recursive: true, force: true });
  }

  /**
   * Takes a consistent snapshot (one read transaction, see BackupRepository.snapshot) into a work folder and
   * returns the archive as a stream. Originals are hard-linked into the work folder (copied across file systems)
   * at snapshot time, so later deletions cannot cut the stream.
   */
  async create(opts: { originals: boolean }): Promise<BackupDownload> {
    const work = await this.#workDir('backup');
    const started = performance.now();
    try {
      const snap = await this.repo.snapshot(path.join(work, 'data'));
      const files: PackFile[] = [];
      const tables: BackupManifest['tables'] = [];
      for (const t of snap.tables) {
        const stat = await fs.stat(t.path);
        tables.push({ name: t.name, file: dataFileName(t.name), rows: t.rows, bytes: stat.size, sha256: await sha256File(t.path) });
        files.push({ name: dataFileName(t.name), path: t.path, size: stat.size });
      }
      const originals: BackupManifest['originals'] = { included: opts.originals, files: [], missing: 0 };
      if (opts.originals) {
        await fs.mkdir(path.join(work, 'originals'), { recursive: true });
        for (const rel of snap.originalPaths) {
          const sha = path.basename(rel);
          if (!/^[0-9a-f]{64}$/.test(sha)) continue;
          const target = path.join(work, 'originals', sha);
          if (!(await this.#linkOriginal(sha, target))) {
            originals.missing++;
            continue;
          }
          const size = (await fs.stat(target)).size;
          originals.files.push({ file: originalFileName(sha), bytes: size });
          files.push({ name: originalFileName(sha), path: target, size });
        }
      }
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        appVersion: this.opts.appVersion,
        schemaVersion: snap.schemaVersion,
        createdAt: snap.createdAt,
        duckdbVersion: snap.duckdbVersion,
        tables,
        sequences: snap.sequences,
        originals,
      };
      const stream = packArchive(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), files);
      let cleaned = false;
      const cleanup = (err?: Error) => {
        if (cleaned) return;
        cleaned = true;
        const ok = !err && stream.readableEnded;
        if (ok) this.stats.backups.ok++;
        else this.stats.backups.failed++;
        const log = { rows: Object.fromEntries(tables.map((t) => [t.name, t.rows])), originals: originals.files.length, seconds: (performance.now() - started) / 1000 };
        if (ok) this.log.info(log, 'backup streamed');
        else this.log.warn({ ...log, err }, 'backup stream ended early');
        void fs.rm(work, { recursive: true, force: true });
      };
      stream.once('error', cleanup);
      stream.once('close', () => cleanup());
      const stamp = snap.createdAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
      return { fileName: `dronelog-backup-${stamp}.tar.gz`, manifest, stream };
    } catch (err) {
      this.stats.backups.failed++;
      await fs.rm(work, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Restores an archive from `body` (streamed to disk, size-limited). Nothing in the database changes unless
   * the whole load commits; originals are moved into the store only after that.
   */
  async restore(body: Readable, mode: RestoreMode): Promise<RestoreReport> {
    if (this.#restoring) {
      body.resume();
      throw new ConflictError('Another restore is running; wait for it to finish.', 'restore-running');
    }
    this.#restoring = true;
    const work = await this.#workDir('restore').catch((err: unknown) => {
      this.#restoring = false;
      throw err;
    });
    const started = performance.now();
    try {
      const report = await this.#restore(body, mode, work);
      this.stats.restores[mode].ok++;
      for (const task of this.#afterRestore) {
        await task.run().catch((err: unknown) => this.log.warn({ err, task: task.name }, 'restore: a follow-up task failed'));
      }
      this.log.info({ mode, tables: report.tables, originals: report.originals, seconds: (performance.now() - started) / 1000 }, 'backup restored');
      return report;
    } catch (err) {
      this.stats.restores[mode].failed++;
      throw err;
    } finally {
      this.#restoring = false;
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  async #restore(body: Readable, mode: RestoreMode, work: string): Promise<RestoreReport> {
    const archiveFile = path.join(work, 'upload.tar.gz');
    try {
      await saveBody(body, archiveFile, this.opts.maxRestoreBytes);
    } catch (err) {
      if (err instanceof ArchiveTooLargeError) throw this.#tooLarge();
      throw err;
    }
    const current = this.opts.schemaVersion;
    let manifest: BackupManifest;
    let unpacked;
    try {
      unpacked = await extractArchive(archiveFile, path.join(work, 'x'), {
        maxExtractedBytes: this.opts.maxRestoreBytes * 4,
        // Refuse a newer or foreign archive before unpacking the rest of it.
        onManifest: (raw) => void parseManifest(raw, current),
      });
      manifest = parseManifest(unpacked.manifest, current);
    } catch (err) {
      if (err instanceof ManifestError) throw new InvalidError(err.message, err.newer ? 'backup-too-new' : 'invalid-backup');
      if (err instanceof ArchiveError) throw new InvalidError(err.message, 'invalid-backup');
      if (err instanceof ArchiveTooLargeError) throw this.#tooLarge();
      throw err;
    }
    await fs.rm(archiveFile, { force: true });

    // Every listed file present with its bytes, nothing unlisted.
    const files: TableFile[] = [];
    for (const t of manifest.tables) {
      const f = unpacked.data.get(t.name);
      if (!f) throw invalid(`The archive lacks ${t.file}, which its manifest lists.`);
      if (f.sha256 !== t.sha256 || f.size !== t.bytes) throw invalid(`${t.file} does not match its SHA-256 in the manifest: the archive is damaged.`);
      files.push({ name: t.name, path: f.path, rows: t.rows });
    }
    const unlisted = [...unpacked.data.keys()].filter((name) => !manifest.tables.some((t) => t.name === name));
    if (unlisted.length) throw invalid(`The archive holds ${dataFileName(unlisted[0]!)}, which its manifest does not list.`);

    let load = files;
    try {
      if (manifest.schemaVersion < current) {
        this.log.info({ from: manifest.schemaVersion, to: current }, 'restore: migrating an older backup');
        load = await this.repo.migrateArchive(files, manifest.schemaVersion, path.join(work, 'migrated'));
      }
      const tables = (await this.repo.tableNames()).sort();
      const names = load.map((f) => f.name).sort();
      if (names.join() !== tables.join()) {
        const lacking = tables.filter((t) => !names.includes(t));
        throw new ArchiveDataError(
          lacking.length
            ? `The archive lacks the table${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} that schema ${current} has.`
            : `The archive has tables this Dronelog does not know: ${names.filter((n) => !tables.includes(n)).join(', ')}.`,
        );
      }
      await this.repo.checkFiles(load);
    } catch (err) {
      if (err instanceof ArchiveDataError) throw invalid(err.message);
      throw err;
    }

    // Originals: content-addressed, so a file whose bytes do not hash to its name is dropped (not fatal).
    const originals = { restored: 0, alreadyPresent: 0, rejected: 0 };
    const usable: Array<{ sha: string; path: string }> = [];
    for (const [sha, f] of unpacked.originals) {
      if (f.sha256 !== sha) {
        originals.rejected++;
        this.log.warn({ file: f.name }, 'restore: an original does not match its name; skipped');
      } else usable.push({ sha, path: f.path });
    }

    let tables: RestoreReport['tables'];
    try {
      if (mode === 'replace') {
        const ledger = load.find((f) => f.name === 'imports');
        const kept = ledger ? await this.repo.ledgerOriginalPaths(ledger.path) : [];
        const coming = new Set(usable.map((u) => this.originals.relativePath(u.sha)));
        const missing: string[] = [];
        for (const rel of kept) {
          const sha = path.basename(rel);
          if (coming.has(rel) || (/^[0-9a-f]{64}$/.test(sha) && (await this.originals.has(sha)))) continue;
          missing.push(rel);
        }
        tables = await this.repo.replaceAll(load, manifest.sequences, missing);
      } else {
        tables = await this.repo.merge(load);
      }
    } catch (err) {
      // The transaction rolled back: nothing changed.
      if (err instanceof ArchiveDataError) throw invalid(`${err.message} Nothing was changed.`);
      if (/Constraint Error|Conversion Error|Invalid Input Error|Binder Error/.test((err as Error).message ?? '')) {
        throw invalid(`The archive's rows could not be loaded (${(err as Error).message}). Nothing was changed.`);
      }
      throw err;
    }

    for (const u of usable) {
      try {
        if (await this.originals.has(u.sha)) originals.alreadyPresent++;
        else {
          await this.originals.adopt(u.path, u.sha);
          originals.restored++;
        }
      } catch (err) {
        originals.rejected++;
        this.log.warn({ err, sha256: u.sha }, 'restore: could not store an original');
      }
    }

    return {
      mode,
      archiveSchemaVersion: manifest.schemaVersion,
      schemaVersion: current,
      createdAt: manifest.createdAt,
      tables,
      originals,
    };
  }

  #tooLarge(): PayloadTooLargeError {
    const mb = this.opts.maxRestoreBytes / (1024 * 1024);
    return new PayloadTooLargeError(`The archive is larger than the restore limit of ${mb} MB (MAX_RESTORE_MB); nothing was changed.`);
  }

  async #workDir(kind: string): Promise<string> {
    const dir = path.join(this.opts.tmpDir, `${kind}-${randomUUID()}`);
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  /** Hard link (same file system) or copy; false when the original is gone. */
  async #linkOriginal(sha: string, target: string): Promise<boolean> {
    const source = this.originals.absolutePath(sha);
    try {
      await fs.link(source, target);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EEXIST') throw err;
    }
    try {
      await fs.copyFile(source, target);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}

function invalid(message: string): InvalidError {
  return new InvalidError(message, 'invalid-backup');
}
