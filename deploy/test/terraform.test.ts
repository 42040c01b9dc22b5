import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  clusterDir,
  importAppSource,
  type Json,
  listTfFiles,
  loadTerraform,
  moduleDir,
  one,
  Resolver,
  resource,
  resourcesOf,
  type TfModule,
} from './terraform-helpers.js';

let modules: Map<string, TfModule>;
let mod: Json;
let r: Resolver;

beforeAll(async () => {
  modules = await loadTerraform();
  mod = modules.get(moduleDir)!.doc;
  r = new Resolver(mod);
});

/** Pod spec, container and helpers of the app Deployment. */
function app() {
  const dep = resource(mod, 'kubernetes_deployment', 'app');
  const spec = one(dep, 'spec');
  const pod = one(one(spec, 'template'), 'spec');
  const container = one(pod, 'container');
  return { dep, spec, pod, container };
}

function backupPod() {
  const cj = resource(mod, 'kubernetes_cron_job_v1', 'backup');
  const spec = one(cj, 'spec');
  const pod = one(one(one(one(spec, 'job_template'), 'spec'), 'template'), 'spec');
  return { cj, spec, pod, container: one(pod, 'container') };
}

function envOf(container: Json): Map<string, Json> {
  return new Map((container.env as Json[]).map((e) => [e.name, e]));
}

/** ALLOWED_HOSTS as rendered with the defaults: var.allowed_hosts is null, so the computed list. */
function renderedAllowedHosts(): string[] {
  expect(r.local('allowed_hosts')).toBe('${var.allowed_hosts == null ? local.default_allowed_hosts : var.allowed_hosts}');
  expect(r.variable('allowed_hosts')).toBeNull();
  return r.resolve(r.local('default_allowed_hosts'));
}

/** The app container's plain (non-secret) environment with the defaults, every value resolved to a string. */
function renderedPlainEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, e] of envOf(app().container)) {
    if (e.value_from) continue;
    if (name === 'ALLOWED_HOSTS') {
      expect(e.value).toBe('${join(",", local.allowed_hosts)}');
      out[name] = renderedAllowedHosts().join(',');
      continue;
    }
    const v = r.resolve(e.value);
    expect(typeof v, name).toBe('string');
    expect(v, name).not.toContain('${');
    out[name] = v;
  }
  return out;
}

/** secret_key_ref of a secret env var, resolved. */
function secretRef(name: string): Json {
  const e = envOf(app().container).get(name);
  expect(e, name).toBeDefined();
  expect(e.value, `${name} must not be a plain value`).toBeUndefined();
  return r.resolve(one(one(e, 'value_from'), 'secret_key_ref'));
}

function expectHardened(pod: Json, container: Json) {
  expect(pod.automount_service_account_token).toBe(false);
  const psc = r.resolve(one(pod, 'security_context'));
  expect(psc.run_as_non_root).toBe(true);
  expect(psc.run_as_user).toBe(10001);
  expect(psc.run_as_group).toBe(10001);
  expect(psc.fs_group).toBe(10001);
  expect(one(psc, 'seccomp_profile').type).toBe('RuntimeDefault');
  const csc = r.resolve(one(container, 'security_context'));
  expect(csc.run_as_non_root).toBe(true);
  expect(csc.run_as_user).toBe(10001);
  expect(csc.read_only_root_filesystem).toBe(true);
  expect(csc.allow_privilege_escalation).toBe(false);
  expect(csc.privileged).toBe(false);
  expect(one(csc, 'capabilities').drop).toEqual(['ALL']);
  expect(one(csc, 'seccomp_profile').type).toBe('RuntimeDefault');
  // Read-only root: /tmp is an emptyDir.
  const tmpMount = (container.volume_mount as Json[]).find((m) => m.mount_path === '/tmp');
  expect(tmpMount).toBeDefined();
  const tmpVolume = (pod.volume as Json[]).find((v) => v.name === tmpMount.name);
  expect(tmpVolume.empty_dir).toBeDefined();
}

