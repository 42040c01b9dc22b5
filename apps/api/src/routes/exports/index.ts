import { ErrorResponse, ExportQuery, FlightFilterQuery, IdParams, ZipExportQuery } from '@dronelog/contracts';
import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import { contentDisposition } from '../../services/export.service.js';

const badRequest = { 400: { ...ErrorResponse, description: 'The request is invalid; `message` says what to change.' } };
const file = (description: string, types: string[]) => ({
  200: {
    description,
    content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
  },
});

/** Server-side exports, streamed as they are produced (nothing is built in memory). */
const exportRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  fastify.get(
    '/flights/:id/export',
    {
      schema: {
        tags: ['exports'],
        summary: 'Export one flight as CSV, JSON, GPX, KML (absolute or relative altitude) or GeoJSON',
        description: ExportQuery.properties.format.description,
        params: IdParams,
        querystring: ExportQuery,
        response: {
          ...file('The flight as a download (Content-Disposition: attachment).', [
            'text/csv',
            'application/json',
            'application/gpx+xml',
            'application/vnd.google-earth.kml+xml',
            'application/geo+json',
          ]),
          ...badRequest,
          404: { ...ErrorResponse, description: 'No flight with this id.' },
        },
      },
    },
    async (request, reply) => {
      const f = await request.profile.services.flightExports.flight(request.params.id, request.query.format);
      return reply.type(f.contentType).header('content-disposition', contentDisposition(f.fileName)).send(f.stream);
    },
  );

  fastify.get(
    '/exports/summary.csv',
    {
      schema: {
        tags: ['exports'],
        summary: 'One CSV row per flight matching the list filters (SUMMARY_CSV_COLUMNS), oldest first',
        querystring: FlightFilterQuery,
        response: { ...file('CSV, RFC 4180.', ['text/csv']), ...badRequest },
      },
    },
    async (request, reply) => {
      const f = request.profile.services.flightExports.summaryCsv(request.query);
      return reply.type(f.contentType).header('content-disposition', contentDisposition(f.fileName)).send(f.stream);
    },
  );

  fastify.get(
    '/exports/flights.zip',
    {
      schema: {
        tags: ['exports'],
        summary: 'A zip of one file per flight matching the list filters, in `format`, plus summary.csv',
        description: 'Entries are named `<id>_<UTC start YYYY-MM-DD_HHMM>_<name>.<ext>`; the zip is streamed while it is written.',
        querystring: ZipExportQuery,
        response: { ...file('Zip archive.', ['application/zip']), ...badRequest },
      },
    },
    async (request, reply) => {
      const f = request.profile.services.flightExports.zip(request.query);
      return reply.type(f.contentType).header('content-disposition', contentDisposition(f.fileName)).send(f.stream);
    },
  );
};

export default exportRoutes;
