import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoDir } from './terraform-helpers.js';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions (continuations joined, comments dropped), split into stages. */
function stages(text: string): Instruction[][] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const out: Instruction[][] = [];
  for (const line of logical) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const ins = { op: m[1]!.toUpperCase(), args: m[2]!.replace(/\s+/g, ' ') };
    if (ins.op === 'FROM') out.push([]);
    if (out.length === 0) continue; // ARG before the first FROM
    out[out.length - 1]!.push(ins);
  }
  return out;
}

const dockerfile = fs.readFileSync(path.join(repoDir, 'Dockerfile'), 'utf8');
const all = stages(dockerfile);
const globalArgs = Object.fromEntries(
  [...dockerfile.split(/\r?\n\s*FROM\s/)[0]!.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]),
);
const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_a, x?: string, y?: string) => globalArgs[(x ?? y)!] ?? _a);
const runtime = all[all.length - 1]!;
const find = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op);

describe('Dockerfile', () => {
  it('is multi-stage on a pinned node:20 slim image', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) {
      const image = expand(stage[0]!.args.split(' ')[0]!);
      expect(image).toMatch(/^node:20\.\d+\.\d+-(bookworm-)?slim$/);
    }
  });

  it('builds with scripts/bundle.sh and copies only the bundle into the runtime stage', () => {
    const build = all.slice(0, -1).flat();
    expect(build.some((i) => i.op === 'RUN' && /scripts\/bundle\.sh/.test(i.args))).toBe(true);
    expect(build.some((i) => i.op === 'RUN' && /--frozen-lockfile/.test(i.args))).toBe(true);
    const copies = find(runtime, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.every((c) => c.args.startsWith('--from='))).toBe(true);
  });

  it('fixes glibc malloc\'s mmap threshold, so freed large buffers go back to the kernel (docs/benchmarks.md)', () => {
    const env = find(runtime, 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/\bMALLOC_MMAP_THRESHOLD_=131072\b/);
  });

  it('runs as the non-root user 10001', () => {
    const users = find(runtime, 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0]!.args.split(':');
    expect(uid).toBe('10001');
    expect(gid ?? '10001').toBe('10001');
    expect(runtime.some((i) => i.op === 'RUN' && /useradd .*--uid 10001/.test(i.args))).toBe(true);
  });

  it('runs one process in exec form: node apps/api/dist/server.js', () => {
    const cmd = find(runtime, 'CMD');
    expect(cmd).toHaveLength(1);
    expect(JSON.parse(cmd[0]!.args)).toEqual(['node', 'apps/api/dist/server.js']);
    expect(find(runtime, 'ENTRYPOINT')).toHaveLength(0);
  });

  it("has a HEALTHCHECK with node's fetch against /healthz (no curl/wget)", () => {
    const hc = find(runtime, 'HEALTHCHECK');
    expect(hc).toHaveLength(1);
    const cmd = hc[0]!.args.replace(/^.*?CMD\s+/, '');
    const argv = JSON.parse(cmd) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).toMatch(/fetch\(.*\/healthz/);
    expect(hc[0]!.args).not.toMatch(/curl|wget/);
  });

  it('declares DATA_DIR, the data VOLUME, the web dir and port 8080', () => {
    const env = find(runtime, 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/DATA_DIR=\/data\/drone-logbook(\s|$)/);
    expect(env).toMatch(/WEB_DIR=\/app\/web(\s|$)/);
    expect(JSON.parse(find(runtime, 'VOLUME')[0]!.args)).toEqual(['/data/drone-logbook']);
    expect(find(runtime, 'EXPOSE').map((i) => i.args)).toEqual(['8080']);
  });
});

describe('.dockerignore and bundle script', () => {
  it('keeps dependencies, outputs, data, git and test results out of the build context', () => {
    const lines = fs
      .readFileSync(path.join(repoDir, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim());
    for (const entry of ['**/node_modules', '.git', 'dist-bundle', 'data', '**/test-results', '**/dist', '**/build']) {
      expect(lines).toContain(entry);
    }
  });

  it('bundle.sh deploys the API with production dependencies and the web build', () => {
    const script = path.join(repoDir, 'scripts', 'bundle.sh');
    expect(fs.statSync(script).mode & 0o111).not.toBe(0);
    const text = fs.readFileSync(script, 'utf8');
    expect(text).toMatch(/pnpm deploy --legacy --filter @dronelog\/api --prod/);
    expect(text).toMatch(/pnpm build/);
    expect(text).toContain('apps/web/build');
    expect(text).toContain('dist-bundle');
    expect(fs.readFileSync(path.join(repoDir, '.gitignore'), 'utf8')).toMatch(/^dist-bundle\/?$/m);
  });
});
