import fp from 'fastify-plugin';
import { REQUEST_ID_HEADER } from '../server-options.js';

/**
 * Request ids and import log lines. Every answer carries the request id (`x-request-id`: the one the client sent
 * when it is a safe token, see server-options.ts). Every finished import logs one line with its import id,
 * sha256, source and outcome — never file contents or keys. Registered before the routes, so its hook covers them all.
 */
export default fp(
  async (fastify) => {
    // onSend, not onRequest: answers that an earlier hook gives (host check, rate limit, 404) carry it too.
    fastify.addHook('onSend', async (request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
    });
    const log = fastify.log.child({ component: 'import' });
    // The import pipeline is wired later by its feature plugin; attach once everything is loaded.
    fastify.addHook('onReady', async () => {
      if (!fastify.hasDecorator('profileRegistry')) return;
      fastify.profileRegistry.observeImports({
        settled: (e) =>
          log.info(
            { importId: e.importId, sha256: e.sha256, source: e.source, status: e.status, reasonCode: e.reasonCode, flightId: e.flightId },
            'import finished',
          ),
      });
    });
  },
  { name: 'observability' },
);
