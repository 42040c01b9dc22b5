import fp from 'fastify-plugin';
import syncRoutes from './sync.routes.js';

/** The sync folder routes under /api/v1 (the service is the profile's; the schedule lives in the profiles plugin). */
export default fp(
  async (fastify) => {
    await fastify.register(syncRoutes, { prefix: '/api/v1' });
  },
  { name: 'sync', dependencies: ['database', 'imports'] },
);
