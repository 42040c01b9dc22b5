import fp from 'fastify-plugin';
import type { Database } from '../../db/database.js';
import { OdlBackupRepository } from '../../repositories/odl-backup.repository.js';
import { OdlBackupImportService } from '../../services/odl-backup-import.service.js';
import odlImportRoutes from './odl-import.routes.js';

/**
 * Open DroneLog backup import: one service per profile (on the profile's schema view, so its SQL reaches that
 * profile's tables only) and the route under /api/v1. Register it among the logbook routes, behind the profile hook.
 */
export default fp(
  async (fastify) => {
    const c = fastify.config;
    const services = new WeakMap<Database, OdlBackupImportService>();
    const log = fastify.log.child({ component: 'odl-import' });
    const serviceOn = (db: Database): OdlBackupImportService => {
      let s = services.get(db);
      if (!s) {
        s = new OdlBackupImportService(new OdlBackupRepository(db), log, { tmpDir: c.backupTmpDir, maxBytes: c.maxRestoreBytes });
        services.set(db, s);
      }
      return s;
    };
    // request.profile is set by the logbook scope's profile hook (app.ts), before the body is read.
    await fastify.register(odlImportRoutes, { prefix: '/api/v1', serviceFor: (request) => serviceOn(request.profile.db) });
  },
  { name: 'odl-import', dependencies: ['database'] },
);