describe('terraform files', () => {
  it('parses every .tf file under deploy/terraform', () => {
    const files = listTfFiles();
    const parsed = [...modules.values()].flatMap((m) => m.files);
    expect(parsed).toEqual(files);
    expect(files.map((f) => path.relative(path.dirname(moduleDir), f))).toEqual(
      expect.arrayContaining(['drone-logbook/main.tf', 'drone-logbook/variables.tf', 'drone-logbook/outputs.tf']),
    );
    expect(modules.has(clusterDir)).toBe(true);
  });

  it('uses the kubernetes provider only (hashicorp/kubernetes 2.x), no helm', () => {
    for (const { doc, dir } of modules.values()) {
      const providers = (doc.terraform ?? []).flatMap((t: Json) => t.required_providers ?? []);
      expect(providers.length, dir).toBeGreaterThan(0);
      for (const p of providers) {
        expect(Object.keys(p), dir).toEqual(['kubernetes']);
        expect(p.kubernetes.source).toBe('hashicorp/kubernetes');
        expect(p.kubernetes.version).toMatch(/(~>\s*2\.|>=\s*2\.[\d.]+,\s*<\s*3)/);
      }
      const types = Object.keys(doc.resource ?? {});
      expect(types.every((t) => t.startsWith('kubernetes_')), dir).toBe(true);
      expect(JSON.stringify(doc)).not.toMatch(/helm_release|"helm"/);
    }
  });

  it('gives every module variable a default', () => {
    for (const [name, [v]] of Object.entries(mod.variable) as [string, Json[]][]) {
      expect(v, name).toHaveProperty('default');
    }
  });

  it('has a thin cluster root: provider + one call of the module with its defaults', () => {
    const root = modules.get(clusterDir)!.doc;
    expect(Object.keys(root.provider)).toEqual(['kubernetes']);
    const calls = Object.entries(root.module) as [string, Json[]][];
    expect(calls).toHaveLength(1);
    expect(calls[0]![1][0].source).toBe('../modules/drone-logbook');
    expect(root.resource).toBeUndefined();
    // The pod CIDR is the one cluster-specific setting: null keeps the module's default.
    expect(calls[0]![1][0].trust_proxy).toBe('${var.trust_proxy}');
    expect(root.variable.trust_proxy[0].default).toBeNull();
  });
});

describe('namespace and workload', () => {
  it('creates namespace drone-logbook with tier 4-aux and keel.sh/enrolled=true', () => {
    const ns = resource(mod, 'kubernetes_namespace', 'this');
    const meta = r.resolve(one(ns, 'metadata'));
    expect(meta.name).toBe('drone-logbook');
    expect(meta.labels).toEqual({ tier: '4-aux', 'keel.sh/enrolled': 'true' });
  });

  it('runs one replica with the Recreate strategy (single-writer DuckDB)', () => {
    const { spec } = app();
    expect(r.resolve(spec.replicas)).toBe(1);
    expect(r.resolve(one(spec, 'strategy').type)).toBe('Recreate');
    expect(mod.variable.replicas[0].validation[0].condition).toContain('var.replicas == 1');
    expect(mod.variable.deployment_strategy[0].validation[0].condition).toBe('${var.deployment_strategy == "Recreate"}');
  });

  it('requests 512Mi memory = limit, 25m cpu and sets no cpu limit', () => {
    const res = r.resolve(one(app().container, 'resources'));
    expect(res.requests.memory).toBe('512Mi');
    expect(res.limits.memory).toBe('512Mi');
    expect(res.requests.cpu).toBe('25m');
    expect(res.limits).not.toHaveProperty('cpu');
  });

  it('probes /healthz for liveness and /readyz for readiness on the http port', () => {
    const { container } = app();
    const port = one(container, 'port');
    expect(r.resolve(port.container_port)).toBe(8080);
    const live = r.resolve(one(one(container, 'liveness_probe'), 'http_get'));
    const ready = r.resolve(one(one(container, 'readiness_probe'), 'http_get'));
    expect(live).toMatchObject({ path: '/healthz', port: port.name });
    expect(ready).toMatchObject({ path: '/readyz', port: port.name });
  });

  it('sets the app environment', () => {
    const env = envOf(app().container);
    const plain = (n: string) => r.resolve(env.get(n)?.value);
    expect(plain('DATA_DIR')).toBe('/data/drone-logbook');
    expect(plain('SYNC_LOGS_PATH')).toBe('/sync-logs');
    expect(plain('SYNC_INTERVAL')).toBe('0 0 */8 * * *');
    expect(plain('KEEP_UPLOADED_FILES')).toBe('true');
    expect(plain('PORT')).toBe('8080');
    const pass = r.resolve(one(one(env.get('PROFILE_CREATION_PASS'), 'value_from'), 'secret_key_ref'));
    expect(pass).toEqual({ name: 'drone-logbook-secrets', key: 'profile_creation_pass', optional: false });
    const dji = r.resolve(one(one(env.get('DJI_API_KEY'), 'value_from'), 'secret_key_ref'));
    expect(dji).toEqual({ name: 'drone-logbook-secrets', key: 'dji_api_key', optional: true });
  });

  it('runs non-root (10001), read-only root, no capabilities, RuntimeDefault seccomp, no SA token', () => {
    const { pod, container } = app();
    expectHardened(pod, container);
  });

  it('lets Keel own the image tag and Kyverno the dns_config', () => {
    const ignored: string[] = one(app().dep, 'lifecycle').ignore_changes;
    expect(ignored).toContain('${spec[0].template[0].spec[0].container[0].image}');
    expect(ignored).toContain('${spec[0].template[0].spec[0].dns_config}');
  });

  it('exposes the app through a ClusterIP Service on the named port', () => {
    const svc = resource(mod, 'kubernetes_service', 'app');
    const port = r.resolve(one(one(svc, 'spec'), 'port'));
    expect(port).toMatchObject({ port: 80, target_port: 'http' });
  });
});

