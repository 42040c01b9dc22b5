import { PMTiles, TileType, zxyToTileId as referenceTileId, type Source } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { mvtSquareTile, PMTILES_HEADER_LENGTH, writePmtiles, zxyToTileId } from '../src/index.js';

/** The reference reader over bytes in memory, asking for ranges exactly as it would over HTTP. */
function memorySource(bytes: Uint8Array): Source & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    reads,
    getKey: () => 'memory',
    getBytes: async (offset: number, length: number) => {
      reads.push([offset, length]);
      const slice = bytes.slice(offset, offset + length);
      return { data: slice.buffer };
    },
  };
}

describe('zxyToTileId', () => {
  it('numbers tiles along one Hilbert curve per zoom, like the reference reader', () => {
    expect(zxyToTileId(0, 0, 0)).toBe(0);
    expect([zxyToTileId(1, 0, 0), zxyToTileId(1, 0, 1), zxyToTileId(1, 1, 1), zxyToTileId(1, 1, 0)]).toEqual([1, 2, 3, 4]);
    for (const z of [2, 3, 7, 12]) {
      const n = 2 ** z;
      for (const [x, y] of [[0, 0], [n - 1, 0], [0, n - 1], [n - 1, n - 1], [Math.floor(n / 3), Math.floor((2 * n) / 5)]] as const) {
        expect(zxyToTileId(z, x, y), `${z}/${x}/${y}`).toBe(referenceTileId(z, x, y));
      }
    }
    expect(() => zxyToTileId(1, 2, 0)).toThrow(/outside zoom 1/);
  });
});

describe('writePmtiles', () => {
  const a = Uint8Array.from([1, 2, 3]);
  const b = Uint8Array.from([4, 5, 6, 7, 8]);
  const c = new TextEncoder().encode('tile 2/1/3');
  const bytes = writePmtiles(
    [
      { z: 2, x: 1, y: 3, data: c },
      { z: 0, x: 0, y: 0, data: a },
      { z: 1, x: 1, y: 0, data: b },
    ],
    { tileType: 'unknown', metadata: { name: 'test' }, bounds: [5, 45, 15, 55] },
  );

  it('starts with the magic and version 3, and its header describes the file', async () => {
    expect(new TextDecoder().decode(bytes.slice(0, 7))).toBe('PMTiles');
    expect(bytes[7]).toBe(3);
    const source = memorySource(bytes);
    const header = await new PMTiles(source).getHeader();
    expect(header).toMatchObject({
      specVersion: 3,
      rootDirectoryOffset: PMTILES_HEADER_LENGTH,
      tileType: TileType.Unknown,
      minZoom: 0,
      maxZoom: 2,
      minLon: 5,
      minLat: 45,
      maxLon: 15,
      maxLat: 55,
      numTileEntries: 3,
      tileDataLength: a.length + b.length + c.length,
    });
    expect(header.tileDataOffset + (header.tileDataLength ?? 0)).toBe(bytes.length);
  });

  it('gives every tile back through the reference reader, and nothing for tiles it does not hold', async () => {
    const p = new PMTiles(memorySource(bytes));
    expect(new Uint8Array((await p.getZxy(0, 0, 0))!.data)).toEqual(a);
    expect(new Uint8Array((await p.getZxy(1, 1, 0))!.data)).toEqual(b);
    expect(new TextDecoder().decode((await p.getZxy(2, 1, 3))!.data)).toBe('tile 2/1/3');
    expect(await p.getZxy(1, 0, 0)).toBeUndefined();
    expect(await p.getMetadata()).toEqual({ name: 'test' });
  });

  it('refuses empty archives, empty tiles and duplicates', () => {
    expect(() => writePmtiles([])).toThrow(/at least one tile/);
    expect(() => writePmtiles([{ z: 0, x: 0, y: 0, data: new Uint8Array() }])).toThrow(/empty/);
    expect(() => writePmtiles([{ z: 0, x: 0, y: 0, data: a }, { z: 0, x: 0, y: 0, data: b }])).toThrow(/twice/);
  });
});

describe('mvtSquareTile', () => {
  it('encodes one named layer per name with a tile-filling polygon (protobuf bytes as the MVT spec lays them out)', () => {
    const tile = mvtSquareTile(['earth']);
    // Tile.layers (field 3, bytes), then Layer.version = 2 and Layer.name = "earth".
    expect(tile[0]).toBe((3 << 3) | 2);
    const text = new TextDecoder().decode(tile);
    expect(text).toContain('earth');
    expect(Array.from(tile.slice(2, 6))).toEqual([(15 << 3) | 0, 2, (1 << 3) | 2, 5]);
    expect(mvtSquareTile(['earth', 'water']).length).toBeGreaterThan(tile.length);
  });
});
