import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';

/** GET /metrics: Prometheus text exposition of this app's registry (plugins/metrics.ts). */
const metricsRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  const registry = fastify.metrics.registry;
  fastify.get(
    '/metrics',
    {
      // Scraped every few seconds: only problems are worth a log line.
      logLevel: 'warn',
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics',
        description: 'Imports, parse durations, keychain cache, sync runs, backups, DuckDB file size, flights, HTTP and process metrics.',
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
};

export default metricsRoutes;
