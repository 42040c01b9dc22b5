import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, createGunzip, createGzip } from 'node:zlib';
import tar, { type Header, type Pack } from 'tar-stream';

/** A tar entry being written (a streamx Writable). */
type Sink = ReturnType<Pack['entry']>;

/**
 * The backup archive as bytes: a gzip'd tar whose first entry is `manifest.json`, then the files. Only streams:
 * nothing is held in memory whole except the manifest. Knows nothing of tables or DuckDB (backup.service.ts does).
 */

/** One file to put into an archive: its name inside the archive and where it is on disk. */
export interface PackFile {
  name: string;
  path: string;
  size: number;
}

/** Names allowed inside an archive; anything else makes the archive invalid. */
export const MANIFEST_NAME = 'manifest.json';
const DATA_NAME = /^data\/([a-z_][a-z0-9_]{0,62})\.parquet$/;
const ORIGINAL_NAME = /^originals\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

export function dataFileName(table: string): string {
  return `data/${table}.parquet`;
}

export function originalFileName(sha256: string): string {
  return `originals/${sha256.slice(0, 2)}/${sha256}`;
}

/**
 * Streams `manifest` then `files` as a .tar.gz. The gzip level is the fastest one: the parquet files are zstd
 * already and the logs barely shrink, so a higher level would only cost CPU on a 2-core pod.
 * The returned stream errors (and the download is cut, which the client sees) if a file cannot be read.
 */
export function packArchive(manifest: Buffer, files: PackFile[]): Readable {
  const pack = tar.pack();
  const gzip = createGzip({ level: zlibConstants.Z_BEST_SPEED });
  // Errors surface on `gzip` (pipeline destroys it); a client going away destroys gzip, which ends pack.
  pipeline(pack, gzip).catch(() => undefined);
  pack.on('error', () => undefined);
  const mtime = new Date();
  void (async () => {
    await entry(pack, { name: MANIFEST_NAME, size: manifest.length, mtime, mode: 0o644 }, async (w) => {
      await write(w, manifest);
    });
    for (const f of files) {
      if (gzip.destroyed) return;
      await entry(pack, { name: f.name, size: f.size, mtime, mode: 0o644 }, async (w) => {
        for await (const chunk of createReadStream(f.path)) await write(w, chunk as Buffer);
      });
    }
    pack.finalize();
  })().catch((err: unknown) => {
    gzip.destroy(err as Error);
    pack.destroy();
  });
  return gzip;
}

async function entry(pack: Pack, header: Partial<Header> & { name: string }, fill: (w: Sink) => Promise<void>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const w = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    // Destroying the pack (client gone) errors the open entry too; the callback above reports it.
    w.on('error', () => undefined);
    fill(w).then(
      () => w.end(undefined),
      (err: unknown) => {
        w.destroy(err as Error);
        reject(err as Error);
      },
    );
  });
}

async function write(w: Sink, chunk: Buffer): Promise<void> {
  if (w.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      w.off('drain', done);
      w.off('error', done);
      w.off('close', closed);
      if (err) reject(err);
      else resolve();
    };
    const closed = () => done(new Error('the archive stream was closed'));
    w.once('drain', done);
    w.once('error', done);
    w.once('close', closed);
  });
}

/** Why an archive could not be read; its message is for the pilot. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
}

/** The body was larger than allowed (before or after decompression). */
export class ArchiveTooLargeError extends Error {
  override readonly name = 'ArchiveTooLargeError';
  constructor(readonly what: 'compressed' | 'unpacked') {
    super(what === 'compressed' ? 'the archive is larger than allowed' : 'the archive unpacks to more than allowed');
  }
}

export interface ExtractedFile {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

export interface ExtractedArchive {
  /** The raw manifest bytes (validated by the caller). */
  manifest: Buffer;
  /** Parquet files by table name. */
  data: Map<string, ExtractedFile>;
  /** Original logs by the sha256 in their name (`sha256` is what the bytes really hash to). */
  originals: Map<string, ExtractedFile>;
}

export interface ExtractLimits {
  /** Largest total of the unpacked files (a gzip bomb stops here). */
  maxExtractedBytes: number;
  /** Called once with the manifest as soon as it is read (early refusal, e.g. a newer schema). */
  onManifest?: (manifest: Buffer) => void;
}

function limiter(max: number, what: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(what());
      else done(null, chunk);
    },
  });
}

