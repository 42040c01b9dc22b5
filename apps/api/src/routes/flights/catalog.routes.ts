import type { FastifyPluginAsyncTypeBox } from './type-provider.js';
import { AircraftListResponse, BatteryListResponse, TagListResponse } from '@dronelog/contracts';

/** Distinct values with counts, to fill the flight list's filter dropdowns. */
const catalogRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  fastify.get(
    '/tags',
    {
      schema: {
        tags: ['flights'],
        summary: 'Tags in use, with the number of flights carrying each',
        response: { 200: TagListResponse },
      },
    },
    async (request) => ({ items: await request.profile.services.flightQueries.tagCounts() }),
  );

  fastify.get(
    '/aircraft',
    {
      schema: {
        tags: ['flights'],
        summary: 'Aircraft (by serial) with name, model and flight counts',
        description: 'Flights without an aircraft serial are not listed.',
        response: { 200: AircraftListResponse },
      },
    },
    async (request) => ({ items: await request.profile.services.flightQueries.aircraft() }),
  );

  fastify.get(
    '/batteries',
    {
      schema: {
        tags: ['flights'],
        summary: 'Batteries (by serial) with flight counts and cycles',
        description: 'Flights without a battery serial are not listed.',
        response: { 200: BatteryListResponse },
      },
    },
    async (request) => ({ items: await request.profile.services.flightQueries.batteries() }),
  );
};

export default catalogRoutes;
