import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { UploadPart } from '../services/flight-import.service.js';

/** The multipart parser's error classes (`request.server.multipartErrors`), for `mapError`. */
export type MultipartErrors = FastifyRequest['server']['multipartErrors'];

/**
 * The file parts of a multipart request as plain streams (other parts are skipped); `onFile` sees each stream as it
 * starts (a route that must tell a broken body apart later). What the parser throws goes through `mapError`, which
 * returns the error to throw instead: each API answers the parser's limits and malformed bodies in its own words.
 */
export async function* multipartFiles(
  request: FastifyRequest,
  mapError: (err: unknown, errors: MultipartErrors) => unknown,
  onFile?: (file: Readable) => void,
): AsyncGenerator<UploadPart> {
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      const file = part.file;
      onFile?.(file);
      yield {
        fileName: part.filename,
        stream: file,
        get truncated() {
          return file.truncated;
        },
      };
    }
  } catch (err) {
    throw mapError(err, request.server.multipartErrors);
  }
}
