import { ErrorResponse, OverviewQuery, OverviewResponse } from '@dronelog/contracts';
import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';

/** GET /overview: the dashboard in one answer, following the list filters. */
const overviewRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  fastify.get(
    '/overview',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Overview dashboard: totals, records, activity, breakdowns, take-off points, top flights',
        description: OverviewResponse.description,
        querystring: OverviewQuery,
        response: { 200: OverviewResponse, 400: { ...ErrorResponse, description: 'A filter is invalid; `message` says which.' } },
      },
    },
    async (request) => request.profile.services.overview.overview(request.query),
  );
};

export default overviewRoutes;
