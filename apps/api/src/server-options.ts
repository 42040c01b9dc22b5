import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config/config.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A request id a proxy or client may hand us: a short token of safe characters (UUIDs, trace ids, hex). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Honours a safe incoming `x-request-id`, otherwise makes one; echoed back by the observability plugin. */
export function requestId(req: IncomingMessage): string {
  const raw = req.headers[REQUEST_ID_HEADER];
  const given = Array.isArray(raw) ? raw[0] : raw;
  return given !== undefined && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Secrets that must never reach a log line, wherever a header object or config gets logged: the DJI key is sent
 * as `Api-Key`, and a reverse proxy may forward credentials. (Fastify's request serializer logs no headers;
 * this covers anything that logs them explicitly.)
 */
export const REDACT_PATHS = [
  'req.headers["api-key"]',
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers["api-key"]',
  'headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  'apiKey',
  'djiApiKey',
  'config.djiApiKey',
];

/**
 * Options of the listening server (server.ts; tests that check logging use them too): JSON logs from pino with
 * the request id as `reqId` on every line of a request, and secrets redacted.
 */
export function serverOptions(config: Pick<Config, 'logLevel'>, extra: { stream?: NodeJS.WritableStream } = {}): FastifyServerOptions {
  return {
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      ...(extra.stream ? { stream: extra.stream } : {}),
    },
    bodyLimit: 1024 * 1024,
    // genReqId decides (header or new id); Fastify's own header handling would take any value as is.
    requestIdHeader: false,
    genReqId: requestId,
    requestIdLogLabel: 'reqId',
    disableRequestLogging: false,
  };
}