describe('data volume', () => {
  it('is the encrypted, autoresized 2Gi PVC drone-logbook-data-encrypted', () => {
    const pvc = resource(mod, 'kubernetes_persistent_volume_claim', 'data');
    expect(pvc.wait_until_bound).toBe(false);
    const meta = r.resolve(one(pvc, 'metadata'));
    expect(meta.name).toBe('drone-logbook-data-encrypted');
    expect(meta.annotations).toEqual({
      'resize.topolvm.io/threshold': '10%',
      'resize.topolvm.io/increase': '100%',
      'resize.topolvm.io/storage_limit': '10Gi',
    });
    const spec = r.resolve(one(pvc, 'spec'));
    expect(spec.storage_class_name).toBe('proxmox-lvm-encrypted');
    expect(spec.access_modes).toEqual(['ReadWriteOnce']);
    expect(one(spec, 'resources').requests.storage).toBe('2Gi');
    expect(one(pvc, 'lifecycle').ignore_changes).toEqual(['${spec[0].resources[0].requests}']);
  });

  it('is mounted at /data/drone-logbook', () => {
    const { pod, container } = app();
    const mount = (container.volume_mount as Json[]).find((m) => r.resolve(m.mount_path) === '/data/drone-logbook');
    expect(mount).toBeDefined();
    const vol = (pod.volume as Json[]).find((v) => v.name === mount.name);
    expect(one(vol, 'persistent_volume_claim').claim_name).toBe('${kubernetes_persistent_volume_claim.data.metadata[0].name}');
  });
});

describe('NFS drop folder', () => {
  const mountOptions = ['nfsvers=4', 'soft', 'actimeo=5', 'retrans=3', 'timeo=30'];

  it('is a static NFS PV on 192.168.1.127:/srv/nfs/drone-logbook/sync-logs with the mount options', () => {
    const pv = resource(mod, 'kubernetes_persistent_volume', 'sync_logs');
    const spec = r.resolve(one(pv, 'spec'));
    expect([...spec.mount_options].sort()).toEqual([...mountOptions].sort());
    expect(spec.access_modes).toEqual(['ReadOnlyMany']);
    const csi = one(one(spec, 'persistent_volume_source'), 'csi');
    expect(csi.volume_attributes).toEqual({ server: '192.168.1.127', share: '/srv/nfs/drone-logbook/sync-logs' });
    expect(csi.read_only).toBe(true);
    const pvc = resource(mod, 'kubernetes_persistent_volume_claim', 'sync_logs');
    expect(one(pvc, 'spec').volume_name).toBe('${kubernetes_persistent_volume.sync_logs.metadata[0].name}');
  });

  it('is mounted read-only at /sync-logs', () => {
    const { pod, container } = app();
    const mount = (container.volume_mount as Json[]).find((m) => r.resolve(m.mount_path) === '/sync-logs');
    expect(mount.read_only).toBe(true);
    const vol = (pod.volume as Json[]).find((v) => v.name === mount.name);
    const claim = one(vol, 'persistent_volume_claim');
    expect(claim.claim_name).toBe('${kubernetes_persistent_volume_claim.sync_logs.metadata[0].name}');
    expect(claim.read_only).toBe(true);
  });
});

