import fp from 'fastify-plugin';
import backupRoutes from './backup.routes.js';

/** Backup and restore of the current profile: routes under /api/v1. */
export default fp(
  async (fastify) => {
    await fastify.register(backupRoutes, { prefix: '/api/v1' });
  },
  { name: 'backup-feature', dependencies: ['database'] },
);
