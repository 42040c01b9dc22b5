import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ClientConfig } from '@dronelog/contracts';

/** GET /api/v1/config: the non-secret settings the web app adapts to (basemap, key present, limits). */
const clientConfig: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/v1/config',
    { schema: { tags: ['config'], summary: 'Non-secret server settings for the web app', response: { 200: ClientConfig } } },
    async () => {
      const c = fastify.config;
      return {
        mapStyleUrl: c.security.mapStyleUrl,
        djiKeyConfigured: c.djiApiKey !== null,
        syncEnabled: c.sync !== null,
        maxUploadBytes: c.maxUploadBytes,
      };
    },
  );
};

export default clientConfig;
