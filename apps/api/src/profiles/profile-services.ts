import type { FastifyBaseLogger } from 'fastify';
import type { Config, SyncConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { BackupRepository } from '../repositories/backup.repository.js';
import { EquipmentRepository } from '../repositories/equipment.repository.js';
import { ExportRepository } from '../repositories/export.repository.js';
import { FlightEventsRepository } from '../repositories/flight-events.repository.js';
import { FlightWriteRepository } from '../repositories/flight-write.repository.js';
import { FlightRepository } from '../repositories/flight.repository.js';
import { ImportLedgerRepository } from '../repositories/import-ledger.repository.js';
import { KeychainRepository } from '../repositories/keychain.repository.js';
import { MaintenanceRepository } from '../repositories/maintenance.repository.js';
import { ManualFlightRepository } from '../repositories/manual-flight.repository.js';
import { OdlBackupRepository } from '../repositories/odl-backup.repository.js';
import { OverviewRepository } from '../repositories/overview.repository.js';
import { ReportRepository } from '../repositories/report.repository.js';
import { SettingsRepository } from '../repositories/settings.repository.js';
import { SmartTagRepository } from '../repositories/smart-tag.repository.js';
import { SyncRepository } from '../repositories/sync.repository.js';
import { TagRepository } from '../repositories/tag.repository.js';
import { TelemetryRepository } from '../repositories/telemetry.repository.js';
import { AuditService } from '../services/audit.service.js';
import { BackupService } from '../services/backup.service.js';
import { EquipmentService } from '../services/equipment.service.js';
import { ExportService } from '../services/export.service.js';
import { FlightEditService } from '../services/flight-edit.service.js';
import { FlightEventsService } from '../services/flight-events.service.js';
import { FlightImportService } from '../services/flight-import.service.js';
import { FlightQueryService } from '../services/flight-query.service.js';
import { KeychainService } from '../services/keychain.service.js';
import { MaintenanceService } from '../services/maintenance.service.js';
import { ManualFlightService } from '../services/manual-flight.service.js';
import { OriginalStore } from '../services/original-store.service.js';
import { OdlBackupImportService } from '../services/odl-backup-import.service.js';
import { OverviewService } from '../services/overview.service.js';
import { ReportService } from '../services/report.service.js';
import { SmartTagService } from '../services/smart-tag.service.js';
import { SyncFolderService } from '../services/sync-folder.service.js';
import type { ParseWorkerPool } from '../workers/parse-worker-pool.js';
import { APP_VERSION } from '../version.js';

/** Everything one profile's routes use, wired on that profile's schema, folders and sync subfolder. */
export interface ProfileServices {
  flightQueries: FlightQueryService;
  flightEdits: FlightEditService;
  flightAudit: AuditService;
  overview: OverviewService;
  equipment: EquipmentService;
  maintenance: MaintenanceService;
  flightEvents: FlightEventsService;
  flightExports: ExportService;
  logbookReport: ReportService;
  manualFlights: ManualFlightService;
  smartTags: SmartTagService;
  flightImport: FlightImportService;
  syncFolder: SyncFolderService;
  backups: BackupService;
  odlBackupImport: OdlBackupImportService;
}

/** What all profiles share: the config, the parse workers (one pool for the process) and the logger. */
export interface SharedDeps {
  config: Config;
  parser: ParseWorkerPool;
  log: FastifyBaseLogger;
}

export interface ProfileFolders {
  /** Kept originals (content-addressed). */
  originalsDir: string;
  /** The sync folder of this profile, or null when sync is off. */
  sync: SyncConfig | null;
  /** Subfolders of the sync folder the walk must not enter (the default profile's: other profiles' folders). */
  skipTopLevelDir?: (name: string) => boolean;
}

/**
 * Builds one profile's services on its schema view. Start-up work that belongs to a profile (marking imports and
 * sync runs a crash interrupted, filling local take-off times) runs here, once per profile.
 */
export async function buildProfileServices(db: Database, folders: ProfileFolders, shared: SharedDeps, profile: string): Promise<ProfileServices> {
  const c = shared.config;
  const log = shared.log.child({ profile });

  const flights = new FlightRepository(db);
  const flightQueries = new FlightQueryService(flights, new TelemetryRepository(db), new TagRepository(db));
  const equipmentRepo = new EquipmentRepository(db);
  const exportsRepo = new ExportRepository(db);
  const flightAudit = new AuditService(new AuditRepository(db), flights);

  const smartTags = new SmartTagService(new SettingsRepository(db), new SmartTagRepository(db));
  const filled = await smartTags.backfillLocalTimes();
  if (filled > 0) log.info({ flights: filled }, 'local take-off times filled for older flights');

  const originals = new OriginalStore(folders.originalsDir, c.uploadTmpDir);
  const keychains = new KeychainService(new KeychainRepository(db), {
    apiKey: c.djiApiKey,
    endpoint: c.djiKeychainEndpoint,
    timeoutMs: c.djiKeychainTimeoutMs,
  });
  const flightImport = new FlightImportService(
    {
      ledger: new ImportLedgerRepository(db),
      flights: new FlightWriteRepository(db),
      keychains,
      originals,
      parser: shared.parser,
      log: log.child({ component: 'import' }),
      tagger: smartTags,
    },
    {
      keepOriginals: c.keepUploadedFiles,
      maxUploadBytes: c.maxUploadBytes,
      maxFilesPerRequest: c.maxFilesPerRequest,
      concurrency: c.parseConcurrency,
      parseTimeoutMs: c.parseTimeoutMs,
    },
  );
  const interrupted = await flightImport.recoverInterrupted();
  if (interrupted > 0) log.warn({ interrupted }, 'imports interrupted by the last shutdown are marked failed (retryable)');

  const syncLog = log.child({ component: 'sync' });
  const syncFolder = new SyncFolderService({ repo: new SyncRepository(db), importer: flightImport, log: syncLog, skipTopLevelDir: folders.skipTopLevelDir }, folders.sync);
  const interruptedRuns = await syncFolder.recoverInterrupted();
  if (interruptedRuns > 0) syncLog.warn({ interrupted: interruptedRuns }, 'sync runs interrupted by the last shutdown are marked interrupted');

  const backups = new BackupService(new BackupRepository(db), originals, log.child({ component: 'backup' }), {
    appVersion: APP_VERSION,
    schemaVersion: await db.schemaVersion(),
    tmpDir: c.backupTmpDir,
    maxRestoreBytes: c.maxRestoreBytes,
  });
  // Restored flights may predate columns that are filled in code at start-up: fill them after a restore too.
  backups.afterRestore('local take-off times', () => smartTags.backfillLocalTimes());

  return {
    flightQueries,
    flightEdits: new FlightEditService(flights, flightQueries, flightAudit),
    flightAudit,
    overview: new OverviewService(new OverviewRepository(db)),
    equipment: new EquipmentService(equipmentRepo),
    maintenance: new MaintenanceService(new MaintenanceRepository(db), equipmentRepo),
    flightEvents: new FlightEventsService(new FlightEventsRepository(db), flights),
    flightExports: new ExportService(exportsRepo, flightQueries),
    logbookReport: new ReportService(exportsRepo, new ReportRepository(db)),
    manualFlights: new ManualFlightService(new ManualFlightRepository(db), flightQueries, smartTags),
    smartTags,
    flightImport,
    syncFolder,
    backups,
    odlBackupImport: new OdlBackupImportService(new OdlBackupRepository(db), log.child({ component: 'odl-import' }), {
      tmpDir: c.backupTmpDir,
      maxBytes: c.maxRestoreBytes,
    }),
  };
}
