import type { FastifyPluginAsyncTypeBox } from './type-provider.js';
import { Type } from '@sinclair/typebox';
import {
  ErrorResponse,
  FlightDetail,
  FlightListQuery,
  FlightListResponse,
  FlightPatchBody,
  IdParams,
  TelemetryQuery,
  TelemetryResponse,
  TrackQuery,
  TrackResponse,
} from '@dronelog/contracts';
import { strictBodyValidator } from './strict-validator.js';

const tags = ['flights'];
const badRequest = { 400: { ...ErrorResponse, description: 'The request is invalid; `message` says what to change.' } };
const notFound = { 404: { ...ErrorResponse, description: 'No flight with this id.' } };

/** /flights: thin handlers, one service call each. */
const flightRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  fastify.get(
    '/flights',
    {
      schema: {
        tags,
        summary: 'List flights (filter, sort, paginate) with totals',
        description:
          'Flight summaries, newest first by default. `total` and `totals` cover every flight matching the filters (all pages). ' +
          'Page with `offset`, or with `cursor` (= the previous `nextCursor`, same sort) for stable paging.',
        querystring: FlightListQuery,
        response: { 200: FlightListResponse, ...badRequest },
      },
    },
    async (request) => request.profile.services.flightQueries.list(request.query),
  );

  fastify.get(
    '/flights/:id',
    {
      schema: {
        tags,
        summary: 'One flight: metadata, tags, messages and parse warnings',
        params: IdParams,
        response: { 200: FlightDetail, ...badRequest, ...notFound },
      },
    },
    async (request) => request.profile.services.flightQueries.get(request.params.id),
  );

  fastify.get(
    '/flights/:id/telemetry',
    {
      schema: {
        tags,
        summary: 'Columnar telemetry for charts, downsampled to `points` rows',
        description: TelemetryResponse.description,
        params: IdParams,
        querystring: TelemetryQuery,
        response: { 200: TelemetryResponse, ...badRequest, ...notFound },
      },
    },
    async (request, reply) => {
      const body = await request.profile.services.flightQueries.telemetry(request.params.id, request.query);
      // JSON.stringify instead of the schema's fast-json-stringify (the schema still documents the answer): up to
      // 20 000 × 35 `number | null` values, for which fast-json-stringify checks an anyOf per item and V8's
      // stringifier walks a packed double array natively; the series carry NaN for null, which it writes as null.
      reply.serializer((payload: unknown) => JSON.stringify(payload));
      return body;
    },
  );

  fastify.get(
    '/flights/:id/track',
    {
      schema: {
        tags,
        summary: 'GPS track for the map, thinned to `points` points',
        description: TrackResponse.description,
        params: IdParams,
        querystring: TrackQuery,
        response: { 200: TrackResponse, ...badRequest, ...notFound },
      },
    },
    async (request) => request.profile.services.flightQueries.track(request.params.id, request.query),
  );

  fastify.patch(
    '/flights/:id',
    {
      schema: {
        tags,
        summary: 'Edit name, notes, colour and manual tags',
        description: 'Only the fields sent change; `tags` replaces the manual tags (auto tags stay). Returns the updated flight.',
        params: IdParams,
        body: FlightPatchBody,
        response: { 200: FlightDetail, ...badRequest, ...notFound },
      },
      validatorCompiler: strictBodyValidator,
    },
    async (request) => request.profile.services.flightEdits.update(request.params.id, request.body, request.identity),
  );

  fastify.delete(
    '/flights/:id',
    {
      schema: {
        tags,
        summary: 'Delete a flight with its telemetry, messages and tags',
        description: 'One transaction. The import ledger keeps its entries (they record what happened to each file).',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...badRequest, ...notFound },
      },
    },
    async (request, reply) => {
      await request.profile.services.flightEdits.delete(request.params.id, request.identity);
      return reply.status(204).send(null);
    },
  );
};

export default flightRoutes;
