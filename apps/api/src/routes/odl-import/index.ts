import fp from 'fastify-plugin';
import odlImportRoutes from './odl-import.routes.js';

/**
 * Open DroneLog backup import into the request's profile (its service is the profile's, on that profile's schema).
 * Registered among the logbook routes, behind the profile hook.
 */
export default fp(
  async (fastify) => {
    // request.profile is set by the logbook scope's profile hook (app.ts), before the body is read.
    await fastify.register(odlImportRoutes, { prefix: '/api/v1', serviceFor: (request) => request.profile.services.odlBackupImport });
  },
  { name: 'odl-import', dependencies: ['database'] },
);
