import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isCandidateFile, RootUnreadableError, walkSyncFolder, type WalkedFile } from '../src/services/sync-folder-walk.js';
import { makeSyncDir, put } from './sync-helpers.js';

async function walk(root: string, maxDepth = 8): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  for await (const f of walkSyncFolder(root, { maxDepth })) out.push(f);
  return out.sort((a, b) => a.relPath.localeCompare(b.relPath));
}

describe('sync folder walk', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
    root = undefined;
  });

  it('accepts .txt and .csv in any case and skips hidden, temp and partial files', () => {
    for (const ok of ['DJIFlightRecord_2024-05-01_[10-00-00].txt', 'a b.TXT', 'litchi.csv', 'x.Csv', 'ünï cödé 飞行.txt']) {
      expect(isCandidateFile(ok), ok).toBe(true);
    }
    for (const no of ['.hidden.txt', '.syncthing.a.txt.tmp', 'a.txt.part', 'a.txt.partial', 'a.txt.crdownload', '~$a.txt', 'a.txt~', 'a.tmp', 'a.DAT', 'a.jpg', 'txt']) {
      expect(isCandidateFile(no), no).toBe(false);
    }
  });

  it('walks nested folders up to SYNC_MAX_DEPTH with relative paths and exact sizes and mtimes', async () => {
    root = await makeSyncDir();
    await put(root, 'top.txt', 'a', 1_700_000_000);
    await put(root, '1/one.txt', 'bb');
    await put(root, '1/2/two [x].csv', 'ccc');
    await put(root, '1/2/3/three.txt', 'dddd');
    await put(root, '.hidden/inside.txt', 'e');
    const files = await walk(root!, 2);
    expect(files.map((f) => [f.relPath, f.size])).toEqual([
      ['1/2/two [x].csv', 3],
      ['1/one.txt', 2],
      ['top.txt', 1],
    ]);
    expect(files.find((f) => f.relPath === 'top.txt')!.mtimeNs).toBe(1_700_000_000n * 1_000_000_000n);
    expect((await walk(root!, 0)).map((f) => f.relPath)).toEqual(['top.txt']);
    expect(await walk(root!, 8)).toHaveLength(4);
  });

  it('does not follow symlinked folders (no loops), follows symlinked files, and skips dangling links', async () => {
    root = await makeSyncDir();
    await put(root, 'a/real.txt', 'real');
    await fs.symlink('..', path.join(root, 'a', 'up'));
    await fs.symlink('.', path.join(root, 'a', 'self.txt'));
    await fs.symlink(path.join(root, 'a'), path.join(root, 'link-to-a'));
    await fs.symlink('real.txt', path.join(root, 'a', 'alias.txt'));
    await fs.symlink('/nonexistent/x.txt', path.join(root, 'dangling.txt'));
    const files = await walk(root);
    expect(files.map((f) => f.relPath)).toEqual(['a/alias.txt', 'a/real.txt']);
  });

  it('leaves out a sub-folder it cannot open, says so, and walks the rest', async () => {
    root = await makeSyncDir();
    await put(root, 'a/locked/secret.txt', 'x');
    await put(root, 'a/open.txt', 'y');
    await put(root, 'b.txt', 'z');
    // Simulated EACCES: tests run as root, which can open a chmod 000 folder.
    const real = fs.opendir.bind(fs);
    const spy = vi.spyOn(fs, 'opendir').mockImplementation(async (p, o) => {
      if (String(p).endsWith(`${path.sep}locked`)) throw Object.assign(new Error(`EACCES: permission denied, opendir '${String(p)}'`), { code: 'EACCES' });
      return real(p, o);
    });
    try {
      const skipped: Array<[string, string | undefined]> = [];
      const out: string[] = [];
      for await (const f of walkSyncFolder(root, { maxDepth: 8, onSkip: (rel, err) => skipped.push([rel, err.code]) })) out.push(f.relPath);
      expect(out.sort()).toEqual(['a/open.txt', 'b.txt']);
      expect(skipped).toEqual([['a/locked', 'EACCES']]);
    } finally {
      spy.mockRestore();
    }
  });

  it('reports an unreadable root as such and never yields anything for it', async () => {
    root = await makeSyncDir();
    const gone = path.join(root, 'nope');
    await expect(walk(gone)).rejects.toBeInstanceOf(RootUnreadableError);
    await put(root, 'file.txt', 'x');
    await expect(walk(path.join(root, 'file.txt'))).rejects.toThrow(/ENOTDIR/);
  });
});