/**
 * Streams an upload body to `file`, refusing it past `maxBytes` (ArchiveTooLargeError). The body stream itself is
 * never destroyed (it may be the HTTP request, whose socket must stay open for the answer): on a refusal it is
 * unpiped and drained.
 */
export async function saveBody(body: Readable, file: string, maxBytes: number): Promise<number> {
  const through = new PassThrough();
  let size = 0;
  body.pipe(through);
  try {
    await pipeline(
      through,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) done(new ArchiveTooLargeError('compressed'));
          else done(null, chunk);
        },
      }),
      createWriteStream(file, { flags: 'wx' }),
    );
  } catch (err) {
    body.unpipe(through);
    body.resume();
    throw err;
  }
  return size;
}

/**
 * Unpacks a .tar.gz into `dir`, hashing every file on the way. Accepts only the names a backup has (manifest.json,
 * data/<table>.parquet, originals/<hh>/<sha256>; directories are ignored), each at most once, so no path from the
 * archive is ever used as given. Damaged gzip or tar data, other entries or names throw ArchiveError.
 */
export async function extractArchive(archiveFile: string, dir: string, limits: ExtractLimits): Promise<ExtractedArchive> {
  const found: { manifest?: Buffer } = {};
  const data = new Map<string, ExtractedFile>();
  const originals = new Map<string, ExtractedFile>();
  await forEachEntry(archiveFile, limits.maxExtractedBytes, async (e) => {
    const name = fileEntryName(e, 'a backup holds only files.');
    if (name === null) return;
    if (name === MANIFEST_NAME) {
      if (found.manifest) throw new ArchiveError('The archive holds manifest.json twice.');
      found.manifest = await readSmall(e, MAX_MANIFEST_BYTES);
      limits.onManifest?.(found.manifest);
      return;
    }
    const dataMatch = DATA_NAME.exec(name);
    const originalMatch = ORIGINAL_NAME.exec(name);
    if (!dataMatch && !originalMatch) throw new ArchiveError(`"${clip(name)}" does not belong in a Dronelog backup.`);
    const target = dataMatch ? data : originals;
    const key = dataMatch ? dataMatch[1]! : originalMatch![2]!;
    if (originalMatch && originalMatch[1] !== key.slice(0, 2)) throw new ArchiveError(`"${clip(name)}" is filed under the wrong folder.`);
    if (target.has(key)) throw new ArchiveError(`The archive holds "${clip(name)}" twice.`);
    const file = path.join(dir, ...name.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    target.set(key, { name, path: file, ...(await writeEntry(e, file)) });
  });
  if (!found.manifest) throw new ArchiveError('The archive has no manifest.json: it is not a Dronelog backup.');
  return { manifest: found.manifest, data, originals };
}

export interface ExtractFilesOptions {
  /** Largest total of the unpacked files (a gzip bomb stops here). */
  maxExtractedBytes: number;
  /** Most entries (files and folders) the archive may hold. */
  maxEntries: number;
  /** The key a (safe, normalised) entry name is filed under, or null when such a name does not belong in the archive. */
  keyOf(name: string): string | null;
  /** The message for an entry name `keyOf` refused. */
  foreign(name: string): string;
}

/**
 * Unpacks a .tar.gz of plain files into `dir` (another archive layout than `extractArchive`'s, e.g. Open DroneLog's
 * flat `<table>.parquet` files), with the same guards: names checked (no absolute paths, `..`, links or devices), each
 * key once, sizes limited, damage reported as ArchiveError. Files are written under numbered names, never under a
 * name from the archive.
 */
export async function extractFiles(archiveFile: string, dir: string, opts: ExtractFilesOptions): Promise<Map<string, ExtractedFile>> {
  await fs.mkdir(dir, { recursive: true }); // before the reading starts (forEachEntry says why)
  const files = new Map<string, ExtractedFile>();
  let entries = 0;
  await forEachEntry(archiveFile, opts.maxExtractedBytes, async (e) => {
    if (++entries > opts.maxEntries) throw new ArchiveError(`The archive holds more than ${opts.maxEntries} entries.`);
    const name = fileEntryName(e, 'the archive may hold only files.');
    if (name === null) return;
    const key = opts.keyOf(name);
    if (key === null) throw new ArchiveError(opts.foreign(clip(name)));
    if (files.has(key)) throw new ArchiveError(`The archive holds "${clip(name)}" twice.`);
    const file = path.join(dir, `entry-${entries}`);
    files.set(key, { name, path: file, ...(await writeEntry(e, file)) });
  });
  return files;
}

/** One entry of a tar being read: its header and its bytes. */
type TarEntry = tar.Extract extends AsyncIterable<infer E> ? E : never;

/**
 * Feeds a .tar.gz through gunzip and the unpacked-size limit into a tar reader and hands `visit` each entry in turn.
 * The first error, from `visit` or from the data (gzip, tar, size limit), ends the reading and is thrown, as an
 * ArchiveError where it is damage. Do any awaiting before calling: an await between starting the pipeline and
 * iterating its entries lets an early error (not gzip) destroy the stream before the loop, which then never ends.
 */
async function forEachEntry(archiveFile: string, maxExtractedBytes: number, visit: (e: TarEntry) => Promise<void>): Promise<void> {
  const extract = tar.extract();
  const feeding = pipeline(
    createReadStream(archiveFile),
    createGunzip(),
    limiter(maxExtractedBytes, () => new ArchiveTooLargeError('unpacked')),
    extract,
  );
  // The loop below reports the first error; this keeps a feeding error from being unhandled meanwhile.
  const fed = feeding.then(
    () => null,
    (err: unknown) => err as Error,
  );
  try {
    for await (const e of extract) await visit(e);
  } catch (err) {
    extract.destroy(err as Error);
    const feedErr = await fed;
    // When the loop only saw the stream closing, the cause is upstream (gzip, tar, size limit): report that one.
    const closedOnly = (err as NodeJS.ErrnoException)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
    throw translate(closedOnly && feedErr ? feedErr : err);
  }
  const feedErr = await fed;
  if (feedErr) throw translate(feedErr);
}

/**
 * The entry's safe name, or null for a directory (drained and skipped: folders follow from the file names). Any other
 * kind than a plain file (link, device, fifo) throws ArchiveError, its message ending in `onlyFiles`.
 */
function fileEntryName(e: TarEntry, onlyFiles: string): string | null {
  const name = normaliseName(e.header.name);
  const type = e.header.type ?? 'file';
  if (type === 'directory') {
    e.resume();
    return null;
  }
  if (type !== 'file' && type !== 'contiguous-file') throw new ArchiveError(`"${clip(name)}" is a ${type}; ${onlyFiles}`);
  return name;
}

/** Streams one tar entry to a new file (never overwriting), hashing it on the way. */
async function writeEntry(entry: Parameters<typeof Readable.from>[0], file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    Readable.from(entry),
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    }),
    createWriteStream(file, { flags: 'wx' }),
  );
  return { size, sha256: hash.digest('hex') };
}

function translate(err: unknown): Error {
  if (err instanceof ArchiveError || err instanceof ArchiveTooLargeError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const msg = e?.message ?? String(err);
  if (code.startsWith('Z_') || /incorrect header check|unexpected end of file|invalid (block|distance|stored)/i.test(msg)) {
    return new ArchiveError(`The archive is damaged or not gzip-compressed (${msg}).`);
  }
  if (/tar|header|end of data|unexpected end/i.test(msg)) {
    return new ArchiveError(`The archive's tar data is damaged or cut short (${msg}).`);
  }
  return e instanceof Error ? e : new Error(msg);
}

function normaliseName(raw: string): string {
  let name = raw.replace(/^(\.\/)+/, '');
  if (name.endsWith('/')) name = name.slice(0, -1);
  if (name.startsWith('/') || name.includes('\\') || name.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new ArchiveError(`"${clip(raw)}" is not a safe name inside an archive.`);
  }
  return name;
}

function clip(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

async function readSmall(stream: AsyncIterable<unknown>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max) throw new ArchiveError(`manifest.json is larger than ${max / (1024 * 1024)} MB.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
