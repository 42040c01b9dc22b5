import { afterEach, describe, expect, it } from 'vitest';
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
