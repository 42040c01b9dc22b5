import os from 'node:os';
import type { DuckDBVector } from '@duckdb/node-api';

/**
 * Bulk access to the typed arrays behind @duckdb/node-api (1.5) vectors: the one place that knows its private fields.
 * Its public getItem()/setItem() convert one value per call and test or set a validity bit with BigInt arithmetic,
 * which over telemetry's thousands of values per read or import cost more than the work itself; a typed-array copy
 * does not. The fields are private in its types, so each accessor returns null when one is not where 1.5 keeps it, and
 * callers then use the public API (correct, slower). test/duckdb-vectors.test.ts fails first if an upgrade moves them.
 */

const LITTLE_ENDIAN = os.endianness() === 'LE';

/**
 * A DOUBLE or INTEGER vector's values and validity bits, taken from the fields @duckdb/node-api 1.5 keeps them in
 * (`items`, `validity.data`/`offset`; private in its types), or null when they are not there (then: getItem()).
 * Its getItem() tests a validity bit with BigInt arithmetic per value, which over the envelope's ~80 × 3 000 values
 * cost more than the read itself (and coalescing NULLs away in SQL cost DuckDB ~40 % more on the scan).
 */
export function rawNumeric(vector: DuckDBVector, n: number): { items: Float64Array | Int32Array; valid: Uint32Array | null; offset: number } | null {
  const v = vector as unknown as { items?: unknown; validity?: { data?: unknown; offset?: unknown } };
  const items = v.items;
  if (!LITTLE_ENDIAN || !(items instanceof Float64Array || items instanceof Int32Array) || items.length < n || !v.validity) return null;
  const { data, offset } = v.validity;
  if (data === null) return { items, valid: null, offset: 0 };
  if (!(data instanceof BigUint64Array) || typeof offset !== 'number') return null;
  // Bit b of the mask is bit b % 32 of 32-bit word b / 32 on a little-endian machine.
  return { items, valid: new Uint32Array(data.buffer, data.byteOffset, data.length * 2), offset };
}

/**
 * Copies the `n` values of a DOUBLE or INTEGER vector into `out` from index `at`, NULL as NaN, in bulk (see
 * rawNumeric()); false, with nothing copied, when the vector's fields are not there (then read it with getItem()).
 */
export function copyNumeric(vector: DuckDBVector, n: number, out: Float64Array | unknown[], at: number): boolean {
  const raw = rawNumeric(vector, n);
  if (!raw) return false;
  const { items, valid, offset } = raw;
  if (!valid) {
    if (out instanceof Float64Array) out.set(items.subarray(0, n), at);
    else for (let i = 0; i < n; i++) out[at + i] = items[i];
    return true;
  }
  for (let i = 0; i < n; i++) {
    const bit = offset + i;
    out[at + i] = valid[bit >>> 5]! & (1 << (bit & 31)) ? items[i]! : Number.NaN;
  }
  return true;
}

/**
 * The value array of a FLOAT or DOUBLE data-chunk vector, to fill in one typed-array set(): `@duckdb/node-api` (1.5)
 * keeps one per vector and copies it to DuckDB in flush(), but does not make it public. In a fresh chunk every row is
 * valid until setItem(i, null) makes it NULL. Null for any other vector or shape: the caller then uses setItem().
 */
export function chunkFloatItems(vector: DuckDBVector): Float32Array | Float64Array | null {
  const items = (vector as unknown as { items?: unknown }).items;
  return (items instanceof Float32Array || items instanceof Float64Array) && items.length === vector.itemCount ? items : null;
}