describe('secrets', () => {
  it('syncs Vault KV secret/drone-logbook into drone-logbook-secrets via an ExternalSecret (kubernetes_manifest)', () => {
    const es = resource(mod, 'kubernetes_manifest', 'external_secret');
    const m = r.resolve(es.manifest);
    expect(m.kind).toBe('ExternalSecret');
    expect(m.apiVersion).toMatch(/^external-secrets\.io\/v1/);
    expect(m.spec.secretStoreRef).toEqual({ name: 'vault-kv', kind: 'ClusterSecretStore' });
    expect(m.spec.target.name).toBe('drone-logbook-secrets');
    expect(m.spec.dataFrom).toEqual([{ extract: { key: 'drone-logbook' } }]);
    expect(app().dep.depends_on).toContain('${kubernetes_manifest.external_secret}');
  });
});

describe('backup', () => {
  it('runs daily at 01:30, outside the */8 sync windows, one at a time', () => {
    const { spec } = backupPod();
    const schedule = r.resolve(spec.schedule);
    expect(schedule).toBe('30 1 * * *');
    expect(spec.concurrency_policy).toBe('Forbid');
    const hour = Number(schedule.split(' ')[1]);
    const syncHours = [0, 8, 16]; // SYNC_INTERVAL "0 0 */8 * * *"
    expect(r.variable('sync_interval').split(' ')[2]).toBe('*/8');
    expect(syncHours).not.toContain(hour);
  });

  it('calls GET /api/v1/backup over the in-cluster Service and never mounts the live data volume', () => {
    const { pod, container } = backupPod();
    const env = envOf(container);
    const url = r.resolve(r.local('backup_url'));
    expect(url).toBe('http://drone-logbook.drone-logbook.svc.cluster.local:80/api/v1/backup');
    expect(env.get('BACKUP_URL').value).toBe('${local.backup_url}');
    const claims = (pod.volume as Json[]).flatMap((v) => v.persistent_volume_claim ?? []).map((c: Json) => c.claim_name);
    expect(claims).toEqual(['${kubernetes_persistent_volume_claim.backup.metadata[0].name}']);
  });

  it('keeps 30 days and pushes to the Pushgateway', () => {
    const env = envOf(backupPod().container);
    expect(r.resolve(env.get('RETENTION_DAYS').value)).toBe('30');
    expect(r.resolve(env.get('PUSHGATEWAY_URL').value)).toMatch(/^http:\/\/.*pushgateway.*:9091$/);
    expect(r.resolve(env.get('PUSHGATEWAY_JOB').value)).toBe('drone-logbook-backup');
  });

  it('writes to the NFS export /srv/nfs/drone-logbook-backup on the same server', () => {
    const pv = resource(mod, 'kubernetes_persistent_volume', 'backup');
    const spec = r.resolve(one(pv, 'spec'));
    const csi = one(one(spec, 'persistent_volume_source'), 'csi');
    expect(csi.volume_attributes).toEqual({ server: '192.168.1.127', share: '/srv/nfs/drone-logbook-backup' });
    expect(spec.mount_options).toEqual(r.variable('nfs_mount_options'));
    const mount = (backupPod().container.volume_mount as Json[]).find((m) => m.mount_path === '/backup');
    expect(mount).toBeDefined();
  });

  it('runs backup.mjs from a ConfigMap (the script exists and implements retention, metrics and the endpoint call)', () => {
    const cm = resource(mod, 'kubernetes_config_map', 'backup_script');
    expect(cm.data['backup.mjs']).toBe('${file("${path.module}/backup.mjs")}');
    const script = fs.readFileSync(path.join(moduleDir, 'backup.mjs'), 'utf8');
    expect(script).toContain('RETENTION_DAYS');
    expect(script).toContain('/metrics/job/');
    expect(script).toContain('backup_last_success_timestamp');
    expect(backupPod().container.command).toEqual(['node', '/opt/backup/backup.mjs']);
  });

  it('is hardened like the app', () => {
    const { pod, container } = backupPod();
    expectHardened(pod, container);
  });
});

