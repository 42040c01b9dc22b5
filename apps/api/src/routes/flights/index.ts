import type { FastifyPluginAsync } from 'fastify';
import flightServices from '../../plugins/flight-services.js';
import catalogRoutes from './catalog.routes.js';
import flightRoutes from './flights.routes.js';

/**
 * The read side and flight editing: /flights/*, /tags, /aircraft, /batteries.
 * Registered by app.ts under /api/v1; brings its own service wiring (needs the `database` plugin).
 */
const flightsModule: FastifyPluginAsync = async (fastify) => {
  await fastify.register(flightServices);
  await fastify.register(flightRoutes);
  await fastify.register(catalogRoutes);
};

export default flightsModule;
