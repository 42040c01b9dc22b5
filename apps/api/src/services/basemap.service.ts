import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { layers, namedFlavor } from '@protomaps/basemaps';
import { NotFoundError, UnavailableError } from '../errors.js';

/** Where the API serves the archive and its style (fixed: the file's path never comes from a request). */
export const BASEMAP_TILES_PATH = '/api/v1/basemap/tiles.pmtiles';
export const BASEMAP_STYLE_PATH = '/api/v1/basemap/style.json';

/** The name of the vector source in the style; Protomaps' layer builders refer to it. */
const SOURCE = 'protomaps';
/** Bytes read from disk per chunk of a response. */
const CHUNK = 64 * 1024;

export type BasemapTheme = 'light' | 'dark';

/** One piece of a response body: optional text before it (multipart heads), then bytes start..end inclusive. */
export interface BodyPart {
  head?: string;
  start: number;
  end: number;
}

/** The archive, opened for one request: answers come from this handle, so a file swapped meanwhile cannot mix in. */
export interface OpenArchive {
  size: number;
  /** Strong validator from inode, size and mtime: changes whenever the file is replaced or rewritten. */
  etag: string;
  lastModified: Date;
  /** Streams the parts from disk in 64 KiB reads (never the whole file in memory) and closes the file at the end. */
  body(parts: readonly BodyPart[], tail?: string): Readable;
  /** Closes the file; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * The optional local basemap (MAP_PMTILES_PATH): a Protomaps `.pmtiles` archive on this server's disk and a
 * maplibre style over it, so the map can show streets and water without contacting any third party.
 */
export class BasemapService {
  constructor(readonly pmtilesPath: string | null) {}

  get enabled(): boolean {
    return this.pmtilesPath !== null;
  }

  /** Start-up check: the file exists and is a PMTiles v3 archive. The message names the variable to fix. */
  async check(): Promise<void> {
    if (this.pmtilesPath === null) return;
    let magic: Buffer;
    try {
      const fh = await fs.open(this.pmtilesPath, 'r');
      try {
        magic = Buffer.alloc(8);
        await fh.read(magic, 0, 8, 0);
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw new Error(`MAP_PMTILES_PATH: cannot read ${this.pmtilesPath} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (magic.subarray(0, 7).toString('latin1') !== 'PMTiles' || magic[7] !== 3) {
      throw new Error(`MAP_PMTILES_PATH: ${this.pmtilesPath} is not a PMTiles version 3 archive (make one with \`pmtiles extract\`)`);
    }
  }

  /** Opens the archive for one response; NotFound when no basemap is configured, Unavailable when the file is gone. */
  async open(): Promise<OpenArchive> {
    const file = this.#configured();
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(file, 'r');
    } catch (err) {
      throw new UnavailableError('The basemap file cannot be read right now; the server log has the details.', 'basemap-unavailable', { cause: err });
    }
    let st: Awaited<ReturnType<fs.FileHandle['stat']>>;
    try {
      st = await fh.stat();
    } catch (err) {
      await fh.close();
      throw err;
    }
    const tag = createHash('sha256').update(`${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`).digest('base64url').slice(0, 22);
    let closing: Promise<void> | null = null;
    // Idempotent: the body's end and the response's end both close it; a body never read is closed by the latter.
    const close = () => (closing ??= fh.close());
    return {
      size: st.size,
      etag: `"${tag}"`,
      lastModified: st.mtime,
      body: (parts, tail) => Readable.from(readParts(fh, parts, tail, close), { objectMode: false }),
      close,
    };
  }

  /**
   * The maplibre style: Protomaps' own layers (@protomaps/basemaps) in the light or dark flavour over the archive,
   * addressed through the `pmtiles://` protocol at this server's origin. No label layers, so no glyphs or sprites
   * are needed and nothing else is fetched.
   */
  style(origin: string, theme: BasemapTheme): Record<string, unknown> {
    this.#configured();
    return {
      version: 8,
      name: `Dronelog local basemap (${theme})`,
      sources: {
        [SOURCE]: {
          type: 'vector',
          url: `pmtiles://${origin}${BASEMAP_TILES_PATH}`,
          attribution: '© OpenStreetMap contributors',
        },
      },
      layers: layers(SOURCE, namedFlavor(theme)),
    };
  }

  #configured(): string {
    if (this.pmtilesPath === null) {
      throw new NotFoundError('No local basemap is configured. Set MAP_PMTILES_PATH to a Protomaps .pmtiles file to serve one.');
    }
    return this.pmtilesPath;
  }
}

async function* readParts(fh: fs.FileHandle, parts: readonly BodyPart[], tail: string | undefined, close: () => Promise<void>): AsyncGenerator<Buffer> {
  try {
    for (const part of parts) {
      if (part.head) yield Buffer.from(part.head, 'latin1');
      let pos = part.start;
      while (pos <= part.end) {
        const want = Math.min(CHUNK, part.end - pos + 1);
        const { bytesRead, buffer } = await fh.read(Buffer.allocUnsafe(want), 0, want, pos);
        // The file shrank after it was opened (rewritten in place): stop rather than send a wrong length.
        if (bytesRead === 0) throw new Error('the basemap file shrank while it was being sent');
        yield buffer.subarray(0, bytesRead);
        pos += bytesRead;
      }
    }
    if (tail) yield Buffer.from(tail, 'latin1');
  } finally {
    await close();
  }
}
