import fp from 'fastify-plugin';
import { SyncFolderJob } from '../jobs/sync-folder.job.js';
import { SyncRepository } from '../repositories/sync.repository.js';
import { SyncFolderService } from '../services/sync-folder.service.js';

/**
 * Wires the sync folder: repository, service (on the import service shared with uploads), and the SYNC_INTERVAL
 * cron job. At start-up, runs a previous process left 'running' become 'interrupted'; with SYNC_ON_START a run
 * starts once the app is ready. On close the job stops and a running run ends after its current file, before
 * the import pipeline and DuckDB close (preClose runs before every onClose).
 */
export default fp(
  async (fastify) => {
    const config = fastify.config.sync;
    const log = fastify.log.child({ component: 'sync' });
    const service = new SyncFolderService({ repo: new SyncRepository(fastify.db), importer: fastify.flightImport, log }, config);

    const interrupted = await service.recoverInterrupted();
    if (interrupted > 0) log.warn({ interrupted }, 'sync runs interrupted by the last shutdown are marked interrupted');

    let job: SyncFolderJob | null = null;
    if (config) {
      job = new SyncFolderJob(config.schedule, service, log);
      const j = job;
      service.setNextRunSource(() => j.nextRun());
      fastify.addHook('onReady', async () => {
        j.start();
        log.info({ folder: config.path, schedule: config.schedule, nextRunAt: j.nextRun()?.toISOString() ?? null }, 'sync folder scheduled');
        if (config.onStart) {
          service.requestRun('startup').catch((err: unknown) => log.error({ err }, 'sync: could not start the start-up run'));
        }
      });
    }

    fastify.decorate('syncFolder', service);
    fastify.addHook('preClose', async () => {
      job?.stop();
      await service.close();
    });
  },
  { name: 'sync-folder', dependencies: ['database', 'imports'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    syncFolder: SyncFolderService;
  }
}
