import fp from 'fastify-plugin';
import { BasemapService } from '../../services/basemap.service.js';
import basemapRoutes from './basemap.routes.js';

/**
 * The optional local basemap (MAP_PMTILES_PATH): the service, checked at start-up so a wrong path stops the server
 * with a message naming the variable, and its routes. Registered always: without the variable they answer 404.
 */
export default fp(
  async (fastify) => {
    const basemap = new BasemapService(fastify.config.mapPmtilesPath);
    await basemap.check();
    fastify.decorate('basemap', basemap);
    await fastify.register(basemapRoutes);
  },
  { name: 'basemap' },
);

declare module 'fastify' {
  interface FastifyInstance {
    basemap: BasemapService;
  }
}
