import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ImportUploadResponse } from '@dronelog/contracts';
import { DemoDataService } from '../../services/demo-data.service.js';

/** POST /api/v1/demo: fills an empty logbook with synthetic demo flights (the empty state's button). */
const demoRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const demo = new DemoDataService(fastify.flightImport);
  fastify.post(
    '/demo',
    {
      schema: {
        tags: ['imports'],
        summary: 'Import a small set of synthetic demo flights (idempotent)',
        response: { 200: ImportUploadResponse },
      },
    },
    async () => ({ results: await demo.load() }),
  );
};

export default demoRoutes;
