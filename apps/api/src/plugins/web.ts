import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

/**
 * Serves the built SvelteKit app (adapter-static) from the same port as the API.
 * Unknown non-API paths get the SPA fallback page so client-side routes survive a reload.
 */
export default fp(
  async (fastify) => {
    const webDir = fastify.config.webDir;
    const fallbackFile = webDir ? ['200.html', 'index.html'].map((f) => path.join(webDir, f)).find((f) => fs.existsSync(f)) : undefined;
    // The SPA shell is small: read it once and send it as a string (no stream per request).
    const fallback = fallbackFile ? fs.readFileSync(fallbackFile, 'utf8') : undefined;
    if (webDir && fs.existsSync(webDir)) {
      await fastify.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
    } else if (webDir) {
      fastify.log.warn({ webDir }, 'web app not built: only the API is served');
    }
    fastify.setNotFoundHandler((request, reply) => {
      const url = request.url;
      const isApi = url.startsWith('/api/') || url === '/api' || url.startsWith('/healthz') || url.startsWith('/readyz') || url.startsWith('/metrics');
      // A missing build asset is a real 404, never the HTML shell (which would break as a script).
      const isAsset = url.startsWith('/_app/');
      if (!isApi && !isAsset && (request.method === 'GET' || request.method === 'HEAD') && fallback !== undefined) {
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(fallback);
      }
      return reply.status(404).send({ error: 'not-found', message: `No route for ${request.method} ${url.split('?')[0]}` });
    });
  },
  { name: 'web', dependencies: ['database'] },
);
