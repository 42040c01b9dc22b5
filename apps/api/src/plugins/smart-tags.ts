import fp from 'fastify-plugin';
import { SettingsRepository } from '../repositories/settings.repository.js';
import { SmartTagRepository } from '../repositories/smart-tag.repository.js';
import { SmartTagService } from '../services/smart-tag.service.js';

/**
 * Smart tags: settings (in the `settings` table) and the service the importer and the tag routes use.
 * On start, fills the local take-off time of flights imported before it was recorded (an offline time-zone
 * lookup per flight; nothing to do on later starts).
 */
export default fp(
  async (fastify) => {
    const service = new SmartTagService(new SettingsRepository(fastify.db), new SmartTagRepository(fastify.db));
    const filled = await service.backfillLocalTimes();
    if (filled > 0) fastify.log.info({ flights: filled }, 'local take-off times filled for older flights');
    fastify.decorate('smartTags', service);
  },
  { name: 'smart-tags', dependencies: ['database'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    smartTags: SmartTagService;
  }
}
