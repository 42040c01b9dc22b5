import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { rawNumeric } from '../src/repositories/telemetry.repository.js';

/**
 * The envelope read copies DOUBLE/INTEGER vectors in bulk from fields @duckdb/node-api keeps private (rawNumeric()).
 * If an upgrade moves them, the read falls back to getItem() (correct, slower): this test says so first.
 */
describe('rawNumeric (bulk read of DuckDB result vectors)', () => {
  it('finds the values and validity bits of DOUBLE and INTEGER vectors, agreeing with getItem() across chunks', async () => {
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
          for (let i = 0; i < chunk.rowCount; i++) {
            const bit = raw!.offset + i;
            const valid = !raw!.valid || (raw!.valid[bit >>> 5]! & (1 << (bit & 31))) !== 0;
            expect(valid ? raw!.items[i] : null).toBe(vector.getItem(i));
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
