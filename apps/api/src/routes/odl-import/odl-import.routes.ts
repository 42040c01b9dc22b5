import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse, OdlImportReport } from '@dronelog/contracts';
import { InvalidError, PayloadTooLargeError } from '../../errors.js';
import type { OdlBackupImportService, OdlBackupUpload } from '../../services/odl-backup-import.service.js';

/** Raw archive bodies (curl --data-binary); handed over as the request stream, never buffered. */
const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/x-tar', 'application/x-gtar', 'application/octet-stream'];
/** Room for multipart boundaries and headers around the file. */
const MULTIPART_SLACK = 64 * 1024;

export interface OdlImportRoutesOptions {
  /** The import service of the request's profile. */
  serviceFor(request: FastifyRequest): OdlBackupImportService;
}

/** POST /imports/open-dronelog-backup: a thin handler over OdlBackupImportService. */
const odlImportRoutes: FastifyPluginAsyncTypebox<OdlImportRoutesOptions> = async (fastify, opts) => {
  const maxBytes = fastify.config.maxRestoreBytes;
  const mb = maxBytes / (1024 * 1024);
  const tooLarge = () => new PayloadTooLargeError(`The backup is larger than the limit of ${mb} MB (MAX_RESTORE_MB); nothing was changed.`);

  // One file. The multipart parser cuts a larger file silently (`file.truncated`); the service refuses it with 413.
  await fastify.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: maxBytes + 1, files: 1, parts: 10, fields: 8, fieldSize: 1024, headerPairs: 100 },
  });
  fastify.addContentTypeParser(ARCHIVE_TYPES, (_request, payload, done) => done(null, payload));

  async function upload(request: FastifyRequest): Promise<OdlBackupUpload> {
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_SLACK) throw tooLarge();
    if (request.isMultipart()) {
      const part = await request.file();
      if (!part) throw new InvalidError('The multipart body holds no file: send the Open DroneLog backup (.db.backup) as a file field.', 'no-file');
      const file = part.file;
      return {
        stream: file,
        get truncated() {
          return file.truncated;
        },
      };
    }
    const body = request.body as { pipe?: unknown } | undefined;
    if (!body || typeof body.pipe !== 'function') {
      throw new InvalidError('Send the Open DroneLog backup as multipart/form-data (one file) or as the body with Content-Type: application/gzip.', 'not-an-archive');
    }
    return { stream: body as unknown as OdlBackupUpload['stream'], truncated: false };
  }

  fastify.post(
    '/imports/open-dronelog-backup',
    {
      onRequest: fastify.rateLimits.backup,
      schema: {
        tags: ['imports'],
        summary: 'Import an Open DroneLog backup (.db.backup)',
        description:
          "Brings an Open DroneLog logbook over: send the `.db.backup` file from Open DroneLog's Settings → Backup as the one file " +
          'of a multipart/form-data body (or as the raw body with Content-Type: application/gzip); at most MAX_RESTORE_MB. ' +
          'Flights (names, notes, colours, tags), their telemetry and app messages, aircraft and battery names and cached DJI ' +
          'keychains are added to the current profile in ONE transaction: a damaged, foreign or hostile archive is refused with ' +
          '400/413 and nothing changes. Flights already here (same file SHA-256, or aircraft + battery serial + start time ±2 s) ' +
          'are skipped, so importing the same backup again adds nothing. See docs/migrating-from-open-dronelog.md.',
        consumes: ['multipart/form-data', 'application/gzip'],
        // For the OpenAPI document only: the body is a stream the handler reads, not validated up front.
        body: Type.Object({ file: Type.String({ format: 'binary', description: "Open DroneLog's backup file (.db.backup)." }) }),
        response: { 200: OdlImportReport, 400: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
      },
      validatorCompiler: () => () => true,
    },
    async (request) => opts.serviceFor(request).importBackup(await upload(request)),
  );
};

export default odlImportRoutes;
