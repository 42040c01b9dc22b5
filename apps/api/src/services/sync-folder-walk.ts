import type { Dir, Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Extensions handed to the importer (DJI .txt; .csv for Litchi/Airdata once CSV import lands). */
const ACCEPTED_EXTENSIONS = new Set(['.txt', '.csv']);

/** Names of files another program is still writing (browsers, rsync, Syncthing, office lock files, editors). */
const TEMP_NAME = /(\.(tmp|temp|part|partial|crdownload|download|swp)$)|(^~)|(~$)/i;

/** Hidden names (.stfolder, .syncthing.*, .DS_Store, ._foo, @eaDir is not hidden but Synology metadata). */
function isHiddenOrMetadata(name: string): boolean {
  return name.startsWith('.') || name === '@eaDir' || name === '#recycle' || name === '$RECYCLE.BIN';
}

/** Whether a directory entry name is skipped outright (hidden, temp or metadata). */
export function isIgnoredName(name: string): boolean {
  return isHiddenOrMetadata(name) || TEMP_NAME.test(name);
}

/** Whether a file name is a candidate log: not ignored and ending in .txt or .csv (any case). */
export function isCandidateFile(name: string): boolean {
  return !isIgnoredName(name) && ACCEPTED_EXTENSIONS.has(path.extname(name).toLowerCase());
}

export interface WalkedFile {
  /** Path below the root with `/` separators; the file's identity in sync_files. */
  relPath: string;
  absPath: string;
  size: number;
  /** Modification time in nanoseconds (as precise as the file system keeps it). */
  mtimeNs: bigint;
}

export interface WalkOptions {
  /** Folder levels below the root that are entered; 0 = the root only. */
  maxDepth: number;
  /** Called for a sub-folder (or file) that could not be read; the walk goes on without it. */
  onSkip?: (relPath: string, err: NodeJS.ErrnoException) => void;
  /** Checked between entries; the walk stops quietly when it returns true. */
  aborted?: () => boolean;
  /** Folders right under the root that are not entered (the default profile skips other profiles' subfolders). */
  skipTopLevelDir?: (name: string) => boolean;
}

/** Error from reading the root itself: the caller reports the folder as not reachable. */
export class RootUnreadableError extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(cause.message);
    this.name = 'RootUnreadableError';
  }
}

/**
 * Streams candidate files below `root`, depth-first, iteratively (an explicit stack of folders, one folder
 * handle open at a time, entries read in small batches), so 10 000 files in deep trees cost no recursion and
 * no big arrays. Symlinked folders are never entered, and every folder's (device, inode) is remembered, so
 * loops (symlinks, bind mounts) cannot make it go round. Symlinked files are followed (their target is read).
 * Nothing is written.
 */
export async function* walkSyncFolder(root: string, opts: WalkOptions): AsyncGenerator<WalkedFile> {
  let rootStat;
  try {
    rootStat = await fs.stat(root, { bigint: true });
  } catch (err) {
    throw new RootUnreadableError(err as NodeJS.ErrnoException);
  }
  if (!rootStat.isDirectory()) {
    const e = Object.assign(new Error(`ENOTDIR: not a directory, '${root}'`), { code: 'ENOTDIR' }) as NodeJS.ErrnoException;
    throw new RootUnreadableError(e);
  }
  const visited = new Set<string>([`${rootStat.dev}:${rootStat.ino}`]);
  const stack: Array<{ abs: string; rel: string; depth: number }> = [{ abs: root, rel: '', depth: 0 }];

  while (stack.length > 0) {
    if (opts.aborted?.()) return;
    const dir = stack.pop()!;
    let handle: Dir;
    try {
      handle = await fs.opendir(dir.abs, { bufferSize: 128 });
    } catch (err) {
      if (dir.rel === '') throw new RootUnreadableError(err as NodeJS.ErrnoException);
      opts.onSkip?.(dir.rel, err as NodeJS.ErrnoException);
      continue;
    }
    const subdirs: Array<{ abs: string; rel: string; depth: number }> = [];
    try {
      for (;;) {
        let entry: Dirent | null;
        try {
          entry = await handle.read();
        } catch (err) {
          if (dir.rel === '') throw new RootUnreadableError(err as NodeJS.ErrnoException);
          opts.onSkip?.(dir.rel, err as NodeJS.ErrnoException);
          break;
        }
        if (entry === null) break;
        if (opts.aborted?.()) return;
        const name = entry.name;
        if (isIgnoredName(name)) continue;
        const abs = path.join(dir.abs, name);
        const rel = dir.rel === '' ? name : `${dir.rel}/${name}`;
        if (entry.isDirectory()) {
          if (dir.depth >= opts.maxDepth) continue;
          if (dir.rel === '' && opts.skipTopLevelDir?.(name)) continue;
          const st = await fs.lstat(abs, { bigint: true }).catch((err: NodeJS.ErrnoException) => {
            opts.onSkip?.(rel, err);
            return null;
          });
          if (!st || !st.isDirectory()) continue;
          const id = `${st.dev}:${st.ino}`;
          if (visited.has(id)) continue;
          visited.add(id);
          subdirs.push({ abs, rel, depth: dir.depth + 1 });
          continue;
        }
        if (!(entry.isFile() || entry.isSymbolicLink()) || !isCandidateFile(name)) continue;
        // stat follows a symlinked file to its target; a symlink to a folder is not a file and is skipped.
        const st = await fs.stat(abs, { bigint: true }).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') opts.onSkip?.(rel, err);
          return null;
        });
        if (!st || !st.isFile()) continue;
        yield { relPath: rel, absPath: abs, size: Number(st.size), mtimeNs: st.mtimeNs };
      }
    } finally {
      await handle.close().catch(() => undefined);
    }
    // Reverse so sub-folders are visited in directory order (the stack pops the last first).
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

/** A fresh look at one file: size and mtime, or null when it is gone. Other errors are thrown. */
export async function restat(absPath: string): Promise<{ size: number; mtimeNs: bigint } | null> {
  try {
    const st = await fs.stat(absPath, { bigint: true });
    return st.isFile() ? { size: Number(st.size), mtimeNs: st.mtimeNs } : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Throws with the OS reason when the folder cannot be listed (missing, unmounted, permission, stale NFS handle). */
export async function assertReadableFolder(folder: string): Promise<void> {
  const st = await fs.stat(folder);
  if (!st.isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a directory, '${folder}'`), { code: 'ENOTDIR' });
  }
  const handle = await fs.opendir(folder, { bufferSize: 1 });
  try {
    await handle.read();
  } finally {
    await handle.close().catch(() => undefined);
  }
}
