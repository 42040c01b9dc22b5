import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import app from '../src/app.js';
import { loadConfig, type Config } from '../src/config/config.js';
import { securityServerOptions } from '../src/plugins/security.js';
import type { ParseWorkerPool } from '../src/workers/parse-worker-pool.js';

export interface RouteInfo {
  method: string;
  url: string;
}

export interface SecureTestApp {
  app: FastifyInstance;
  config: Config;
  /** The temp folder that holds DATA_DIR (and nothing else), to prove no file lands outside DATA_DIR. */
  sandbox: string;
  dataDir: string;
  /** Every route the app registered (method + URL pattern). */
  routes: RouteInfo[];
  /** Base URL when started with `listen: true`. */
  url: string | null;
  close(): Promise<void>;
}

/**
 * Boots the real app like server.ts does (the security server options included: body limit, trust proxy,
 * timeouts) on a fresh DATA_DIR inside its own sandbox folder. `extend` may add test-only routes before ready.
 */
export async function buildSecureApp(
  env: Record<string, string> = {},
  opts: { listen?: boolean; extend?: (app: FastifyInstance) => void } = {},
): Promise<SecureTestApp> {
  const sandbox = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-sec-'));
  const dataDir = path.join(sandbox, 'data');
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', WEB_DIR: 'off', ...env });
  const instance = Fastify({ logger: { level: config.logLevel }, ...securityServerOptions(config) });
  const routes: RouteInfo[] = [];
  instance.addHook('onRoute', (r) => {
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) routes.push({ method: m, url: r.url });
  });
  await instance.register(app, { config });
  opts.extend?.(instance);
  await instance.ready();
  let url: string | null = null;
  if (opts.listen) {
    await instance.listen({ host: '127.0.0.1', port: 0 });
    const addr = instance.server.address();
    if (addr && typeof addr === 'object') url = `http://127.0.0.1:${addr.port}`;
  }
  return {
    app: instance,
    config,
    sandbox,
    dataDir,
    routes,
    url,
    async close() {
      await instance.close();
      await fs.rm(sandbox, { recursive: true, force: true });
    },
  };
}

/** The import service's worker pool (its `deps` is a TS-private field; tests look at it to prove no worker hangs). */
export function parserPool(app: FastifyInstance): ParseWorkerPool {
  return (app.flightImport as unknown as { deps: { parser: ParseWorkerPool } }).deps.parser;
}

/** A hand-written multipart body: the file name goes out byte for byte (FormData would escape it). */
export function rawMultipart(files: Array<{ filenameParam: string; bytes: Uint8Array }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----dronelog${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${f.filenameParam}\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
      Buffer.from(f.bytes),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Every file below `dir` (relative paths, sorted). */
export async function filesBelow(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => !e.isDirectory())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      .sort();
  } catch {
    return [];
  }
}

/** A minimal "built web app": one page with an inline script, like SvelteKit's 200.html. */
export async function fakeWebBuild(sandbox: string): Promise<{ dir: string; inlineScript: string }> {
  const dir = path.join(sandbox, 'web');
  await fs.mkdir(dir, { recursive: true });
  const inlineScript = "\n      document.documentElement.dataset.theme = 'dark';\n    ";
  await fs.writeFile(
    path.join(dir, '200.html'),
    `<!doctype html><html><head><script>${inlineScript}</script><script type="application/json">{"x":1}</script></head>` +
      `<body><script src="/_app/start.js"></script></body></html>`,
  );
  return { dir, inlineScript };
}
