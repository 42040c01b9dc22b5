import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ClientConfig, type BasemapConfig } from '@dronelog/contracts';
import { BASEMAP_STYLE_PATH } from '../../services/basemap.service.js';

/** GET /api/v1/config: the non-secret settings the web app adapts to (basemap, key present, limits). */
const clientConfig: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/v1/config',
    { schema: { tags: ['config'], summary: 'Non-secret server settings for the web app', response: { 200: ClientConfig } } },
    async () => {
      const c = fastify.config;
      // Config refuses both at once; a third-party style is used only when explicitly configured.
      const basemap: BasemapConfig = c.mapPmtilesPath
        ? { kind: 'pmtiles', styleUrl: BASEMAP_STYLE_PATH }
        : c.security.mapStyleUrl
          ? { kind: 'style', styleUrl: c.security.mapStyleUrl }
          : { kind: 'none', styleUrl: null };
      return {
        mapStyleUrl: c.security.mapStyleUrl,
        basemap,
        djiKeyConfigured: c.djiApiKey !== null,
        syncEnabled: c.sync !== null,
        maxUploadBytes: c.maxUploadBytes,
      };
    },
  );
};

export default clientConfig;
