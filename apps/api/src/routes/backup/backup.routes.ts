import multipart from '@fastify/multipart';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { BackupQuery, ErrorResponse, RestoreQuery, RestoreReport } from '@dronelog/contracts';
import { InvalidError, PayloadTooLargeError } from '../../errors.js';
import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';

const tags = ['backup'];
/** Raw archive bodies; handed to the service as the request stream (no buffering, no Fastify body limit). */
const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/x-tar', 'application/x-gtar', 'application/octet-stream'];
/** Room for multipart boundaries and headers around the archive. */
const MULTIPART_SLACK = 64 * 1024;

/** GET /backup and POST /backup/restore: thin handlers over BackupService. */
const backupRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  const maxBytes = fastify.config.maxRestoreBytes;

  await fastify.register(multipart, {
    // One file; the service enforces MAX_RESTORE_MB itself while streaming it to disk (413 naming the limit).
    throwFileSizeLimit: false,
    limits: { fileSize: maxBytes + 1, files: 1, parts: 10, fields: 8, fieldSize: 1024, headerPairs: 100 },
  });
  fastify.addContentTypeParser(ARCHIVE_TYPES, (_request, payload, done) => done(null, payload));

  fastify.get(
    '/backup',
    {
      // A HEAD would take a whole snapshot only to throw the archive away.
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: 'Download a consistent backup (.tar.gz)',
        description:
          'Streams a gzip-compressed tar: `manifest.json` (app and schema version, time, row count and SHA-256 of every file), ' +
          '`data/<table>.parquet` for every table (zstd), and with `originals=true` the kept original logs under ' +
          '`originals/<hh>/<sha256>`. All tables come from one read transaction, so the archive is consistent while ' +
          'imports continue. See docs/backup-restore.md.',
        querystring: BackupQuery,
        produces: ['application/gzip'],
        response: { 200: { description: 'The archive (application/gzip).', type: 'string', format: 'binary' }, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const backup = await request.profile.services.backups.create({ originals: request.query.originals ?? false });
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="${backup.fileName}"`)
        .header('cache-control', 'no-store')
        .header('x-dronelog-schema-version', String(backup.manifest.schemaVersion))
        .send(backup.stream);
    },
  );

  fastify.post(
    '/backup/restore',
    {
      schema: {
        tags,
        summary: 'Restore a backup (replace or merge)',
        description:
          'Send the .tar.gz from GET /api/v1/backup as the raw body (`Content-Type: application/gzip`) or as the one file ' +
          'of a multipart/form-data body; at most MAX_RESTORE_MB. The archive is checked (manifest, SHA-256 of every file, ' +
          'schema version: an older one is migrated, a newer one refused) and loaded in ONE transaction: on any error ' +
          'nothing changes. `replace` makes the logbook exactly the archive; `merge` adds only what is missing.',
        querystring: RestoreQuery,
        consumes: ['application/gzip', 'multipart/form-data'],
        response: { 200: RestoreReport, 400: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
        // No body schema: the body is a stream the handler reads.
      },
    },
    async (request) => request.profile.services.backups.restore(await archiveBody(request, maxBytes), request.query.mode),
  );
};

/** The archive stream: the raw body, or the first file of a multipart body. */
async function archiveBody(request: FastifyRequest, maxBytes: number): Promise<Readable> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_SLACK) {
    throw new PayloadTooLargeError(
      `The archive is larger than the restore limit of ${maxBytes / (1024 * 1024)} MB (MAX_RESTORE_MB); nothing was changed.`,
    );
  }
  if (request.isMultipart()) {
    const part = await request.file();
    if (!part) throw new InvalidError('The multipart body holds no file: send the backup archive as a file field.', 'no-file');
    return part.file;
  }
  const body = request.body as Readable | undefined;
  if (!body || typeof (body as Readable).pipe !== 'function') {
    throw new InvalidError(`Send the backup archive as the body with Content-Type: application/gzip, or as multipart/form-data.`, 'not-an-archive');
  }
  return body;
}

export default backupRoutes;
