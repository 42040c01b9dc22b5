import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { ErrorResponse, StringEnum } from '@dronelog/contracts';
import { BASEMAP_STYLE_PATH, BASEMAP_TILES_PATH, type BodyPart } from '../../services/basemap.service.js';
import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import { ifRangeHolds, multipartLayout, noneMatch, notModifiedSince, parseRange } from './byte-ranges.js';

const tags = ['basemap'];
const notConfigured = { 404: { ...ErrorResponse, description: 'No local basemap (MAP_PMTILES_PATH unset).' } };
/** The PMTiles spec's MIME type. */
const PMTILES_TYPE = 'application/vnd.pmtiles';

/** The local basemap: the `.pmtiles` archive by byte ranges, and the maplibre style that points at it. */
const basemapRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  fastify.route({
    method: ['GET', 'HEAD'],
    url: BASEMAP_TILES_PATH,
    schema: {
      tags,
      summary: 'The local PMTiles archive (MAP_PMTILES_PATH), read by byte ranges',
      description:
        'Supports Range (one or several ranges; 206, multipart/byteranges for several, 416 when none fits), ' +
        'If-Range, ETag / If-None-Match and Last-Modified / If-Modified-Since, and HEAD. Streamed from disk.',
      response: {
        200: { description: 'The whole archive.', type: 'string', format: 'binary' },
        206: { description: 'The requested byte range(s).', type: 'string', format: 'binary' },
        ...notConfigured,
      },
    },
    handler: async (request, reply) => {
      const archive = await fastify.basemap.open();
      // However the response ends (sent, refused, client gone), the file is closed.
      reply.raw.once('close', () => void archive.close());
      const { size, etag, lastModified } = archive;
      reply
        .header('accept-ranges', 'bytes')
        .header('etag', etag)
        .header('last-modified', lastModified.toUTCString())
        // Revalidated hourly; pmtiles readers also compare the ETag and reload when the file was replaced.
        .header('cache-control', 'private, max-age=3600');
      const h = request.headers;
      const ifNoneMatch = h['if-none-match'];
      if (ifNoneMatch !== undefined ? noneMatch(ifNoneMatch, etag) : notModifiedSince(h['if-modified-since'], lastModified)) {
        await archive.close();
        return reply.status(304).send();
      }
      const ifRange = h['if-range'];
      const range = ifRangeHolds(Array.isArray(ifRange) ? ifRange[0] : ifRange, etag, lastModified) ? parseRange(h.range, size) : ({ kind: 'full' } as const);
      if (range.kind === 'unsatisfiable') {
        await archive.close();
        return reply.status(416).header('content-range', `bytes */${size}`).send({
          error: 'range-not-satisfiable',
          message: `The requested range is outside the file (${size} bytes).`,
        });
      }
      let parts: BodyPart[];
      let tail: string | undefined;
      let length: number;
      if (range.kind === 'full') {
        reply.status(200).type(PMTILES_TYPE);
        parts = size > 0 ? [{ start: 0, end: size - 1 }] : [];
        length = size;
      } else if (range.ranges.length === 1) {
        const r = range.ranges[0]!;
        reply.status(206).type(PMTILES_TYPE).header('content-range', `bytes ${r.start}-${r.end}/${size}`);
        parts = [r];
        length = r.end - r.start + 1;
      } else {
        const boundary = randomBytes(12).toString('hex');
        const layout = multipartLayout(range.ranges, size, PMTILES_TYPE, boundary);
        reply.status(206).type(`multipart/byteranges; boundary=${boundary}`);
        parts = range.ranges.map((r, i) => ({ ...r, head: layout.heads[i]! }));
        tail = layout.tail;
        length = layout.length;
      }
      reply.header('content-length', String(length));
      if (request.method === 'HEAD') {
        await archive.close();
        return reply.send();
      }
      return reply.send(archive.body(parts, tail));
    },
  });

  fastify.get(
    BASEMAP_STYLE_PATH,
    {
      schema: {
        tags,
        summary: 'Maplibre style of the local basemap (Protomaps layers over the local archive, no labels)',
        querystring: Type.Object({ theme: Type.Optional(StringEnum(['light', 'dark'], { description: 'Colours (default light).' })) }),
        response: {
          200: Type.Object({}, { additionalProperties: true, description: 'A maplibre style specification (version 8).' }),
          ...notConfigured,
        },
      },
    },
    async (request, reply) => {
      // Same-origin absolute URL: maplibre resolves source URLs on its own, not against the style's URL.
      const origin = `${request.protocol}://${request.host}`;
      const style = fastify.basemap.style(origin, request.query.theme ?? 'light');
      return reply.header('cache-control', 'no-cache').header('vary', 'host').send(style);
    },
  );
};

export default basemapRoutes;
