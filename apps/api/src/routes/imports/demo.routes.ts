import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ImportUploadResponse } from '@dronelog/contracts';
import { DemoDataService } from '../../services/demo-data.service.js';

/** POST /api/v1/demo: fills an empty logbook with synthetic demo flights (the empty state's button). */
const demoRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  // Per request: the demo flights go into the current profile.
  fastify.post(
    '/demo',
    {
      schema: {
        tags: ['imports'],
        summary: 'Import a small set of synthetic demo flights (idempotent)',
        response: { 200: ImportUploadResponse },
      },
    },
    async (request) => ({ results: await new DemoDataService(request.profile.services.flightImport).load() }),
  );
};

export default demoRoutes;
