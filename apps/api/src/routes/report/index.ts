import { ErrorResponse, ReportQuery, ReportTotals, ReportTotalsQuery } from '@dronelog/contracts';
import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import { REPORT_CSP } from '../../services/report-html.js';

const badRequest = { 400: { ...ErrorResponse, description: 'The request is invalid; `message` says what to change.' } };

/** The printable logbook report and its totals card. */
const reportRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  fastify.get(
    '/report',
    {
      schema: {
        tags: ['report'],
        summary: 'Printable logbook (standalone A4 HTML): flights by local day with subtotals, grand total, period totals, currency',
        description:
          'Follows the list filters. Inline CSS only (no scripts, no external resources), so it prints or saves as PDF from any browser. ' +
          'Period totals and the currency check end now and ignore from/to.',
        querystring: ReportQuery,
        response: {
          200: { description: 'HTML page.', content: { 'text/html': { schema: { type: 'string' } } } },
          ...badRequest,
        },
      },
    },
    async (request, reply) => {
      const f = await request.profile.services.logbookReport.report(request.query);
      return reply
        .type(f.contentType)
        .header('content-disposition', `inline; filename="${f.fileName}"`)
        .header('content-security-policy', REPORT_CSP)
        .send(f.stream);
    },
  );

  fastify.get(
    '/report/totals',
    {
      schema: {
        tags: ['report'],
        summary: 'Totals for a "totals" card: last 30/90/365 days and all time, currency check',
        description: ReportTotals.description,
        querystring: ReportTotalsQuery,
        response: { 200: ReportTotals, ...badRequest },
      },
    },
    async (request) => request.profile.services.logbookReport.totals(request.query),
  );
};

export default reportRoutes;
