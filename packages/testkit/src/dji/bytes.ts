/** A small growable little-endian byte writer. */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  #len = 0;

  constructor(initialCapacity = 1024) {
    this.#buf = new Uint8Array(initialCapacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  get length(): number {
    return this.#len;
  }

  #ensure(extra: number): void {
    const need = this.#len + extra;
    if (need <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.#ensure(1);
    this.#view.setUint8(this.#len, clampInt(v, 0, 0xff));
    this.#len += 1;
    return this;
  }
  i8(v: number): this {
    this.#ensure(1);
    this.#view.setInt8(this.#len, clampInt(v, -0x80, 0x7f));
    this.#len += 1;
    return this;
  }
  u16(v: number): this {
    this.#ensure(2);
    this.#view.setUint16(this.#len, clampInt(v, 0, 0xffff), true);
    this.#len += 2;
    return this;
  }
  i16(v: number): this {
    this.#ensure(2);
    this.#view.setInt16(this.#len, clampInt(v, -0x8000, 0x7fff), true);
    this.#len += 2;
    return this;
  }
  u32(v: number): this {
    this.#ensure(4);
    this.#view.setUint32(this.#len, clampInt(v, 0, 0xffffffff), true);
    this.#len += 4;
    return this;
  }
  i32(v: number): this {
    this.#ensure(4);
    this.#view.setInt32(this.#len, clampInt(v, -0x80000000, 0x7fffffff), true);
    this.#len += 4;
    return this;
  }
  i64(v: number | bigint): this {
    this.#ensure(8);
    this.#view.setBigInt64(this.#len, typeof v === 'bigint' ? v : BigInt(Math.round(v)), true);
    this.#len += 8;
    return this;
  }
  u64(v: number | bigint): this {
    this.#ensure(8);
    this.#view.setBigUint64(this.#len, typeof v === 'bigint' ? v : BigInt(Math.round(v)), true);
    this.#len += 8;
    return this;
  }
  f32(v: number): this {
    this.#ensure(4);
    this.#view.setFloat32(this.#len, v, true);
    this.#len += 4;
    return this;
  }
  f64(v: number): this {
    this.#ensure(8);
    this.#view.setFloat64(this.#len, v, true);
    this.#len += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.#ensure(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
    return this;
  }
  zeros(n: number): this {
    this.#ensure(n);
    this.#buf.fill(0, this.#len, this.#len + n);
    this.#len += n;
    return this;
  }
  /** UTF-8 text in a fixed-size NUL-padded field (truncated on a character boundary). */
  text(s: string, size: number): this {
    return this.bytes(fixedUtf8(s, size));
  }
  /** Overwrites bytes already written. */
  patchU64(offset: number, v: number | bigint): void {
    this.#view.setBigUint64(offset, typeof v === 'bigint' ? v : BigInt(v), true);
  }
  patchU16(offset: number, v: number): void {
    this.#view.setUint16(offset, v, true);
  }
  toBytes(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

function clampInt(v: number, min: number, max: number): number {
  if (!Number.isFinite(v)) return 0;
  const r = Math.round(v);
  return r < min ? min : r > max ? max : r;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of `s`, cut to at most `max` bytes without splitting a character. */
export function utf8Truncate(s: string, max: number): Uint8Array {
  const full = encoder.encode(s);
  if (full.length <= max) return full;
  let end = max;
  // step back over UTF-8 continuation bytes (10xxxxxx)
  while (end > 0 && ((full[end] ?? 0) & 0xc0) === 0x80) end--;
  return full.slice(0, end);
}

/** `s` as UTF-8 in a zero-padded field of exactly `size` bytes. */
export function fixedUtf8(s: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(utf8Truncate(s, size));
  return out;
}
