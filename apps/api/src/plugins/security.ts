import fs from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest, FastifyServerOptions, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config/config.js';
import { DomainError } from '../errors.js';
import {
  appCsp,
  checkCrossSite,
  docsCsp,
  hostAllowed,
  inlineScriptHashes,
  limiterFor,
  mapOrigin,
  STATE_CHANGING_METHODS,
  type CspDirectives,
  type LimiterName,
} from './security-policy.js';

/** JSON bodies: 1 MiB. Uploads are multipart and have their own limits (MAX_UPLOAD_MB, MAX_FILES_PER_REQUEST). */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Where the swagger UI lives; it gets its own, relaxed CSP. */
const DOCS_PREFIX = '/api/docs';

/** Probes and scrapes: never shed, never host-checked (kubelets and Prometheus call them by pod IP). */
const PROBE = /^\/(?:healthz|readyz|metrics)(?:[/?]|$)/;

/**
 * Server-level options that belong to hardening (server.ts spreads them into Fastify's options; the security
 * tests use them too): the JSON body limit, request/socket time limits, and the proxy trust that decides the
 * client IP (rate limits) and the protocol (HSTS).
 */
export function securityServerOptions(config: Pick<Config, 'security'>): Pick<
  FastifyServerOptions,
  'bodyLimit' | 'trustProxy' | 'requestTimeout' | 'connectionTimeout' | 'return503OnClosing'
> {
  const s = config.security;
  return {
    bodyLimit: JSON_BODY_LIMIT,
    // A hop count becomes the equivalent function (Fastify's types take no number): trust the first n hops.
    trustProxy: typeof s.trustProxy === 'number' ? trustHops(s.trustProxy) : s.trustProxy,
    // Time to receive one whole request (headers and body): long enough for a big upload or restore over a slow link.
    requestTimeout: s.requestTimeoutMs,
    // Socket idle limit: an upload batch may be processed for minutes after its last byte before the answer goes out.
    connectionTimeout: s.requestTimeoutMs,
    return503OnClosing: true,
  };
}

function trustHops(n: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < n;
}

/** 403 for a state-changing request from another site (see checkCrossSite). */
export class CrossSiteRequestError extends DomainError {
  constructor(message: string) {
    super(403, 'cross-site-request', message);
  }
}

/**
 * A further check of state-changing requests that passed the origin check: where the session engineer's
 * token check (e.g. @fastify/csrf-protection's `fastify.csrfProtection`, wrapped) plugs in once cookie sessions
 * exist. Throw (a DomainError) or send a reply to refuse.
 */
export type StateChangeCheck = (request: FastifyRequest, reply: FastifyReply) => void | Promise<void>;

export interface CsrfGuard {
  /** Adds a check run after the origin check, for every POST/PUT/PATCH/DELETE, in the order added. */
  addCheck(check: StateChangeCheck): void;
}

type Limiters = Record<LimiterName, onRequestHookHandler>;

