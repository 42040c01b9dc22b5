import fp from 'fastify-plugin';
import { FlightRepository } from '../repositories/flight.repository.js';
import { TagRepository } from '../repositories/tag.repository.js';
import { TelemetryRepository } from '../repositories/telemetry.repository.js';
import { FlightEditService } from '../services/flight-edit.service.js';
import { FlightQueryService } from '../services/flight-query.service.js';

/** Wires the read side and flight editing: repositories on the one Database, then the two services. */
export default fp(
  async (fastify) => {
    const flights = new FlightRepository(fastify.db);
    const queries = new FlightQueryService(flights, new TelemetryRepository(fastify.db), new TagRepository(fastify.db));
    fastify.decorate('flightQueries', queries);
    fastify.decorate('flightEdits', new FlightEditService(flights, queries, fastify.flightAudit));
  },
  { name: 'flight-services', dependencies: ['database', 'logbook-services'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    flightQueries: FlightQueryService;
    flightEdits: FlightEditService;
  }
}
