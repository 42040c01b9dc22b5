import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../src/db/database.js';
import { migrations } from '../src/db/migrations.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('database crash safety', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  });

  it('opens again after the process is killed right after the migrations ran', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-crash-'));
    dirs.push(dir);
    const file = path.join(dir, 'dronelog.duckdb');
    // A child process migrates a fresh file, then dies by SIGKILL: no clean close, no final checkpoint.
    const script = `
      import { Database } from ${JSON.stringify(path.join(here, '../src/db/database.ts'))};
      await Database.open(${JSON.stringify(file)});
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.join(here, '..'),
      encoding: 'utf8',
    });
    expect(child.signal).toBe('SIGKILL');
    const db = await Database.open(file);
    try {
      expect(await db.schemaVersion()).toBe(migrations.at(-1)!.version);
    } finally {
      await db.close();
    }
  });
});
