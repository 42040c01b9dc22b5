import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import app from '../src/app.js';
import { loadConfig, type Config } from '../src/config/config.js';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  /** Closes the app (DuckDB included) and opens a new one on the same data dir. */
  restart(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/**
 * Boots the real app on a fresh temp data dir (a real DuckDB file), ready for inject().
 * `env` overrides environment variables exactly as a deployment would set them.
 */
export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WEB_DIR: 'off',
    // Load shedding and rate limits protect production; on a loaded 2-core CI machine they would shed
    // test requests at random. Tests of those features turn them on explicitly through `env`.
    LOAD_SHED_EVENT_LOOP_DELAY_MS: '0',
    LOAD_SHED_HEAP_MB: '0',
    RATE_LIMIT_IMPORTS: '0',
    RATE_LIMIT_BACKUP: '0',
    RATE_LIMIT_EXPORTS: '0',
    ...env,
  });
  const start = async () => {
    const instance = Fastify({ logger: { level: config.logLevel } });
    await instance.register(app, { config });
    await instance.ready();
    return instance;
  };
  const t: TestApp = {
    app: await start(),
    config,
    dataDir,
    async restart() {
      await t.app.close();
      t.app = await start();
      return t.app;
    },
    async close() {
      await t.app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