describe('ingress', () => {
  it('is optional (create_ingress, default true)', () => {
    const ing = resource(mod, 'kubernetes_ingress_v1', 'app');
    expect(ing.count).toBe('${var.create_ingress ? 1 : 0}');
    expect(r.variable('create_ingress')).toBe(true);
    const outputs = mod.output.ingress_host[0].value;
    expect(outputs).toContain('var.create_ingress');
  });

  it('serves dronelog.viktorbarzin.me with TLS from a variable', () => {
    const spec = r.resolve(one(resource(mod, 'kubernetes_ingress_v1', 'app'), 'spec'));
    expect(one(spec, 'rule').host).toBe('dronelog.viktorbarzin.me');
    const tls = one(spec, 'tls');
    expect(tls.hosts).toEqual(['dronelog.viktorbarzin.me']);
    expect(one(resource(mod, 'kubernetes_ingress_v1', 'app'), 'spec').tls[0].secret_name).toBe('${var.tls_secret_name}');
  });

  it('is gated by Authentik forward-auth and carries the uptime and Homepage annotations', () => {
    const meta = one(resource(mod, 'kubernetes_ingress_v1', 'app'), 'metadata');
    expect(meta.annotations).toBe('${local.ingress_annotations}');
    const merged: string = r.local('ingress_annotations');
    for (const part of ['local.auth_annotations', 'var.uptime_annotations', 'local.homepage_annotations', 'var.homepage_enabled']) {
      expect(merged).toContain(part);
    }
    expect(r.local('auth_annotations')['traefik.ingress.kubernetes.io/router.middlewares']).toBe('${local.router_middlewares}');
    // Authentik's forward-auth is always the last middleware before the app (the identity strip runs ahead of it).
    expect(r.variable('ingress_middlewares')).toBe('traefik-authentik-forward-auth@kubernetescrd');
    expect(r.local('router_middlewares')).toMatch(/var\.ingress_middlewares\}" : var\.ingress_middlewares\}$/);
    const uptime = r.variable('uptime_annotations');
    expect(Object.keys(uptime).length).toBeGreaterThan(0);
    expect(Object.keys(uptime).every((k) => k.startsWith('uptime.viktorbarzin.me/'))).toBe(true);
    const home = r.resolve(r.local('homepage_annotations'));
    expect(home).toMatchObject({
      'gethomepage.dev/enabled': 'true',
      'gethomepage.dev/group': 'Media & Entertainment',
      'gethomepage.dev/icon': 'mdi-quadcopter',
      'gethomepage.dev/name': 'Drone Logbook',
      'gethomepage.dev/href': 'https://dronelog.viktorbarzin.me',
    });
    expect(home['gethomepage.dev/description']).toBeTruthy();
  });
});

