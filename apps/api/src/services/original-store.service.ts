import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A file written to the temp dir: never named after the upload, hashed while it was written. */
export interface StagedFile {
  tmpPath: string;
  sha256: string;
  size: number;
}

export async function sha256OfFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Files on disk for the import pipeline: temp staging of uploads and the content-addressed store of originals
 * (`<originalsDir>/<sha256[0..2]>/<sha256>`). Upload names are never used as paths.
 */
export class OriginalStore {
  constructor(
    private readonly originalsDir: string,
    private readonly tmpDir: string,
  ) {}

  /** Streams `source` to a new temp file, hashing on the way; nothing is buffered whole. */
  async stage(source: Readable): Promise<StagedFile> {
    await fs.mkdir(this.tmpDir, { recursive: true });
    const tmpPath = path.join(this.tmpDir, `${randomUUID()}.upload`);
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, tap, createWriteStream(tmpPath, { flags: 'wx' }));
    } catch (err) {
      await this.discardTemp(tmpPath);
      throw err;
    }
    return { tmpPath, sha256: hash.digest('hex'), size };
  }

  /** Removes staged uploads left by a previous process (only our own `*.upload` files). */
  async clearTemp(): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.tmpDir);
    } catch {
      return;
    }
    await Promise.all(names.filter((n) => n.endsWith('.upload')).map((n) => fs.rm(path.join(this.tmpDir, n), { force: true })));
  }

  async discardTemp(tmpPath: string): Promise<void> {
    await fs.rm(tmpPath, { force: true });
  }

  /** Path relative to the store, as kept in the ledger. */
  relativePath(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256.slice(0, 80)}`);
    return `${sha256.slice(0, 2)}/${sha256}`;
  }

  absolutePath(sha256: string): string {
    return path.join(this.originalsDir, this.relativePath(sha256));
  }

  /** Moves a staged file into the store (or drops it when the same bytes are already there). */
  async adopt(tmpPath: string, sha256: string): Promise<string> {
    const target = this.absolutePath(sha256);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (await this.has(sha256)) {
      await this.discardTemp(tmpPath);
    } else {
      try {
        await fs.rename(tmpPath, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        // Temp dir on another file system: copy to a sibling, then rename atomically.
        const part = `${target}.${randomUUID()}.part`;
        await fs.copyFile(tmpPath, part);
        await fs.rename(part, target);
        await this.discardTemp(tmpPath);
      }
    }
    return this.relativePath(sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await fs.stat(this.absolutePath(sha256))).isFile();
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await fs.rm(this.absolutePath(sha256), { force: true });
  }
}
