import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import { ErrorResponse, SmartTagSettingsResponse, SmartTagSettingsUpdate, TagRegenerateResponse } from '@dronelog/contracts';
import { strictBodyValidator } from '../flights/strict-validator.js';

/** Smart-tag settings and regeneration: thin handlers over SmartTagService. */
const smartTagRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {

  fastify.get(
    '/settings/smart-tags',
    {
      schema: {
        tags: ['tags'],
        summary: 'Smart-tag settings: enabled types, night rule, thresholds (and the defaults)',
        response: { 200: SmartTagSettingsResponse },
      },
    },
    async (request) => request.profile.services.smartTags.getSettings(),
  );

  fastify.put(
    '/settings/smart-tags',
    {
      schema: {
        tags: ['tags'],
        summary: 'Change smart-tag settings',
        description:
          'Send any subset; the rest keeps its value. New imports use the result at once; existing flights are retagged by ' +
          'POST /api/v1/tags/regenerate.',
        body: SmartTagSettingsUpdate,
        response: { 200: SmartTagSettingsResponse, 400: ErrorResponse },
      },
      // Taken literally: no type coercion, unknown fields (a misspelt threshold) refused by name.
      validatorCompiler: strictBodyValidator,
    },
    async (request) => request.profile.services.smartTags.updateSettings(request.body),
  );

  fastify.post(
    '/tags/regenerate',
    {
      schema: {
        tags: ['tags'],
        summary: 'Recompute the auto tags of every flight with the current settings',
        description:
          'Uses the per-flight aggregates of the flights table (no telemetry scan). Switched-off types are removed, changed ' +
          'thresholds apply; manual tags are never touched.',
        response: { 200: TagRegenerateResponse },
      },
    },
    async (request) => request.profile.services.smartTags.regenerate(),
  );
};

export default smartTagRoutes;
