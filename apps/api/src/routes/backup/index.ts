import fp from 'fastify-plugin';
import backupPlugin from '../../plugins/backup.js';
import backupRoutes from './backup.routes.js';

/** Backup and restore: the service (decorated on the root instance, for metrics) and its routes under /api/v1. */
export default fp(
  async (fastify) => {
    await fastify.register(backupPlugin);
    await fastify.register(backupRoutes, { prefix: '/api/v1' });
  },
  { name: 'backup-feature', dependencies: ['database'] },
);
