import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mvtSquareTile, writePmtiles } from '@dronelog/testkit';
import { FetchSource, PMTiles } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { buildTestApp, type TestApp } from './helper.js';

const TILES = '/api/v1/basemap/tiles.pmtiles';
const STYLE = '/api/v1/basemap/style.json';

/** Parses a `Content-Security-Policy` header into directive → sources. */
function csp(header: unknown): Map<string, string[]> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([k, ...v]) => [k!, v]),
  );
}

describe('local basemap (MAP_PMTILES_PATH)', () => {
  let dir: string;
  let file: string;
  let bytes: Buffer;
  let t: TestApp;
  // A tile larger than the server's 64 KiB read chunk, so ranges and full reads cross chunk boundaries.
  const big = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 31 + 7) % 251);
  const tiles = [
    { z: 0, x: 0, y: 0, data: mvtSquareTile(['earth']) },
    { z: 1, x: 1, y: 0, data: new TextEncoder().encode('tile 1/1/0') },
    { z: 2, x: 2, y: 1, data: big },
  ];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-basemap-'));
    file = path.join(dir, 'extract.pmtiles');
    bytes = Buffer.from(writePmtiles(tiles, { metadata: { name: 'test extract', vector_layers: [{ id: 'earth', fields: {} }] } }));
    await fs.writeFile(file, bytes);
    t = await buildTestApp({ MAP_PMTILES_PATH: file });
  });
  afterAll(async () => {
    await t?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const get = (headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET', url = TILES) => t.app.inject({ method, url, headers });

  it('tells the web app to use its own style, and keeps the CSP same-origin', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/config' });
    expect(res.json()).toMatchObject({ mapStyleUrl: null, basemap: { kind: 'pmtiles', styleUrl: STYLE } });
    const p = csp(res.headers['content-security-policy']);
    expect(p.get('connect-src')).toEqual(["'self'"]);
    expect(p.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('serves the whole file with its validators', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.headers['content-type']).toBe('application/vnd.pmtiles');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    const mtime = (await fs.stat(file)).mtime;
    expect(res.headers['last-modified']).toBe(mtime.toUTCString());
  });

  it('answers a Range with 206 and exactly those bytes: the header starts with the magic and version 3', async () => {
    const res = await get({ range: 'bytes=0-126' });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 0-126/${bytes.length}`);
    expect(res.headers['content-length']).toBe('127');
    expect(res.rawPayload.subarray(0, 7).toString('latin1')).toBe('PMTiles');
    expect(res.rawPayload[7]).toBe(3);
    expect(res.rawPayload.equals(bytes.subarray(0, 127))).toBe(true);
  });

  it('clamps ranges to the file and reads across chunk boundaries; suffix and open-ended ranges work', async () => {
    const first16k = await get({ range: 'bytes=0-16383' });
    expect(first16k.statusCode).toBe(206);
    expect(first16k.rawPayload.equals(bytes.subarray(0, 16_384))).toBe(true);

    const across = await get({ range: 'bytes=60000-140000' });
    expect(across.headers['content-range']).toBe(`bytes 60000-140000/${bytes.length}`);
    expect(across.rawPayload.equals(bytes.subarray(60_000, 140_001))).toBe(true);

    const beyond = await get({ range: `bytes=${bytes.length - 5}-${bytes.length + 1000}` });
    expect(beyond.statusCode).toBe(206);
    expect(beyond.headers['content-range']).toBe(`bytes ${bytes.length - 5}-${bytes.length - 1}/${bytes.length}`);
    expect(beyond.rawPayload.equals(bytes.subarray(-5))).toBe(true);

    const suffix = await get({ range: 'bytes=-10' });
    expect(suffix.rawPayload.equals(bytes.subarray(-10))).toBe(true);
    const open = await get({ range: 'bytes=100000-' });
    expect(open.rawPayload.equals(bytes.subarray(100_000))).toBe(true);
  });

  it('answers several ranges as multipart/byteranges with an exact length; overlapping ones merge into one', async () => {
    const res = await get({ range: 'bytes=100-109, 0-6' });
    expect(res.statusCode).toBe(206);
    const boundary = /^multipart\/byteranges; boundary=(\w+)$/.exec(String(res.headers['content-type']))?.[1];
    expect(boundary).toBeDefined();
    const expected = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/vnd.pmtiles\r\nContent-Range: bytes 0-6/${bytes.length}\r\n\r\n`),
      bytes.subarray(0, 7),
      Buffer.from(`\r\n--${boundary}\r\nContent-Type: application/vnd.pmtiles\r\nContent-Range: bytes 100-109/${bytes.length}\r\n\r\n`),
      bytes.subarray(100, 110),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(res.rawPayload.equals(expected)).toBe(true);
    expect(res.headers['content-length']).toBe(String(expected.length));

    const merged = await get({ range: 'bytes=0-5,3-10,11-20' });
    expect(merged.headers['content-range']).toBe(`bytes 0-20/${bytes.length}`);
    expect(merged.rawPayload.equals(bytes.subarray(0, 21))).toBe(true);
  });

  it('answers 416 with the size when no range fits, and ignores a malformed Range or another unit', async () => {
    const res = await get({ range: `bytes=${bytes.length}-` });
    expect(res.statusCode).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${bytes.length}`);
    expect(res.json().message).toContain(`${bytes.length} bytes`);
    for (const range of ['bytes=abc', 'bytes=9-3', 'items=0-5']) {
      const full = await get({ range });
      expect(full.statusCode, range).toBe(200);
      expect(full.rawPayload.length).toBe(bytes.length);
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await get({}, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(bytes.length));
    expect(head.headers['accept-ranges']).toBe('bytes');
    expect(head.rawPayload.length).toBe(0);
    const ranged = await get({ range: 'bytes=0-126' }, 'HEAD');
    expect(ranged.statusCode).toBe(206);
    expect(ranged.headers['content-length']).toBe('127');
    expect(ranged.headers['content-range']).toBe(`bytes 0-126/${bytes.length}`);
    expect(ranged.rawPayload.length).toBe(0);
  });

  it('revalidates with ETag / Last-Modified and honours If-Range only for the current version', async () => {
    const { etag, 'last-modified': lastModified } = (await get()).headers as Record<string, string>;
    expect((await get({ 'if-none-match': etag! })).statusCode).toBe(304);
    expect((await get({ 'if-modified-since': lastModified! })).statusCode).toBe(304);
    expect((await get({ 'if-none-match': '"other"' })).statusCode).toBe(200);
    expect((await get({ range: 'bytes=0-9', 'if-range': etag! })).statusCode).toBe(206);
    const stale = await get({ range: 'bytes=0-9', 'if-range': '"an-older-version"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.length).toBe(bytes.length);
  });

  it('changes the ETag when the file is replaced', async () => {
    const before = (await get()).headers.etag;
    const replacement = path.join(dir, 'new.pmtiles');
    await fs.writeFile(replacement, writePmtiles([{ z: 0, x: 0, y: 0, data: mvtSquareTile(['water']) }]));
    const copy = path.join(dir, 'old.pmtiles');
    await fs.rename(file, copy);
    await fs.rename(replacement, file);
    try {
      const after = await get();
      expect(after.headers.etag).not.toBe(before);
      expect(after.rawPayload.equals(bytes)).toBe(false);
    } finally {
      await fs.rename(copy, file);
    }
    expect((await get()).headers.etag).toBe(before);
  });

  it('takes the file from the configuration only, never from the request', async () => {
    const other = path.join(dir, 'secret.txt');
    await fs.writeFile(other, 'not for the browser');
    const withParams = await t.app.inject({ method: 'GET', url: `${TILES}?path=${encodeURIComponent(other)}&file=secret.txt` });
    expect(withParams.rawPayload.equals(bytes)).toBe(true);
    for (const url of ['/api/v1/basemap/secret.txt', '/api/v1/basemap/tiles.pmtiles/../secret.txt', `/api/v1/basemap/${encodeURIComponent(other)}`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('not for the browser');
    }
  });

  it('serves a maplibre style over the archive at this origin, without labels, glyphs or sprites', async () => {
    const res = await t.app.inject({ method: 'GET', url: STYLE, headers: { host: 'logbook.example.org:8443' } });
    expect(res.statusCode).toBe(200);
    const style = res.json();
    expect(style.version).toBe(8);
    expect(style.sources).toEqual({
      protomaps: { type: 'vector', url: 'pmtiles://http://logbook.example.org:8443/api/v1/basemap/tiles.pmtiles', attribution: expect.stringContaining('OpenStreetMap') },
    });
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const layers = style.layers as Array<{ type: string; source?: string; 'source-layer'?: string }>;
    expect(layers.length).toBeGreaterThan(10);
    expect(layers.some((l) => l.type === 'symbol')).toBe(false);
    expect(new Set(layers.flatMap((l) => (l.source ? [l.source] : [])))).toEqual(new Set(['protomaps']));
    const sourceLayers = new Set(layers.flatMap((l) => (l['source-layer'] ? [l['source-layer']] : [])));
    for (const name of ['earth', 'water', 'landuse', 'roads', 'buildings', 'boundaries']) expect(sourceLayers).toContain(name);
    // Every URL in it is this server's.
    const urls = JSON.stringify(style).match(/[a-z]+:\/\/[^"]+/g) ?? [];
    expect(urls).toEqual(['pmtiles://http://logbook.example.org:8443/api/v1/basemap/tiles.pmtiles']);
  });

  it('has a light and a dark flavour and refuses other themes', async () => {
    const bg = async (theme: string) =>
      ((await t.app.inject({ method: 'GET', url: `${STYLE}?theme=${theme}` })).json().layers as Array<{ type: string; paint: Record<string, string> }>).find(
        (l) => l.type === 'background',
      )!.paint['background-color'];
    expect(await bg('light')).not.toBe(await bg('dark'));
    expect((await t.app.inject({ method: 'GET', url: `${STYLE}?theme=neon` })).statusCode).toBe(400);
  });

  it('is read tile by tile by the pmtiles reader over real HTTP', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    // The reader's fetch keeps its connections alive; end them so closing the app never waits on one (a CI run hung
    // 60 s in afterAll once).
    onTestFinished(() => t.app.server.closeAllConnections());
    const archive = new PMTiles(new FetchSource(`http://127.0.0.1:${address.port}${TILES}`));
    const header = await archive.getHeader();
    expect(header).toMatchObject({ specVersion: 3, minZoom: 0, maxZoom: 2, numTileEntries: 3 });
    expect(header.etag).toBe((await get()).headers.etag);
    for (const tile of tiles) {
      const got = await archive.getZxy(tile.z, tile.x, tile.y);
      expect(new Uint8Array(got!.data), `${tile.z}/${tile.x}/${tile.y}`).toEqual(tile.data);
    }
    expect(await archive.getZxy(1, 0, 0)).toBeUndefined();
    expect(await archive.getMetadata()).toMatchObject({ name: 'test extract' });
  });
});

