import fp from 'fastify-plugin';
import { Database } from '../db/database.js';

/** Opens the one DuckDB instance (running migrations) and closes it when the app closes. */
export default fp(
  async (fastify) => {
    const db = await Database.open(fastify.config.databaseFile, { memoryLimit: `${fastify.config.duckdbMemoryLimitMb}MB` });
    fastify.decorate('db', db);
    fastify.addHook('onClose', async () => {
      await db.close();
    });
  },
  { name: 'database' },
);

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}
