import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { buildTestApp, type TestApp } from './helper.js';

const apps: TestApp[] = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

async function memoryLimitBytes(t: TestApp): Promise<number> {
  // duckdb_settings() prints e.g. "152.5 MiB"; turn it back into bytes.
  const r = await t.app.db.reader.runAndReadAll("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'");
  const m = /^([\d.]+) (KiB|MiB|GiB)$/.exec(String(r.getRowObjectsJS()[0]!.value));
  expect(m, String(r.getRowObjectsJS()[0]!.value)).not.toBeNull();
  return Number(m![1]) * { KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[m![2] as 'KiB' | 'MiB' | 'GiB'];
}

describe('DuckDB memory limit (DUCKDB_MEMORY_LIMIT_MB)', () => {
  it('runs DuckDB with 256 MB by default and with the configured limit otherwise', async () => {
    const byDefault = await buildTestApp();
    apps.push(byDefault);
    expect(Math.abs((await memoryLimitBytes(byDefault)) - 256e6)).toBeLessThan(1e6);
    const configured = await buildTestApp({ DUCKDB_MEMORY_LIMIT_MB: '96' });
    apps.push(configured);
    expect(Math.abs((await memoryLimitBytes(configured)) - 96e6)).toBeLessThan(1e6);
  });

  it('refuses a limit DuckDB cannot work with', () => {
    expect(() => loadConfig({ DUCKDB_MEMORY_LIMIT_MB: '8' })).toThrow(/DUCKDB_MEMORY_LIMIT_MB/);
  });
});

describe('idle checkpoint', () => {
  async function notCheckpointedBytes(t: TestApp): Promise<number> {
    const r = await t.app.db.reader.runAndReadAll("SELECT memory_usage_bytes AS b FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'");
    return Number(r.getRowObjectsJS()[0]?.b ?? 0);
  }
  const walBytes = (t: TestApp) => fs.statSync(`${t.app.config.databaseFile}.wal`, { throwIfNoEntry: false })?.size ?? 0;

  it('checkpoints once the writer is quiet: committed rows leave memory and the WAL', async () => {
    const t = await buildTestApp();
    apps.push(t);
    // ~0.8 MB of rows, less than a row group (DuckDB writes whole row groups to the file at commit) and far below
    // wal_autocheckpoint (16 MB): only the idle checkpoint moves them out of memory and the WAL.
    await t.app.db.transaction(async (conn) => {
      await conn.run('CREATE TABLE idle_checkpoint_probe (x BIGINT)');
      await conn.run('INSERT INTO idle_checkpoint_probe SELECT range FROM range(100000)');
    });
    expect(walBytes(t)).toBeGreaterThan(0);
    expect(await notCheckpointedBytes(t)).toBeGreaterThan(0);
    await vi.waitFor(
      async () => {
        expect(walBytes(t)).toBe(0);
        expect(await notCheckpointedBytes(t)).toBe(0);
      },
      { timeout: 10_000, interval: 100 },
    );
    const r = await t.app.db.reader.runAndReadAll('SELECT count(*) AS n FROM idle_checkpoint_probe');
    expect(Number(r.getRowObjectsJS()[0]!.n)).toBe(100000);
  });
});

describe('memory release after writes', () => {
  const anonMiB = () => Number(/^RssAnon:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;

  it('returns what a large write freed to the kernel, and keeps the configured memory limit', async () => {
    const t = await buildTestApp({ DUCKDB_MEMORY_LIMIT_MB: '200' });
    apps.push(t);
    // 200 000 rows × 40 FLOAT columns: DuckDB's appends, compression and checkpoint leave tens of MiB freed but
    // still resident (its buffer pool's reusable buffers and malloc's arenas) until the release.
    const columns = Array.from({ length: 40 }, (_, k) => `c${k} FLOAT`).join(', ');
    const values = Array.from({ length: 40 }, (_, k) => `sin(i + ${k})`).join(', ');
    await t.app.db.transaction(async (conn) => {
      await conn.run(`CREATE TABLE release_probe (${columns})`);
      await conn.run(`INSERT INTO release_probe SELECT ${values} FROM range(200000) r(i)`);
    });
    // Read right after the commit: the release it queued runs on the writer after it (a DuckDB call away), and one
    // still queued from start-up must not count as ours.
    const runs = t.app.db.memoryReleases;
    const afterWrite = anonMiB();
    await vi.waitFor(() => expect(t.app.db.memoryReleases).toBeGreaterThan(runs), { timeout: 10_000, interval: 50 });
    const afterRelease = anonMiB();
    expect(afterWrite - afterRelease, `RssAnon ${afterWrite.toFixed(1)} → ${afterRelease.toFixed(1)} MiB`).toBeGreaterThan(10);
    expect(Math.abs((await memoryLimitBytes(t)) - 200e6)).toBeLessThan(1e6);
    const r = await t.app.db.reader.runAndReadAll('SELECT count(*) AS n FROM release_probe');
    expect(Number(r.getRowObjectsJS()[0]!.n)).toBe(200000);
  });
});