describe('network policy', () => {
  it('is opt-in and admits only the proxy namespace and the backup job to the http port', () => {
    const np = resource(mod, 'kubernetes_network_policy_v1', 'app');
    expect(np.count).toBe('${var.network_policy ? 1 : 0}');
    expect(r.variable('network_policy')).toBe(false);
    expect(r.variable('network_policy_allowed_namespaces')).toEqual(['traefik']);
    const spec = one(np, 'spec');
    expect(r.resolve(one(spec, 'pod_selector').match_labels)).toEqual({ app: 'drone-logbook' });
    expect(spec.policy_types).toEqual(['Ingress']);
    const ingress = one(spec, 'ingress');
    expect(ingress.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    const fromNamespaces = ingress.dynamic.from[0];
    expect(fromNamespaces.for_each).toBe('${var.network_policy_allowed_namespaces}');
    expect(one(one(fromNamespaces, 'content'), 'namespace_selector').match_labels).toEqual({ 'kubernetes.io/metadata.name': '${from.value}' });
    // The backup job's pods carry exactly the label the policy admits.
    const backupLabels = r.resolve(one(one(one(one(one(resource(mod, 'kubernetes_cron_job_v1', 'backup'), 'spec'), 'job_template'), 'spec'), 'template'), 'metadata').labels);
    expect(r.resolve(one(one(ingress, 'from'), 'pod_selector').match_labels)).toEqual(backupLabels);
  });
});

describe('profiles, sessions and the reverse proxy', () => {
  it('renders TRUST_PROXY, TRUST_PROXY_AUTH_HEADER, ALLOWED_HOSTS and the session and lockout settings', () => {
    const env = renderedPlainEnv();
    expect(env).toMatchObject({
      TRUST_PROXY: '10.42.0.0/16',
      TRUST_PROXY_AUTH_HEADER: 'X-authentik-username',
      SESSION_TTL_HOURS: '24',
      LOGIN_MAX_FAILURES: '5',
      LOGIN_LOCKOUT_S: '60',
    });
    expect(env.ALLOWED_HOSTS!.split(',')).toEqual([
      'dronelog.viktorbarzin.me',
      'drone-logbook.drone-logbook.svc.cluster.local',
      'drone-logbook.drone-logbook.svc',
      'drone-logbook.drone-logbook',
      'drone-logbook',
      'localhost',
      '127.0.0.1',
    ]);
    // The variables behind them, so a caller can change each.
    const raw = envOf(app().container);
    expect(raw.get('TRUST_PROXY').value).toBe('${var.trust_proxy}');
    expect(raw.get('TRUST_PROXY_AUTH_HEADER').value).toBe('${var.trust_proxy_auth_header}');
    expect(raw.get('SESSION_TTL_HOURS').value).toBe('${tostring(var.session_ttl_hours)}');
    expect(raw.get('LOGIN_MAX_FAILURES').value).toBe('${tostring(var.login_max_failures)}');
    expect(raw.get('LOGIN_LOCKOUT_S').value).toBe('${tostring(var.login_lockout_seconds)}');
    expect(mod.variable.trust_proxy[0].description).toMatch(/pod\s+CIDR/);
    expect(mod.variable.trust_proxy[0].description).toMatch(/k3s/);
  });

  it('takes PROFILE_CREATION_PASS and DEFAULT_PROFILE_PASSWORD from the Secret the ExternalSecret writes from Vault', () => {
    const target = r.resolve(resource(mod, 'kubernetes_manifest', 'external_secret').manifest).spec.target.name;
    expect(secretRef('PROFILE_CREATION_PASS')).toEqual({ name: target, key: 'profile_creation_pass', optional: false });
    expect(secretRef('DEFAULT_PROFILE_PASSWORD')).toEqual({ name: target, key: 'default_profile_password', optional: true });
    // Required unless the caller opts out: without it anyone past Authentik may create and delete profiles.
    expect(envOf(app().container).get('PROFILE_CREATION_PASS').value_from[0].secret_key_ref[0].optional).toBe(
      '${var.profile_creation_pass_optional}',
    );
    // No password, key or token is ever a plain value.
    for (const [name, e] of envOf(app().container)) {
      if (/PASS|PASSWORD|KEY$|TOKEN/.test(name)) expect(e.value, name).toBeUndefined();
    }
  });

  it('lets the backup CronJob through ALLOWED_HOSTS with the Host its fetch sends (the app\'s own check)', async () => {
    const { hostAllowed } = await importAppSource<{ hostAllowed: (host: string | undefined, allowed: readonly string[]) => boolean }>(
      'plugins/security-policy.ts',
    );
    const allowed = renderedAllowedHosts().map((h) => h.toLowerCase());
    const backupUrl = new URL(r.resolve(r.local('backup_url')));
    // fetch sends URL.host as Host: the default :80 is dropped, so the entries carry no port.
    expect(backupUrl.host).toBe('drone-logbook.drone-logbook.svc.cluster.local');
    expect(backupUrl.hostname).toBe(r.resolve(r.local('service_host')));
    expect(hostAllowed(backupUrl.host, allowed)).toBe(true);
    expect(hostAllowed(`${backupUrl.hostname}:80`, allowed)).toBe(true);
    expect(hostAllowed('drone-logbook.drone-logbook.svc', allowed)).toBe(true);
    expect(hostAllowed('dronelog.viktorbarzin.me', allowed)).toBe(true); // through Traefik
    expect(hostAllowed('127.0.0.1:8080', allowed)).toBe(true); // kubectl port-forward (README: Restore)
    expect(hostAllowed('rebound.attacker.example', allowed)).toBe(false);
    expect(allowed.every((h) => !h.includes(':'))).toBe(true);
  });

  it('renders an environment the app\'s config parser accepts, trusting the header only from TRUST_PROXY addresses', async () => {
    const { loadConfig } = await importAppSource<{ loadConfig: (env: Record<string, string | undefined>) => Json }>('config/config.ts');
    const env = { ...renderedPlainEnv(), PROFILE_CREATION_PASS: 'master', DEFAULT_PROFILE_PASSWORD: 'initial' };
    const config = loadConfig(env);
    expect(config.security.trustProxy).toEqual(['10.42.0.0/16']);
    expect(config.security.allowedHosts).toContain('drone-logbook.drone-logbook.svc.cluster.local');
    expect(config.auth).toMatchObject({ trustProxyAuthHeader: 'x-authentik-username', sessionTtlMs: 24 * 3_600_000, maxFailures: 5, lockoutMs: 60_000 });
    // Off is a valid setting too (the precondition below keeps the header from being set without TRUST_PROXY).
    expect(() => loadConfig({ ...env, TRUST_PROXY: '', TRUST_PROXY_AUTH_HEADER: '' })).not.toThrow();
    expect(() => loadConfig({ ...env, TRUST_PROXY: '' })).toThrow(/TRUST_PROXY/);

    const { proxyIdentityReader } = await importAppSource<{ proxyIdentityReader: (c: Json) => (req: Json) => string | null }>(
      'profiles/proxy-identity.ts',
    );
    const read = proxyIdentityReader(config);
    const request = (peer: string) => ({ socket: { remoteAddress: peer }, headers: { 'x-authentik-username': 'viktor' } });
    expect(read(request('10.42.3.17'))).toBe('viktor'); // a Traefik pod
    expect(read(request('192.168.1.50'))).toBeNull(); // anyone else who reaches the pod directly
  });

  it('checks at plan time that the identity header has a proxy to come from', () => {
    const conditions = (one(app().dep, 'lifecycle').precondition as Json[]).map((p) => p.condition);
    expect(conditions).toContain('${var.trust_proxy_auth_header == "" || var.trust_proxy != ""}');
    expect(conditions).toContain('${length(local.allowed_hosts) > 0}');
    expect(mod.variable.trust_proxy[0].validation[0].condition).toContain('regex(');
    expect(mod.variable.trust_proxy[0].nullable).toBe(false);
  });

  it('deletes a client-sent identity header on the Ingress before Authentik forward-auth sets it', () => {
    // The strip middleware exists whenever the Ingress does and the header is on.
    expect(r.local('strip_identity')).toBe('${var.create_ingress && var.strip_client_identity_header && var.trust_proxy_auth_header != ""}');
    expect(r.variable('create_ingress')).toBe(true);
    expect(r.variable('strip_client_identity_header')).toBe(true);
    const mw = resource(mod, 'kubernetes_manifest', 'strip_identity');
    expect(mw.count).toBe('${local.strip_identity ? 1 : 0}');
    const m = r.resolve(mw.manifest);
    expect(m).toMatchObject({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'drone-logbook-strip-identity' } });
    expect(mw.manifest.metadata.namespace).toBe('${kubernetes_namespace.this.metadata[0].name}');
    // The header it deletes is the one the app reads (an empty value deletes it in Traefik).
    const headers = m.spec.headers.customRequestHeaders;
    expect(Object.keys(headers)).toEqual(['${(var.trust_proxy_auth_header)}']);
    expect(Object.values(headers)).toEqual(['']);
    expect(envOf(app().container).get('TRUST_PROXY_AUTH_HEADER').value).toBe('${var.trust_proxy_auth_header}');

    // Order on the router: strip first, then Authentik (which replaces the header with the signed-in user's name).
    expect(r.local('router_middlewares')).toBe(
      '${local.strip_identity ? "${local.strip_identity_ref},${var.ingress_middlewares}" : var.ingress_middlewares}',
    );
    const chain = r.resolve('${local.strip_identity_ref},${var.ingress_middlewares}').split(',');
    expect(chain).toEqual(['drone-logbook-drone-logbook-strip-identity@kubernetescrd', 'traefik-authentik-forward-auth@kubernetescrd']);
    // Traefik's <namespace>-<name>@kubernetescrd: the reference names the middleware the module creates.
    expect(chain[0]).toBe(`${r.variable('namespace')}-${m.metadata.name}@kubernetescrd`);
    expect(resource(mod, 'kubernetes_ingress_v1', 'app').depends_on).toContain('${kubernetes_manifest.strip_identity}');
  });
});

describe('every workload', () => {
  it('is hardened (Deployment and CronJob pods)', () => {
    expect(resourcesOf(mod, 'kubernetes_deployment').map(([n]) => n)).toEqual(['app']);
    expect(resourcesOf(mod, 'kubernetes_cron_job_v1').map(([n]) => n)).toEqual(['backup']);
    expect(resourcesOf(mod, 'kubernetes_pod')).toEqual([]);
  });
});
