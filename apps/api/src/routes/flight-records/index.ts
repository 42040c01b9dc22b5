import { AuditListResponse, ErrorResponse, FlightDetail, FlightEventsResponse, IdParams, ManualFlightBody } from '@dronelog/contracts';
import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import { strictBodyValidator } from '../flights/strict-validator.js';

const badRequest = { 400: { ...ErrorResponse, description: 'The request is invalid; `message` says what to change.' } };
const notFound = { 404: { ...ErrorResponse, description: 'No flight with this id.' } };

/** Per-flight records beside the flight itself: manual entry, the events timeline, the audit trail. */
const flightRecordRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  fastify.post(
    '/flights/manual',
    {
      schema: {
        tags: ['flights'],
        summary: 'Log a flight without a log file (source format "manual", no telemetry, tag "Manual Entry")',
        description: ManualFlightBody.description,
        body: ManualFlightBody,
        response: {
          201: FlightDetail,
          ...badRequest,
          409: { ...ErrorResponse, description: 'A flight of this aircraft and battery already starts at this time.' },
        },
      },
      validatorCompiler: strictBodyValidator,
    },
    async (request, reply) => reply.status(201).send(await request.profile.services.manualFlights.create(request.body, request.identity)),
  );

  fastify.get(
    '/flights/:id/events',
    {
      schema: {
        tags: ['flights'],
        summary: 'Events timeline: messages, mode changes, return-to-home, landing, low battery, RC link and GPS losses',
        params: IdParams,
        response: { 200: FlightEventsResponse, ...badRequest, ...notFound },
      },
    },
    async (request) => request.profile.services.flightEvents.events(request.params.id),
  );

  fastify.get(
    '/flights/:id/audit',
    {
      schema: {
        tags: ['flights'],
        summary: 'Audit trail of a flight: manual creation, every edited field, deletion (kept after delete)',
        params: IdParams,
        response: { 200: AuditListResponse, ...badRequest, ...notFound },
      },
    },
    async (request) => request.profile.services.flightAudit.forFlight(request.params.id),
  );
};

export default flightRecordRoutes;
