import Fastify from 'fastify';
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from './config/config.js';
import app from './app.js';
import { serverOptions } from './server-options.js';
import { securityServerOptions } from './plugins/security.js';

/** Process entry: read config, start listening, close everything (DuckDB, workers, cron) on signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`dronelog: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  // Secrets read once: parse workers and any child process would otherwise inherit them in their environment.
  delete process.env.PROFILE_CREATION_PASS;
  delete process.env.DEFAULT_PROFILE_PASSWORD;
  const server = Fastify({ ...serverOptions(config), ...securityServerOptions(config) });
  await server.register(app, { config });
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) server.log.error({ err }, 'shutting down after error');
    await server.close();
  });
  await server.listen({ host: config.host, port: config.port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
