import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { moduleDir } from './terraform-helpers.js';

/**
 * Runs the CronJob's backup.mjs for real against a fake app (GET /api/v1/backup) and a fake
 * Pushgateway on loopback, with a temp folder standing in for the NFS export.
 */
const script = path.join(moduleDir, 'backup.mjs');

type Mode = 'ok' | 'gzip-no-name' | 'error' | 'truncated';
interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: string;
}

let mode: Mode = 'ok';
const archive = randomBytes(300_000);
const seen: Seen[] = [];
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: Buffer.concat(chunks).toString() });
      if (req.url!.startsWith('/metrics/job/')) {
        res.writeHead(200).end();
      } else if (req.url === '/api/v1/backup') {
        if (mode === 'error') {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
        } else if (mode === 'truncated') {
          res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(archive.length) });
          res.write(archive.subarray(0, 1000), () => res.destroy());
        } else if (mode === 'gzip-no-name') {
          res.writeHead(200, { 'content-type': 'application/gzip' }).end(archive);
        } else {
          // Chunked (no content-length), like a streamed archive.
          res.writeHead(200, { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename="dronelog-backup-2026-11-23.zip"' });
          res.write(archive.subarray(0, 100_000));
          setTimeout(() => res.end(archive.subarray(100_000)), 20);
        }
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dronelog-backup-test-'));
  seen.length = 0;
  mode = 'ok';
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      {
        env: {
          PATH: process.env.PATH ?? '',
          BACKUP_URL: `${base}/api/v1/backup`,
          BACKUP_DIR: dir,
          RETENTION_DAYS: '30',
          PUSHGATEWAY_URL: base,
          PUSHGATEWAY_JOB: 'drone-logbook-backup',
          BACKUP_NOW: '2026-11-23T01:30:00Z',
          ...env,
        },
        timeout: 30_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

const listing = () => fs.readdirSync(dir).sort();

describe('backup.mjs', () => {
  it('stores the archive in a dated folder with its checksum, applies 30-day retention and pushes metrics', async () => {
    for (const old of ['2026-10-20_0130', '2026-10-23_0130', '2026-10-24_0130', '2026-11-22_0130', 'keep-me']) {
      fs.mkdirSync(path.join(dir, old));
      fs.writeFileSync(path.join(dir, old, 'x'), 'x');
    }
    fs.mkdirSync(path.join(dir, '.partial-2026-11-20_0130-7'));
    const past = new Date('2026-11-20T01:30:00Z');
    fs.utimesSync(path.join(dir, '.partial-2026-11-20_0130-7'), past, past);

    const { code, out } = await run({ BACKUP_TOKEN: 's3cret' });
    expect(code, out).toBe(0);

    // 30 days back from 2026-11-23 is 2026-10-24: older folders go, non-dated ones stay.
    expect(listing()).toEqual(['2026-10-24_0130', '2026-11-22_0130', '2026-11-23_0130', 'keep-me']);
    const folder = path.join(dir, '2026-11-23_0130');
    expect(fs.readdirSync(folder).sort()).toEqual(['SHA256SUMS', 'dronelog-backup-2026-11-23.zip']);
    const stored = fs.readFileSync(path.join(folder, 'dronelog-backup-2026-11-23.zip'));
    expect(stored.equals(archive)).toBe(true);
    const sha = createHash('sha256').update(archive).digest('hex');
    expect(fs.readFileSync(path.join(folder, 'SHA256SUMS'), 'utf8')).toBe(`${sha}  dronelog-backup-2026-11-23.zip\n`);

    const call = seen.find((s) => s.url === '/api/v1/backup');
    expect(call).toMatchObject({ method: 'GET', auth: 'Bearer s3cret' });
    const push = seen.find((s) => s.url.startsWith('/metrics/job/'));
    expect(push?.method).toBe('PUT');
    expect(push?.url).toBe('/metrics/job/drone-logbook-backup');
    expect(push?.body).toMatch(/^backup_last_success_timestamp \d{10}$/m);
    expect(push?.body).toMatch(/^backup_duration_seconds [\d.]+$/m);
    expect(push?.body).toContain(`backup_output_bytes ${archive.length}\n`);
  });

  it('names the file from the content type when there is no Content-Disposition and sends no token unless set', async () => {
    mode = 'gzip-no-name';
    const { code, out } = await run({});
    expect(code, out).toBe(0);
    expect(fs.readdirSync(path.join(dir, '2026-11-23_0130')).sort()).toEqual(['SHA256SUMS', 'dronelog-backup.tar.gz']);
    expect(seen.find((s) => s.url === '/api/v1/backup')?.auth).toBeUndefined();
  });

  it('never overwrites a backup of the same minute', async () => {
    expect((await run({})).code).toBe(0);
    expect((await run({})).code).toBe(0);
    expect(listing()).toEqual(['2026-11-23_0130', '2026-11-23_0130-1']);
  });

  it('fails without leaving a dated folder or pushing a success when the app answers an error', async () => {
    mode = 'error';
    const { code, out } = await run({});
    expect(code).toBe(1);
    expect(out).toMatch(/503/);
    expect(listing()).toEqual([]);
    expect(seen.some((s) => s.url.startsWith('/metrics/'))).toBe(false);
  });

  it('fails on a cut stream (incomplete archive)', async () => {
    mode = 'truncated';
    const { code } = await run({});
    expect(code).toBe(1);
    expect(listing()).toEqual([]);
    expect(seen.some((s) => s.url.startsWith('/metrics/'))).toBe(false);
  });

  it('still succeeds when the Pushgateway is unreachable (the freshness alert covers it)', async () => {
    const { code, out } = await run({ PUSHGATEWAY_URL: 'http://127.0.0.1:9' });
    expect(code, out).toBe(0);
    expect(out).toMatch(/could not push metrics/);
    expect(listing()).toEqual(['2026-11-23_0130']);
  });

  it('refuses to run without BACKUP_URL', async () => {
    const { code, out } = await run({ BACKUP_URL: '' });
    expect(code).toBe(1);
    expect(out).toMatch(/BACKUP_URL/);
  });
});