describe('without MAP_PMTILES_PATH', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  it('has no basemap: config says none, tiles and style are 404 with the variable to set', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/config' })).json().basemap).toEqual({ kind: 'none', styleUrl: null });
    for (const [method, url] of [['GET', TILES], ['HEAD', TILES], ['GET', STYLE]] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      if (method === 'GET') expect(res.json().message).toContain('MAP_PMTILES_PATH');
    }
  });

  it('names a configured third-party style as such', async () => {
    const styled = await buildTestApp({ MAP_STYLE_URL: 'https://tiles.example.org/style.json' });
    try {
      expect((await styled.app.inject({ method: 'GET', url: '/api/v1/config' })).json().basemap).toEqual({
        kind: 'style',
        styleUrl: 'https://tiles.example.org/style.json',
      });
    } finally {
      await styled.close();
    }
  });
});

describe('MAP_PMTILES_PATH at start-up', () => {
  it('refuses to be set together with MAP_STYLE_URL', () => {
    expect(() => loadConfig({ MAP_PMTILES_PATH: '/srv/x.pmtiles', MAP_STYLE_URL: 'https://tiles.example.org/style.json' })).toThrow(
      /MAP_STYLE_URL or MAP_PMTILES_PATH, not both/,
    );
    expect(loadConfig({ MAP_PMTILES_PATH: 'maps/x.pmtiles' }, '/srv').mapPmtilesPath).toBe('/srv/maps/x.pmtiles');
  });

  it('stops the server when the file is missing or is not a PMTiles v3 archive', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dronelog-basemap-bad-'));
    try {
      await expect(buildTestApp({ MAP_PMTILES_PATH: path.join(dir, 'missing.pmtiles') })).rejects.toThrow(/MAP_PMTILES_PATH: cannot read .*ENOENT/);
      const notPmtiles = path.join(dir, 'not.pmtiles');
      await fs.writeFile(notPmtiles, 'PK\x03\x04 a zip, not tiles');
      await expect(buildTestApp({ MAP_PMTILES_PATH: notPmtiles })).rejects.toThrow(/not a PMTiles version 3 archive/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