/** The web app's inline script hashes, from every .html file of the build (SvelteKit writes two into 200.html). */
async function webInlineScriptHashes(webDir: string | null): Promise<string[]> {
  if (!webDir) return [];
  const hashes = new Set<string>();
  let entries;
  try {
    entries = await fs.readdir(webDir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.html')) continue;
    const html = await fs.readFile(path.join(e.parentPath, e.name), 'utf8');
    for (const h of inlineScriptHashes(html)) hashes.add(h);
  }
  return [...hashes].sort();
}

function helmetCsp(directives: CspDirectives) {
  // useDefaults: false — exactly the directives written in security-policy.ts, nothing helmet adds on its own.
  return { useDefaults: false, directives };
}

/**
 * Web hardening, registered before every other app plugin so its hooks cover all routes (docs/security.md):
 * Host allow-list, security headers and CSP (helmet; /api/docs relaxed), HSTS behind https, CORS for
 * allow-listed origins only, the cross-site check on every state-changing request, load shedding
 * (under-pressure) and rate limits on the expensive routes (plus a named `auth` limiter for login routes).
 */
export default fp(
  async (fastify) => {
    const config = fastify.config;
    const s = config.security;

    // 1. Security headers. HSTS is ours (below), only for requests that really came over https.
    const scriptHashes = await webInlineScriptHashes(config.webDir);
    const https = s.trustProxy !== false;
    await fastify.register(helmet, {
      global: true,
      contentSecurityPolicy: helmetCsp(appCsp({ scriptHashes, mapOrigin: mapOrigin(s.mapStyleUrl), upgradeInsecure: false })),
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
      xFrameOptions: { action: 'deny' },
      xContentTypeOptions: true,
      xPoweredBy: true,
    });
    if (https) {
      fastify.addHook('onRequest', async (request, reply) => {
        if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
      });
    }
    // swagger-ui needs inline styles and data: images: its routes get their own policy (set before they register).
    fastify.addHook('onRoute', (route) => {
      if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`)) {
        route.config = { ...(route.config ?? {}), helmet: { contentSecurityPolicy: helmetCsp(docsCsp()) } } as typeof route.config;
      }
    });

    // 2. Host allow-list (DNS rebinding: a hostile name that resolves to this server would otherwise be "same
    //    origin"). After helmet, so a refusal carries the security headers too.
    if (s.allowedHosts.length > 0) {
      fastify.addHook('onRequest', async (request, reply) => {
        if (PROBE.test(request.url) || hostAllowed(request.host, s.allowedHosts)) return;
        return reply.status(421).send({
          error: 'unknown-host',
          message: `This server does not answer to the host name "${String(request.host ?? '').slice(0, 100)}". Add it to ALLOWED_HOSTS if it is yours.`,
        });
      });
    }

    // 3. CORS: none at all unless origins are allow-listed; then exactly those, without credentials.
    const allowedOrigins = new Set(s.corsAllowedOrigins);
    if (allowedOrigins.size > 0) {
      await fastify.register(cors, {
        origin: [...allowedOrigins],
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        credentials: false,
        maxAge: 600,
      });
    }

    // 4. Cross-site request check (CSRF) on every state-changing request, before its body is read.
    const checks: StateChangeCheck[] = [];
    fastify.decorate('csrfGuard', { addCheck: (check: StateChangeCheck) => void checks.push(check) } satisfies CsrfGuard);
    fastify.addHook('onRequest', async (request, reply) => {
      if (!STATE_CHANGING_METHODS.has(request.method)) return;
      const verdict = checkCrossSite(
        {
          method: request.method,
          secFetchSite: header(request, 'sec-fetch-site'),
          origin: header(request, 'origin'),
          host: request.host,
        },
        allowedOrigins,
      );
      if (!verdict.ok) {
        request.log.warn({ origin: header(request, 'origin'), secFetchSite: header(request, 'sec-fetch-site') }, 'cross-site request refused');
        throw new CrossSiteRequestError(verdict.reason);
      }
      for (const check of checks) {
        await check(request, reply);
        if (reply.sent) return;
      }
    });

    // 5. Load shedding: 503 + Retry-After while the event loop lags or the heap is nearly full; probes still answer.
    const heapLimit = v8.getHeapStatistics().heap_size_limit;
    const retryAfterS = 10;
    const shed = (request: FastifyRequest, reply: FastifyReply, type: string): object | undefined => {
      if (PROBE.test(request.url)) return undefined;
      request.log.warn({ type }, 'under pressure: request shed');
      reply.status(503).header('retry-after', String(retryAfterS));
      return { error: 'overloaded', message: `The server is busy right now; try again in ${retryAfterS} s.` };
    };
    await fastify.register(underPressure, {
      maxEventLoopDelay: s.maxEventLoopDelayMs,
      maxHeapUsedBytes: s.maxHeapUsedBytes === null ? Math.floor(heapLimit * 0.9) : s.maxHeapUsedBytes,
      retryAfter: retryAfterS,
      // under-pressure sends what the handler returns (its types say void); undefined lets the request go on.
      pressureHandler: shed as unknown as (request: FastifyRequest, reply: FastifyReply, type: string) => void,
    });

    // 6. Rate limits: named limiters (per client IP; TRUST_PROXY decides what the client IP is).
    await fastify.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, ctx) =>
        new DomainError(429, 'rate-limited', `Too many requests: at most ${ctx.max} per minute here. Try again in ${ctx.after}.`),
    });
    const limiter = (max: number): onRequestHookHandler =>
      max > 0 ? (fastify.rateLimit({ max, timeWindow: 60_000 }) as onRequestHookHandler) : async () => undefined;
    const limiters: Limiters = {
      imports: limiter(s.rateLimits.imports),
      backup: limiter(s.rateLimits.backup),
      exports: limiter(s.rateLimits.exports),
      auth: limiter(s.rateLimits.auth),
    };
    fastify.decorate('rateLimits', limiters);
    fastify.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const name = methods.map((m) => limiterFor(m, route.url)).find((n) => n !== null);
      if (!name || s.rateLimits[name] === 0) return;
      const existing = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
      route.onRequest = [limiters[name], ...existing];
    });
  },
  { name: 'security' },
);

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Named rate limiters (onRequest hooks): `auth` is for login routes, e.g. `{ onRequest: fastify.rateLimits.auth }`. */
    rateLimits: Limiters;
    /** Where a token check of state-changing requests plugs in once cookie sessions exist. */
    csrfGuard: CsrfGuard;
  }
}
