/** The package is pure: bytes in, flight out. No file system, network, workers or process state in src. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('src purity', () => {
  const files = sources(SRC);

  it.each(files.map((f) => [f.slice(SRC.length + 1), f]))('%s uses no I/O, workers or process state', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/from ['"](node:)?(fs|fs\/promises|path|http|https|net|worker_threads|child_process|os)['"]/);
    expect(text).not.toMatch(/\brequire\(/);
    expect(text).not.toMatch(/\bfetch\(|fetchKeychains\(/);
    expect(text).not.toMatch(/\bprocess\.|\bBuffer\./);
  });

  it('keeps no module-level mutable state (no top-level let)', () => {
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/^let /m);
  });
});
