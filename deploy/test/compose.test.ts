import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { deployDir, type Json, loadTerraform, moduleDir, Resolver } from './terraform-helpers.js';

const composeDir = path.join(deployDir, 'compose');
const compose: Json = parseYaml(fs.readFileSync(path.join(composeDir, 'compose.yaml'), 'utf8'));
const svc: Json = compose.services?.dronelog;

let tf: Resolver;
beforeAll(async () => {
  tf = new Resolver((await loadTerraform()).get(moduleDir)!.doc);
});

/** Long- or short-syntax volume entries as { type, source, target, read_only }. */
function volumes(): { type: string; source: string; target: string; read_only: boolean }[] {
  return (svc.volumes as Json[]).map((v) => {
    if (typeof v !== 'string') return { type: v.type, source: v.source, target: v.target, read_only: v.read_only === true };
    const [source, target, mode] = v.split(':') as [string, string, string | undefined];
    const type = source.startsWith('.') || source.startsWith('/') || source.startsWith('$') ? 'bind' : 'volume';
    return { type, source, target, read_only: mode === 'ro' };
  });
}

describe('deploy/compose/compose.yaml', () => {
  it('parses and defines the dronelog service from the image', () => {
    expect(svc).toBeDefined();
    expect(svc.image).toMatch(/dronelog/);
    expect(svc.restart).toBe('unless-stopped');
  });

  it('uses the same environment as the Kubernetes deployment', () => {
    const env = svc.environment as Record<string, string>;
    expect(env.DATA_DIR).toBe(tf.variable('data_path'));
    expect(env.SYNC_LOGS_PATH).toBe(tf.variable('sync_logs_mount_path'));
    expect(env.SYNC_INTERVAL).toBe(tf.variable('sync_interval'));
    expect(env.KEEP_UPLOADED_FILES).toBe(String(tf.variable('keep_uploaded_files')));
    expect(env.PORT).toBe(String(tf.variable('container_port')));
    expect(env).toHaveProperty('PROFILE_CREATION_PASS');
    expect(env).toHaveProperty('DJI_API_KEY');
  });

  it('passes the profile, session and proxy settings with the same defaults as the Kubernetes deployment', () => {
    const env = svc.environment as Record<string, string>;
    // Compose interpolation: ${NAME:-default} reads .env, else the default.
    const fromEnvFile = (name: string) => {
      const m = /^\$\{([A-Z0-9_]+)(?::-(.*))?\}$/.exec(env[name] ?? '');
      expect(m?.[1], name).toBe(name);
      return m![2];
    };
    expect(fromEnvFile('SESSION_TTL_HOURS')).toBe(String(tf.variable('session_ttl_hours')));
    expect(fromEnvFile('LOGIN_MAX_FAILURES')).toBe(String(tf.variable('login_max_failures')));
    expect(fromEnvFile('LOGIN_LOCKOUT_S')).toBe(String(tf.variable('login_lockout_seconds')));
    // Off unless set: a single host has no proxy or host name the file could know.
    for (const name of ['DEFAULT_PROFILE_PASSWORD', 'ALLOWED_HOSTS', 'TRUST_PROXY', 'TRUST_PROXY_AUTH_HEADER']) {
      expect(fromEnvFile(name), name).toBe('');
    }
    expect(env.PROFILE_CREATION_PASS).toMatch(/^\$\{PROFILE_CREATION_PASS:\?/);
  });

  it('sets every variable the Kubernetes pod sets', async () => {
    const { parse } = await import('@cdktf/hcl2json');
    const main = await parse('main.tf', fs.readFileSync(path.join(moduleDir, 'main.tf'), 'utf8'));
    const container = main.resource.kubernetes_deployment.app[0].spec[0].template[0].spec[0].container[0];
    const names = (container.env as Json[]).map((e) => e.name as string);
    expect(names.length).toBeGreaterThan(10);
    expect(Object.keys(svc.environment).sort()).toEqual([...names].sort());
  });

  it('documents a commented example for each proxy and identity setting in .env.example', () => {
    const example = fs.readFileSync(path.join(composeDir, '.env.example'), 'utf8');
    expect(example).toMatch(/^# TRUST_PROXY=\S+/m);
    expect(example).toMatch(/^# TRUST_PROXY_AUTH_HEADER=X-authentik-username$/m);
    expect(example).toMatch(/^# ALLOWED_HOSTS=\S*127\.0\.0\.1/m);
    expect(example).toMatch(/^# DEFAULT_PROFILE_PASSWORD=\S+/m);
    // The live lines stay empty: off until the operator fills them in.
    for (const name of ['TRUST_PROXY', 'TRUST_PROXY_AUTH_HEADER', 'ALLOWED_HOSTS', 'DEFAULT_PROFILE_PASSWORD']) {
      expect(example, name).toMatch(new RegExp(`^${name}=$`, 'm'));
    }
  });

  it('keeps data in a named volume at /data/drone-logbook', () => {
    const data = volumes().find((v) => v.target === '/data/drone-logbook');
    expect(data?.type).toBe('volume');
    expect(compose.volumes).toHaveProperty(data!.source);
  });

  it('bind-mounts the sync folder read-only at /sync-logs', () => {
    const sync = volumes().find((v) => v.target === '/sync-logs');
    expect(sync).toMatchObject({ type: 'bind', read_only: true });
  });

  it('is hardened like the pod: user 10001, read-only root with tmpfs /tmp, no capabilities', () => {
    expect(svc.user).toBe('10001:10001');
    expect(svc.read_only).toBe(true);
    expect((svc.tmpfs as string[]).some((t) => t.split(':')[0] === '/tmp')).toBe(true);
    expect(svc.cap_drop).toEqual(['ALL']);
    expect(svc.security_opt).toContain('no-new-privileges:true');
  });

  it('publishes port 8080 and health-checks /healthz with node', () => {
    expect((svc.ports as string[]).some((p) => p.endsWith(':8080'))).toBe(true);
    const test = (svc.healthcheck.test as string[]).join(' ');
    expect(test).toMatch(/^CMD node -e .*\/healthz/);
  });

  it('ships a .env.example with every variable the file uses', () => {
    const example = fs.readFileSync(path.join(composeDir, '.env.example'), 'utf8');
    const defined = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const used = new Set([...fs.readFileSync(path.join(composeDir, 'compose.yaml'), 'utf8').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
    expect([...used].filter((u) => !defined.has(u))).toEqual([]);
  });
});
