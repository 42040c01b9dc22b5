import fp from 'fastify-plugin';
import syncFolder from '../../plugins/sync-folder.js';
import syncRoutes from './sync.routes.js';

/** The sync folder feature: its service and cron job (decorated as `syncFolder`) and its routes under /api/v1. */
export default fp(
  async (fastify) => {
    await fastify.register(syncFolder);
    await fastify.register(syncRoutes, { prefix: '/api/v1' });
  },
  { name: 'sync', dependencies: ['database', 'imports'] },
);
