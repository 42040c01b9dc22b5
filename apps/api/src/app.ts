import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config/config.js';
import { DomainError } from './errors.js';
import databasePlugin from './plugins/database.js';
import metricsPlugin from './plugins/metrics.js';
import observabilityPlugin from './plugins/observability.js';
import profilesPlugin from './plugins/profiles.js';
import profileRoutes from './routes/profiles/profiles.routes.js';
import securityPlugin from './plugins/security.js';
import swaggerPlugin from './plugins/swagger.js';
import webPlugin from './plugins/web.js';
import healthRoutes from './routes/health/health.routes.js';
import clientConfigRoutes from './routes/health/client-config.routes.js';

export interface AppOptions {
  config: Config;
}

/**
 * The whole application as one plugin: external plugins → app plugins → routes.
 * server.ts wraps it with a listening Fastify; tests register it on a fresh instance and use inject().
 */
const app: FastifyPluginAsync<AppOptions> = async (fastify, opts) => {
  fastify.decorate('config', opts.config);

  fastify.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof DomainError) {
      if (err.retryAfterS !== undefined) void reply.header('retry-after', String(err.retryAfterS));
      return reply.status(err.statusCode).send({ error: err.code, message: err.message });
    }
    if (err.validation) {
      return reply.status(400).send({ error: 'invalid-request', message: err.message });
    }
    // A cut-off or malformed multipart body (client hung up mid-upload, broken client): the client's fault, not ours.
    if (!err.statusCode && /@fastify[\\/]busboy/.test(err.stack ?? '')) {
      return reply.status(400).send({ error: 'malformed-upload', message: `The upload could not be read (${err.message}). Send it again.` });
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status < 500) {
      return reply.status(status).send({ error: err.code ?? 'bad-request', message: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    // Never leak internals in 5xx bodies.
    return reply.status(status).send({ error: 'internal', message: 'Something went wrong on the server. The details are in its log.' });
  });

  // First: its hooks (host check, headers/CSP, cross-site check, load shedding, rate limits) cover every route.
  await fastify.register(securityPlugin);
  await fastify.register(swaggerPlugin);
  await fastify.register(databasePlugin);
  // Before any route, so their hooks (request id header, HTTP metrics) cover every request.
  await fastify.register(observabilityPlugin);
  if (opts.config.metricsEnabled) await fastify.register(metricsPlugin);
  await fastify.register(profilesPlugin);
  await fastify.register(healthRoutes);
  await fastify.register(clientConfigRoutes);
  await fastify.register(import('./routes/basemap/index.js'));
  await fastify.register(profileRoutes, { prefix: '/api/v1' });
  // Open DroneLog's uploader API (off by default): outside the logbook scope, it resolves its profile from X-Session / X-Profile.
  if (opts.config.odlCompatApi) await fastify.register(import('./routes/odl-compat/index.js'));
  // Every logbook route reads and writes one profile's data: the hook resolves it (or answers 401) before any body is read.
  await fastify.register(async (logbook) => {
    logbook.addHook('onRequest', fastify.requireProfile);
    await logbook.register(import('./routes/flights/index.js'), { prefix: '/api/v1' });
    await logbook.register(import('./routes/flight-records/index.js'), { prefix: '/api/v1' });
    await logbook.register(import('./routes/overview/index.js'), { prefix: '/api/v1' });
    await logbook.register(import('./routes/equipment/index.js'), { prefix: '/api/v1' });
    await logbook.register(import('./routes/exports/index.js'), { prefix: '/api/v1' });
    await logbook.register(import('./routes/report/index.js'), { prefix: '/api/v1' });
    await logbook.register(import('./routes/imports/index.js'));
    await logbook.register(import('./routes/sync/index.js'));
    await logbook.register(import('./routes/backup/index.js'));
    await logbook.register(import('./routes/odl-import/index.js'));
  });
  if (opts.config.metricsEnabled) await fastify.register(import('./routes/metrics/metrics.routes.js'));
  await fastify.register(webPlugin);
};

export default fp(app, { name: 'dronelog-app' });

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export type App = FastifyInstance;
