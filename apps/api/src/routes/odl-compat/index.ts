import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, InvalidError } from '../../errors.js';
import type { UploadPart } from '../../services/flight-import.service.js';
import { multipartFiles } from '../multipart-files.js';
import { OdlCompatService } from '../../services/odl-compat.service.js';
import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import {
  OdlAllowedExtensions,
  OdlBlacklist,
  OdlError,
  OdlFlightList,
  OdlImportResult,
  OdlProfileHeaders,
  OdlProfileList,
  OdlSwitchBody,
  OdlSwitchResponse,
} from './odl-compat.schemas.js';

const tags = ['odl-compat'];
const errors = { 400: OdlError, 401: OdlError, 403: OdlError, 404: OdlError, 409: OdlError, 413: OdlError, 423: OdlError, 429: OdlError };

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Open DroneLog's API for its uploader opendronelog-sync (ODL_COMPAT_API=true), under /api/ with ODL's shapes:
 * profiles → switch → allowed extensions → flights (hashes) → blacklist → import. Thin handlers over
 * OdlCompatService. Registered outside the logbook scope and encapsulated (not fastify-plugin): the profile comes
 * from X-Session / X-Profile, never the session cookie, and errors keep ODL's `{"error": "..."}` body. The global
 * security hooks still apply: cross-site writes are refused and no CORS is opened.
 */
const odlCompatRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  const config = fastify.config;
  const service = new OdlCompatService({ profiles: fastify.profiles, sessions: fastify.sessions, registry: fastify.profileRegistry });

  fastify.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof DomainError) {
      if (err.retryAfterS !== undefined) void reply.header('retry-after', String(err.retryAfterS));
      return reply.status(err.statusCode).send({ error: err.message });
    }
    const status = err.validation ? 400 : err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status < 500) return reply.status(status).send({ error: err.message });
    request.log.error({ err }, 'unhandled error');
    // Never leak internals in 5xx bodies.
    return reply.status(status).send({ error: 'Something went wrong on the server. The details are in its log.' });
  });

  // The uploader sends one log per request; a second file is refused rather than silently dropped.
  await fastify.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: config.maxUploadBytes, files: 1, parts: 20, fields: 20, fieldSize: 64 * 1024, headerPairs: 100 },
  });

  /** onRequest: resolves the profile before any body is read, so a refused upload is never received. */
  const withProfile = async (request: FastifyRequest, _reply: FastifyReply) => {
    request.profile = await service.resolve({ session: header(request, 'x-session'), profile: header(request, 'x-profile') });
  };

  fastify.get(
    '/api/profiles',
    { schema: { tags, summary: 'Open DroneLog: profile names and whether each has a password', response: { 200: OdlProfileList } } },
    async () => service.listProfiles(),
  );

  fastify.post(
    '/api/profiles/switch',
    {
      onRequest: fastify.rateLimits.auth,
      schema: {
        tags,
        summary: 'Open DroneLog: log in to a profile (creating it if missing); returns the X-Session token of a protected one',
        description:
          'Wrong passwords count towards the lockout (LOGIN_MAX_FAILURES → 423). Creating needs master_password when ' +
          'PROFILE_CREATION_PASS is set (403 otherwise). Unlike Open DroneLog it changes no server-wide profile and ' +
          'never sets a password (new_password → 400).',
        body: OdlSwitchBody,
        response: { 200: OdlSwitchResponse, ...errors },
      },
    },
    async (request) => service.switchProfile(request.body, header(request, 'user-agent') ?? null),
  );

  fastify.get(
    '/api/allowed_log_extensions',
    {
      onRequest: withProfile,
      schema: { tags, summary: 'Open DroneLog: log file extensions (without the dot)', headers: OdlProfileHeaders, response: { 200: OdlAllowedExtensions, ...errors } },
    },
    async () => service.allowedExtensions(),
  );

  fastify.get(
    '/api/flights',
    {
      onRequest: withProfile,
      schema: { tags, summary: "Open DroneLog: every flight of the profile with its file's SHA-256", headers: OdlProfileHeaders, response: { 200: OdlFlightList, ...errors } },
    },
    async (request) => service.flights(request.profile),
  );

  fastify.get(
    '/api/sync/blacklist',
    {
      onRequest: withProfile,
      schema: { tags, summary: 'Open DroneLog: hashes the sync skips (our sync ignore list)', headers: OdlProfileHeaders, response: { 200: OdlBlacklist, ...errors } },
    },
    async (request) => service.blacklist(request.profile),
  );

  fastify.post(
    '/api/import',
    {
      onRequest: [fastify.rateLimits.imports, withProfile],
      schema: {
        tags,
        summary: 'Open DroneLog: import one uploaded log (multipart, field "file")',
        description: 'Per-file outcomes are 200 answers: `success` is true for a new flight, false for a duplicate or a log that could not be imported.',
        consumes: ['multipart/form-data'],
        headers: OdlProfileHeaders,
        response: { 200: OdlImportResult, ...errors },
      },
    },
    async (request) => {
      const body: { file?: Readable } = {};
      try {
        return await service.importUpload(request.profile, firstFile(request, body));
      } catch (err) {
        // The client's fault, answered as ODL does; never a 500.
        const broken = body.file?.errored;
        if (broken && !(err instanceof DomainError)) throw new InvalidError(`Multipart error: ${broken.message}`, 'bad-multipart');
        throw err;
      }
    },
  );
};

/**
 * The upload's file part (ODL reads the first one; the uploader names it "file"), as a plain stream. An error of
 * the body stream itself (a cut or malformed upload) shows on `body.file.errored`, so the route answers it as 400.
 */
function firstFile(request: FastifyRequest, body: { file?: Readable }): AsyncGenerator<UploadPart> {
  return multipartFiles(
    request,
    (err, errors) => {
      if (err instanceof errors.FilesLimitError) return new InvalidError('Send one log per request.', 'one-file');
      if (err instanceof errors.InvalidMultipartContentTypeError) return new InvalidError('Send the log as multipart/form-data.', 'not-multipart');
      if (err instanceof DomainError || (err as { statusCode?: number }).statusCode) return err;
      // Only the body can fail here (a cut or malformed upload): the client's fault, as ODL answers it.
      return new InvalidError(`Multipart error: ${(err as Error).message}`, 'bad-multipart');
    },
    (file) => {
      body.file = file;
    },
  );
}

export default odlCompatRoutes;
