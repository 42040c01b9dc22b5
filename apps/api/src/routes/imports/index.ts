import fp from 'fastify-plugin';
import smartTagRoutes from '../smart-tags/smart-tags.routes.js';
import importRoutes from './imports.routes.js';
import demoRoutes from './demo.routes.js';

/** The import feature's routes (its services are the profile's: `request.profile.services`). */
export default fp(
  async (fastify) => {
    await fastify.register(importRoutes, { prefix: '/api/v1' });
    await fastify.register(demoRoutes, { prefix: '/api/v1' });
    // Smart tags are computed by the importer; their settings and regeneration live beside it.
    await fastify.register(smartTagRoutes, { prefix: '/api/v1' });
  },
  { name: 'imports', dependencies: ['database'] },
);
