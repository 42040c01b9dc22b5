/**
 * The per-record XOR scrambling used by DJI logs from v7 on (and by the v13+ Info block).
 * Keystream: 8 bytes = CRC-64/Jones(init = (seed + type) mod 256, le64(0x123456789ABCDEF0 × seed mod 2^64)).
 * CRC-64/Jones as in the `crc64` crate 2.0.0: reflected polynomial 0x95AC9329AC4BC9B5, byte-wise,
 * no pre/post inversion. The table is generated, not copied.
 */

const MASK64 = (1n << 64n) - 1n;
const REFLECTED_POLY = 0x95ac9329ac4bc9b5n;

let table: BigUint64Array | null = null;

function crcTable(): BigUint64Array {
  if (table) return table;
  const t = new BigUint64Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ REFLECTED_POLY : crc >> 1n;
    t[i] = crc;
  }
  table = t;
  return t;
}

/** CRC-64/Jones (Redis flavour) with an explicit initial value. */
export function crc64Jones(init: bigint, data: Uint8Array): bigint {
  const t = crcTable();
  let crc = init & MASK64;
  for (const b of data) crc = t[Number((crc ^ BigInt(b)) & 0xffn)]! ^ (crc >> 8n);
  return crc;
}

const keyCache = new Map<number, Uint8Array>();
const MAGIC = 0x123456789abcdef0n;

/** The 8-byte XOR key for a record of `recordType` whose body starts with `seed`. */
export function xorKey(seed: number, recordType: number): Uint8Array {
  const id = ((seed & 0xff) << 8) | (recordType & 0xff);
  const cached = keyCache.get(id);
  if (cached) return cached;
  const data = new Uint8Array(8);
  new DataView(data.buffer).setBigUint64(0, (MAGIC * BigInt(seed & 0xff)) & MASK64, true);
  const key64 = crc64Jones(BigInt(((seed & 0xff) + (recordType & 0xff)) & 0xff), data);
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigUint64(0, key64, true);
  keyCache.set(id, key);
  return key;
}

/** XOR `data` with the key stream for (seed, type). Symmetric: scrambles and unscrambles. */
export function xorScramble(data: Uint8Array, seed: number, recordType: number): Uint8Array {
  const key = xorKey(seed, recordType);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[i & 7]!;
  return out;
}
