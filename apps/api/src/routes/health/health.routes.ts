import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

const health: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  fastify.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: DuckDB open and migrations applied',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), schemaVersion: Type.Integer() }),
          503: Type.Object({ status: Type.Literal('not-ready'), message: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      try {
        const schemaVersion = await fastify.db.schemaVersion();
        return { status: 'ready' as const, schemaVersion };
      } catch (err) {
        // 5xx bodies never carry internals (a DuckDB message names files and tables): the log has them.
        request.log.error({ err }, 'readiness check failed');
        return reply.status(503).send({ status: 'not-ready' as const, message: 'The database is not available; the server log has the details.' });
      }
    },
  );
};

export default health;
