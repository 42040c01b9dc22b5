import type { FastifyPluginAsync } from 'fastify';
import catalogRoutes from './catalog.routes.js';
import flightRoutes from './flights.routes.js';

/**
 * The read side and flight editing: /flights/*, /tags, /aircraft, /batteries.
 * Registered by app.ts under /api/v1 inside the logbook scope (its services are the request's profile's).
 */
const flightsModule: FastifyPluginAsync = async (fastify) => {
  await fastify.register(flightRoutes);
  await fastify.register(catalogRoutes);
};

export default flightsModule;
