import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import {
  ErrorResponse,
  IdParams,
  ImportEntry,
  ImportList,
  ImportListQuery,
  ImportRetryResponse,
  ImportUploadResponse,
} from '@dronelog/contracts';
import { InvalidError } from '../../errors.js';
import type { UploadPart } from '../../services/flight-import.service.js';
import { multipartFiles } from '../multipart-files.js';

/** Upload parts; the multipart parser's own limit errors become domain errors. */
function uploadParts(request: FastifyRequest, tooMany: () => Error): AsyncGenerator<UploadPart> {
  return multipartFiles(request, (err, errors) => {
    if (err instanceof errors.FilesLimitError || err instanceof errors.PartsLimitError) return tooMany();
    if (err instanceof errors.InvalidMultipartContentTypeError) return new InvalidError('Send the log files as multipart/form-data.', 'not-multipart');
    return err;
  });
}

/** The import ledger and uploads: thin handlers over FlightImportService. */
const importRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const config = fastify.config;
  // Scoped to these routes. Over-size files are detected via `file.truncated` (the service refuses them with
  // 413 naming the file); the plugin's own throw would only surface after the stream was consumed.
  await fastify.register(multipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: config.maxUploadBytes,
      files: config.maxFilesPerRequest,
      parts: config.maxFilesPerRequest + 20,
      fields: 20,
      fieldSize: 64 * 1024,
      headerPairs: 100,
    },
  });


  fastify.post(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'Upload flight logs',
        description:
          'multipart/form-data with one or more file fields (any field name). Each file is streamed to disk, hashed and ' +
          'imported; the answer lists one result per file (imported, duplicate, failed or awaiting-key). A file over ' +
          'MAX_UPLOAD_MB or more than MAX_FILES_PER_REQUEST files refuse the whole request with 413 and store nothing.',
        consumes: ['multipart/form-data'],
        // For the OpenAPI document only: the multipart stream is read by the handler, not validated up front.
        body: Type.Object({
          file: Type.Array(Type.String({ format: 'binary' }), { description: 'One or more DJI flight logs (any field name works).' }),
        }),
        response: { 200: ImportUploadResponse, 400: ErrorResponse, 413: ErrorResponse },
      },
      validatorCompiler: () => () => true,
    },
    async (request) => {
      const service = request.profile.services.flightImport;
      return { results: await service.importUploads(uploadParts(request, () => service.tooManyFilesError())) };
    },
  );

  fastify.get(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'The import ledger, newest first',
        querystring: ImportListQuery,
        response: { 200: ImportList, 400: ErrorResponse },
      },
    },
    async (request) => request.profile.services.flightImport.list(request.query),
  );

  fastify.post(
    '/imports/retry',
    {
      schema: {
        tags: ['imports'],
        summary: 'Retry awaiting-key and retryable failed imports',
        description: 'Re-imports every awaiting-key entry and every failed entry marked retryable from its kept original.',
        response: { 200: ImportRetryResponse },
      },
    },
    async (request) => ({ results: await request.profile.services.flightImport.retry() }),
  );

  fastify.get(
    '/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'One import ledger entry',
        params: IdParams,
        response: { 200: ImportEntry, 404: ErrorResponse },
      },
    },
    async (request) => request.profile.services.flightImport.get(request.params.id),
  );
};

export default importRoutes;
