// Dronelog daily backup, run by the drone-logbook-backup CronJob (Node 20, no dependencies).
//
// 1. GET $BACKUP_URL (the app's /api/v1/backup, which streams a consistent archive) into
//    $BACKUP_DIR/.partial-<stamp>/, hashing it on the way; a cut stream, a non-200 answer, an
//    empty body or a Content-Length mismatch fails the run (exit 1, the Job retries).
// 2. Write SHA256SUMS next to the archive, fsync, and rename the folder to <YYYY-MM-DD_HHMM> (UTC):
//    a dated folder only ever exists complete.
// 3. Delete dated folders older than $RETENTION_DAYS days (by the date in the name) and stale
//    .partial-* folders.
// 4. PUT backup_last_success_timestamp / backup_duration_seconds / backup_output_bytes to
//    $PUSHGATEWAY_URL/metrics/job/$PUSHGATEWAY_JOB (a failed push is logged, not fatal: the
//    freshness alert on backup_last_success_timestamp catches it).
//
// Env: BACKUP_URL (required), BACKUP_DIR (/backup), RETENTION_DAYS (30), BACKUP_TIMEOUT_SECONDS
// (1800), PUSHGATEWAY_URL (empty = no push), PUSHGATEWAY_JOB (drone-logbook-backup),
// BACKUP_TOKEN (optional bearer token), BACKUP_NOW (ISO time, tests only).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const DATED = /^(\d{4})-(\d{2})-(\d{2})_\d{4}(?:-\d+)?$/;

function log(msg) {
  console.log(`[backup] ${msg}`);
}

function int(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return n;
}

function stampOf(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

function fileNameFor(res) {
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  if (m) {
    const name = path.basename(decodeURIComponent(m[1])).replace(/[^A-Za-z0-9._-]/g, '_');
    if (name && name !== '.' && name !== '..') return name;
  }
  const type = (res.headers.get('content-type') ?? '').toLowerCase().split(';')[0].trim();
  const byType = {
    'application/zip': 'dronelog-backup.zip',
    'application/x-zip-compressed': 'dronelog-backup.zip',
    'application/gzip': 'dronelog-backup.tar.gz',
    'application/x-gzip': 'dronelog-backup.tar.gz',
    'application/zstd': 'dronelog-backup.tar.zst',
    'application/x-tar': 'dronelog-backup.tar',
  };
  return byType[type] ?? 'dronelog-backup.bin';
}

async function download(url, folder, timeoutMs, token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  if (res.status !== 200 || !res.body) {
    const text = await res.text().catch(() => '');
    throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  }
  const name = fileNameFor(res);
  const file = path.join(folder, name);
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body), count, createWriteStream(file, { flags: 'wx' }));
  const expected = res.headers.get('content-length');
  if (expected !== null && Number(expected) !== bytes) {
    throw new Error(`archive is incomplete: ${bytes} of ${expected} bytes`);
  }
  if (bytes === 0) throw new Error('the backup endpoint sent an empty archive');
  const digest = hash.digest('hex');
  await fs.writeFile(path.join(folder, 'SHA256SUMS'), `${digest}  ${name}\n`);
  for (const f of [file, path.join(folder, 'SHA256SUMS')]) {
    const h = await fs.open(f, 'r+');
    await h.sync();
    await h.close();
  }
  return { name, bytes, digest };
}

async function prune(dir, now, retentionDays) {
  const cutoff = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - retentionDays * 86_400_000;
  const removed = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    const m = DATED.exec(entry.name);
    if (m) {
      if (Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) < cutoff) {
        await fs.rm(full, { recursive: true, force: true });
        removed.push(entry.name);
      }
    } else if (entry.name.startsWith('.partial-')) {
      const st = await fs.stat(full);
      if (now.getTime() - st.mtimeMs > 86_400_000) {
        await fs.rm(full, { recursive: true, force: true });
        removed.push(entry.name);
      }
    }
  }
  return removed;
}

async function push(gateway, job, metrics) {
  const body = Object.entries(metrics)
    .map(([k, v]) => `# TYPE ${k} gauge\n${k} ${v}\n`)
    .join('');
  const url = `${gateway.replace(/\/+$/, '')}/metrics/job/${encodeURIComponent(job)}`;
  const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'text/plain; version=0.0.4' }, signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`Pushgateway ${url} answered ${res.status}`);
}

async function main() {
  const url = process.env.BACKUP_URL;
  if (!url) throw new Error('BACKUP_URL is not set');
  const dir = process.env.BACKUP_DIR || '/backup';
  const retentionDays = int('RETENTION_DAYS', 30);
  const timeoutMs = int('BACKUP_TIMEOUT_SECONDS', 1800) * 1000;
  const gateway = process.env.PUSHGATEWAY_URL ?? '';
  const job = process.env.PUSHGATEWAY_JOB || 'drone-logbook-backup';
  const now = process.env.BACKUP_NOW ? new Date(process.env.BACKUP_NOW) : new Date();
  const started = Date.now();

  await fs.access(dir, fs.constants.W_OK).catch(() => {
    throw new Error(`${dir} is not writable by uid ${process.getuid?.()} (check the NFS export)`);
  });
  const stamp = stampOf(now);
  const partial = path.join(dir, `.partial-${stamp}-${process.pid}`);
  await fs.rm(partial, { recursive: true, force: true });
  await fs.mkdir(partial);
  let result;
  try {
    log(`downloading ${url}`);
    result = await download(url, partial, timeoutMs, process.env.BACKUP_TOKEN);
  } catch (err) {
    await fs.rm(partial, { recursive: true, force: true });
    throw err;
  }
  let final = path.join(dir, stamp);
  for (let i = 1; await fs.stat(final).then(() => true, () => false); i++) final = path.join(dir, `${stamp}-${i}`);
  await fs.rename(partial, final);
  log(`wrote ${path.join(final, result.name)} (${result.bytes} bytes, sha256 ${result.digest})`);

  const removed = await prune(dir, now, retentionDays);
  log(removed.length ? `deleted past retention (${retentionDays} days): ${removed.join(', ')}` : `nothing past retention (${retentionDays} days)`);

  if (gateway) {
    const seconds = (Date.now() - started) / 1000;
    try {
      await push(gateway, job, {
        backup_last_success_timestamp: Math.floor(Date.now() / 1000),
        backup_duration_seconds: seconds.toFixed(3),
        backup_output_bytes: result.bytes,
      });
      log(`pushed metrics to ${gateway} (job ${job})`);
    } catch (err) {
      log(`warning: could not push metrics: ${err.message}`);
    }
  }
}

main().catch((err) => {
  console.error(`[backup] FAILED: ${err.message}`);
  process.exit(1);
});
