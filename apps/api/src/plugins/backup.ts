import fp from 'fastify-plugin';
import { BackupRepository } from '../repositories/backup.repository.js';
import { BackupService } from '../services/backup.service.js';
import { OriginalStore } from '../services/original-store.service.js';
import { APP_VERSION } from '../version.js';

/**
 * Wires backup and restore on the one Database and the originals store; clears work folders left by a crash; runs
 * other features' start-up backfills after a restore.
 */
export default fp(
  async (fastify) => {
    const c = fastify.config;
    const service = new BackupService(
      new BackupRepository(fastify.db),
      new OriginalStore(c.originalsDir, c.uploadTmpDir),
      fastify.log.child({ component: 'backup' }),
      { appVersion: APP_VERSION, schemaVersion: await fastify.db.schemaVersion(), tmpDir: c.backupTmpDir, maxRestoreBytes: c.maxRestoreBytes },
    );
    await service.clearTemp();
    fastify.decorate('backups', service);
    // Restored flights may predate columns that are filled in code at start-up: fill them after a restore too.
    fastify.addHook('onReady', async () => {
      if (fastify.hasDecorator('smartTags')) service.afterRestore('local take-off times', () => fastify.smartTags.backfillLocalTimes());
    });
  },
  { name: 'backup', dependencies: ['database'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    backups: BackupService;
  }
}
