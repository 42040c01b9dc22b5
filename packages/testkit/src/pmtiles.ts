/**
 * A tiny PMTiles v3 writer for tests (spec: github.com/protomaps/PMTiles, spec/v3/spec.md): header, one root
 * directory, JSON metadata and the tiles, all uncompressed, no leaf directories. Enough for a server to serve by
 * byte ranges and for the `pmtiles` reader and maplibre to read; not a general-purpose writer (no deduplication,
 * no run lengths > 1, at most a few thousand tiles so the root directory stays within the first 16 KiB).
 */

export interface PmtilesTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export type PmtilesTileType = 'unknown' | 'mvt' | 'png' | 'jpeg' | 'webp' | 'avif';

export interface PmtilesOptions {
  /** Tile type in the header (default `mvt`). */
  tileType?: PmtilesTileType;
  /** JSON metadata (default `{}`); for vector tiles the spec asks for `vector_layers`. */
  metadata?: Record<string, unknown>;
  /** [west, south, east, north] in degrees (default: the whole world). */
  bounds?: [number, number, number, number];
}

/** Byte length of the fixed header. */
export const PMTILES_HEADER_LENGTH = 127;

const TILE_TYPE: Record<PmtilesTileType, number> = { unknown: 0, mvt: 1, png: 2, jpeg: 3, webp: 4, avif: 5 };
const COMPRESSION_NONE = 1;

/**
 * The tile's position on the series of Hilbert curves, one per zoom level starting at z0 (the spec's TileId):
 * the tiles of all lower zooms come first, then the Hilbert index of (x, y) at z.
 */
export function zxyToTileId(z: number, x: number, y: number): number {
  if (!Number.isInteger(z) || z < 0 || z > 26) throw new RangeError(`zoom ${z} is outside 0–26`);
  const n = 2 ** z;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= n || y >= n) {
    throw new RangeError(`tile ${z}/${x}/${y} is outside zoom ${z}`);
  }
  const before = (4 ** z - 1) / 3;
  let d = 0;
  let px = x;
  let py = y;
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (px & s) > 0 ? 1 : 0;
    const ry = (py & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    // Rotate the quadrant so the curve stays continuous (only the bits below s matter from here on).
    if (ry === 0) {
      if (rx === 1) {
        px = s - 1 - (px % s);
        py = s - 1 - (py % s);
      }
      [px, py] = [py, px];
    }
  }
  return before + d;
}

function varint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
}

/** The spec's directory encoding: count, then delta tile ids, run lengths, lengths and offsets as varints. */
function serializeDirectory(entries: Entry[]): Uint8Array {
  const out: number[] = [];
  varint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    varint(out, e.tileId - last);
    last = e.tileId;
  }
  for (let i = 0; i < entries.length; i++) varint(out, 1);
  for (const e of entries) varint(out, e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    // 0 = "right after the previous tile", the common case in a clustered archive.
    varint(out, prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  return Uint8Array.from(out);
}

/** Writes a complete PMTiles v3 archive holding `tiles` (at least one; each non-empty, no duplicates). */
export function writePmtiles(tiles: readonly PmtilesTile[], options: PmtilesOptions = {}): Uint8Array {
  if (tiles.length === 0) throw new Error('a PMTiles archive needs at least one tile');
  const sorted = tiles
    .map((t) => ({ tile: t, tileId: zxyToTileId(t.z, t.x, t.y) }))
    .sort((a, b) => a.tileId - b.tileId);
  const entries: Entry[] = [];
  let offset = 0;
  for (const { tile, tileId } of sorted) {
    if (tile.data.length === 0) throw new Error(`tile ${tile.z}/${tile.x}/${tile.y} is empty (the spec forbids length 0)`);
    if (entries.at(-1)?.tileId === tileId) throw new Error(`tile ${tile.z}/${tile.x}/${tile.y} is given twice`);
    entries.push({ tileId, offset, length: tile.data.length });
    offset += tile.data.length;
  }
  const root = serializeDirectory(entries);
  if (PMTILES_HEADER_LENGTH + root.length > 16_384) throw new Error('too many tiles for a root directory without leaves');
  const metadata = new TextEncoder().encode(JSON.stringify(options.metadata ?? {}));
  const tileDataLength = offset;

  const rootOffset = PMTILES_HEADER_LENGTH;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset;
  const total = dataOffset + tileDataLength;

  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('PMTiles'), 0);
  view.setUint8(7, 3);
  const u64 = (at: number, v: number) => view.setBigUint64(at, BigInt(v), true);
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metadataOffset);
  u64(32, metadata.length);
  u64(40, leafOffset);
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, tileDataLength);
  u64(72, entries.length);
  u64(80, entries.length);
  u64(88, entries.length);
  view.setUint8(96, 1); // clustered: tiles are in tile-id order
  view.setUint8(97, COMPRESSION_NONE);
  view.setUint8(98, COMPRESSION_NONE);
  view.setUint8(99, TILE_TYPE[options.tileType ?? 'mvt']);
  const zooms = tiles.map((t) => t.z);
  const minZoom = Math.min(...zooms);
  view.setUint8(100, minZoom);
  view.setUint8(101, Math.max(...zooms));
  const [w, s, e, n] = options.bounds ?? [-180, -85.0511287, 180, 85.0511287];
  const e7 = (deg: number) => Math.round(deg * 1e7);
  view.setInt32(102, e7(w), true);
  view.setInt32(106, e7(s), true);
  view.setInt32(110, e7(e), true);
  view.setInt32(114, e7(n), true);
  view.setUint8(118, minZoom);
  view.setInt32(119, e7((w + e) / 2), true);
  view.setInt32(123, e7((s + n) / 2), true);

  bytes.set(root, rootOffset);
  bytes.set(metadata, metadataOffset);
  let at = dataOffset;
  for (const { tile } of sorted) {
    bytes.set(tile.data, at);
    at += tile.data.length;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// A minimal Mapbox Vector Tile (protobuf, spec v2.1) so maplibre has something real to draw.

function tag(out: number[], field: number, wireType: number): void {
  varint(out, (field << 3) | wireType);
}

function bytesField(out: number[], field: number, data: ArrayLike<number>): void {
  tag(out, field, 2);
  varint(out, data.length);
  for (let i = 0; i < data.length; i++) out.push(data[i]!);
}

const zigzag = (n: number) => (n << 1) ^ (n >> 31);

/**
 * A vector tile with one polygon covering the whole tile in each named layer (e.g. `earth`, the Protomaps
 * land layer), extent 4096. Geometry: MoveTo(0,0), LineTo ×3 round the square clockwise, ClosePath.
 */
export function mvtSquareTile(layerNames: readonly string[]): Uint8Array {
  const E = 4096;
  const geometry: number[] = [];
  for (const v of [9, zigzag(0), zigzag(0), 26, zigzag(E), zigzag(0), zigzag(0), zigzag(E), zigzag(-E), zigzag(0), 15]) varint(geometry, v);
  const feature: number[] = [];
  tag(feature, 3, 0); // type
  varint(feature, 3); // POLYGON
  bytesField(feature, 4, geometry); // packed geometry commands
  const tile: number[] = [];
  for (const name of layerNames) {
    const layer: number[] = [];
    tag(layer, 15, 0); // version
    varint(layer, 2);
    bytesField(layer, 1, new TextEncoder().encode(name));
    bytesField(layer, 2, feature);
    tag(layer, 5, 0); // extent
    varint(layer, E);
    bytesField(tile, 3, layer);
  }
  return Uint8Array.from(tile);
}
