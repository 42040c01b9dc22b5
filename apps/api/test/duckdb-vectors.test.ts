import { DOUBLE, DuckDBDataChunk, DuckDBInstance, FLOAT, INTEGER, VARCHAR } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { chunkFloatItems, copyNumeric, rawNumeric } from '../src/db/duckdb-vectors.js';

/**
 * The telemetry reads and the import's Appender copy DOUBLE/INTEGER/FLOAT vectors in bulk through fields
 * @duckdb/node-api keeps private (src/db/duckdb-vectors.ts). If an upgrade moves them, both fall back to
 * getItem()/setItem() (correct, slower): these tests say so first.
 */
describe('rawNumeric and copyNumeric (bulk read of DuckDB result vectors)', () => {
  it('find the values and validity bits of DOUBLE and INTEGER vectors, agreeing with getItem() across chunks', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      // 5 000 rows: three chunks; NULLs at irregular places (and none at all in `full`).
      const result = await conn.run(`
        SELECT CASE WHEN i % 7 = 3 OR i BETWEEN 2040 AND 2100 THEN NULL ELSE i / 2 END::DOUBLE AS d,
               CASE WHEN i % 5 = 0 THEN NULL ELSE i::INTEGER END AS n,
               i::DOUBLE AS full
        FROM range(5000) AS r(i)`);
      let checked = 0;
      for (let c = 0; c < result.chunkCount; c++) {
        const chunk = result.getChunk(c);
        for (let j = 0; j < 3; j++) {
          const vector = chunk.getColumnVector(j);
          const raw = rawNumeric(vector, chunk.rowCount);
          expect(raw, `chunk ${c} column ${j}`).not.toBeNull();
          // Copied at an offset into a larger array, as the column readers do.
          const copied = new Float64Array(chunk.rowCount + 1);
          expect(copyNumeric(vector, chunk.rowCount, copied, 1)).toBe(true);
          for (let i = 0; i < chunk.rowCount; i++) {
            const bit = raw!.offset + i;
            const valid = !raw!.valid || (raw!.valid[bit >>> 5]! & (1 << (bit & 31))) !== 0;
            expect(valid ? raw!.items[i] : null).toBe(vector.getItem(i));
            expect(copied[1 + i]).toBe(vector.getItem(i) ?? Number.NaN);
            checked++;
          }
        }
      }
      expect(checked).toBe(15_000);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('chunkFloatItems (bulk write into Appender data chunks)', () => {
  it('exposes the value arrays of FLOAT and DOUBLE chunk vectors: values set there are appended, NULLs set afterwards stay NULL', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await conn.run('CREATE TABLE samples (f FLOAT, d DOUBLE)');
      // 3 000 rows: a full chunk of 2 048 and a partial one; 0.1 steps are not exact in FLOAT (rounded like setItem()).
      const total = 3000;
      const values = Float64Array.from({ length: total }, (_, i) => i * 0.1 - 7);
      const isNull = (i: number) => i % 7 === 3;
      const appender = await conn.createAppender('samples');
      for (let from = 0; from < total; from += 2048) {
        const rows = Math.min(2048, total - from);
        const chunk = DuckDBDataChunk.create([FLOAT, DOUBLE], rows);
        for (let c = 0; c < 2; c++) {
          const vector = chunk.getColumnVector(c);
          const items = chunkFloatItems(vector);
          expect(items, `chunk at ${from} column ${c}`).toBeInstanceOf(c === 0 ? Float32Array : Float64Array);
          items!.set(values.subarray(from, from + rows));
          for (let i = 0; i < rows; i++) if (isNull(from + i)) vector.setItem(i, null);
          vector.flush();
        }
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
      appender.closeSync();

      const stored = (await conn.runAndReadAll('SELECT f, d FROM samples ORDER BY rowid')).getColumnsJS();
      expect(stored[0]).toEqual(Array.from(values, (x, i) => (isNull(i) ? null : Math.fround(x))));
      expect(stored[1]).toEqual(Array.from(values, (x, i) => (isNull(i) ? null : x)));
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('is null for vectors of other types (the caller then uses setItem())', () => {
    const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR], 4);
    expect(chunkFloatItems(chunk.getColumnVector(0))).toBeNull();
    expect(chunkFloatItems(chunk.getColumnVector(1))).toBeNull();
  });
});
