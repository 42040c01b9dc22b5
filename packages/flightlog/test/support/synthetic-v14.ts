/**
 * A minimal writer of AES-encrypted v14 DJI logs with known keys, following
 * /work/shared/docs/dji-log-format.md (sections 1 and 3). No public v14 log comes with its keychains, so
 * this is the only way to test the successful encrypted path offline. packages/testkit has the full
 * generator; this one is deliberately small (and local, to avoid a testkit ↔ flightlog dependency cycle).
 */
import { createCipheriv } from 'node:crypto';
import type { Keychains } from '../../src/index.js';
import { seededBytes } from './outcome.js';

// --- XOR scrambling: 8-byte keystream from CRC-64/Jones(init = seed + type, LE(0x123456789ABCDEF0 × seed)) ---

const MASK64 = (1n << 64n) - 1n;
const CRC_TABLE: bigint[] = Array.from({ length: 256 }, (_, i) => {
  let c = BigInt(i);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0x95ac9329ac4bc9b5n : c >> 1n;
  return c;
});

export function crc64Jones(init: bigint, data: Uint8Array): bigint {
  let crc = init;
  for (const b of data) crc = CRC_TABLE[Number((crc ^ BigInt(b)) & 0xffn)]! ^ (crc >> 8n);
  return crc;
}

function xorKey(seed: number, type: number): Uint8Array {
  const data = new Uint8Array(8);
  new DataView(data.buffer).setBigUint64(0, (0x123456789abcdef0n * BigInt(seed)) & MASK64, true);
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigUint64(0, crc64Jones(BigInt((seed + type) & 0xff), data), true);
  return key;
}

/** seed byte followed by the XOR-scrambled payload. */
function scrambled(seed: number, type: number, payload: Uint8Array): Uint8Array {
  const key = xorKey(seed, type);
  const out = new Uint8Array(payload.length + 1);
  out[0] = seed;
  for (let i = 0; i < payload.length; i++) out[i + 1] = payload[i]! ^ key[i % 8]!;
  return out;
}

// --- little-endian struct building ---

class Bytes {
  readonly #view: DataView;
  readonly bytes: Uint8Array;
  #at = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.#view = new DataView(this.bytes.buffer);
  }
  u8(v: number) { this.#view.setUint8(this.#at, v); this.#at += 1; return this; }
  u16(v: number) { this.#view.setUint16(this.#at, v, true); this.#at += 2; return this; }
  i16(v: number) { this.#view.setInt16(this.#at, Math.round(v), true); this.#at += 2; return this; }
  u32(v: number) { this.#view.setUint32(this.#at, v, true); this.#at += 4; return this; }
  i32(v: number) { this.#view.setInt32(this.#at, v, true); this.#at += 4; return this; }
  i64(v: number) { this.#view.setBigInt64(this.#at, BigInt(v), true); this.#at += 8; return this; }
  f32(v: number) { this.#view.setFloat32(this.#at, v, true); this.#at += 4; return this; }
  f64(v: number) { this.#view.setFloat64(this.#at, v, true); this.#at += 8; return this; }
  str(s: string, size: number) { this.bytes.set(new TextEncoder().encode(s).slice(0, size), this.#at); this.#at += size; return this; }
  skip(n: number) { this.#at += n; return this; }
  get length() { return this.#at; }
}

const RAD = Math.PI / 180;

// --- records ---

/** Record type → v14 feature point number (dji-log-format.md §1.9). */
const FEATURE_POINT = { osd: 1, home: 1, custom: 7, battery: 13, camera: 12, rc: 11, tip: 7 } as const;
const TYPE = { osd: 1, home: 2, rc: 4, custom: 5, battery: 7, tip: 9, camera: 25, keyStorage: 56 } as const;
const FP_NAME: Record<number, string> = { 1: 'Base_1', 7: 'DJIFlyCustom_7', 11: 'RC_11', 12: 'Camera_12', 13: 'Battery_13' };

export interface SyntheticTick {
  unixMs: number | null;
  flyTimeS: number;
  lat: number;
  lon: number;
  heightM: number;
  vN: number;
  vE: number;
  vD: number;
  pitch: number;
  roll: number;
  yaw: number;
  gpsNum: number;
  batteryPercent: number;
  voltageV: number;
  photo?: boolean;
  video?: boolean;
  elevator?: number;
  tip?: string;
}

export interface SyntheticLog {
  bytes: Uint8Array;
  keychains: Keychains;
}

function osd(t: SyntheticTick): Uint8Array {
  const b = new Bytes(50)
    .f64(t.lon * RAD).f64(t.lat * RAD).i16(t.heightM * 10)
    .i16(t.vN * 10).i16(t.vE * 10).i16(t.vD * 10)
    .i16(t.pitch * 10).i16(t.roll * 10).i16(t.yaw * 10)
    .u8(6) // GPSAtti
    .u8(0)
    .u8((t.heightM > 0.5 ? 2 : 0) << 1 | 1 << 3) // sky/ground, motor on
    .u8(t.gpsNum > 0 ? 0x80 : 0) // gps valid
    .u8((t.gpsNum > 0 ? 4 : 0) << 2 | 2 << 6) // gps level, smart battery
    .u8(0).u8(t.gpsNum).u8(0).u8(0).u8(0)
    .u8(t.batteryPercent).u8(0).u16(Math.round(t.flyTimeS * 10))
    .u8(0).u16(0).u8(0).u8(93).u8(0);
  return b.bytes;
}

function custom(t: SyntheticTick): Uint8Array {
  return new Bytes(18).u8(0).u8(0).f32(Math.hypot(t.vN, t.vE)).f32(0).i64(t.unixMs!).bytes;
}

function home(lat: number, lon: number, altitudeM: number): Uint8Array {
  return new Bytes(41).f64(lon * RAD).f64(lat * RAD).f32(altitudeM * 10).u8(1).u8(0).u16(30).i16(0).u8(0).u8(50).u16(0).u16(1).skip(5).f32(120).bytes;
}

function battery(t: SyntheticTick): Uint8Array {
  const cellMv = Math.round((t.voltageV * 1000) / 2);
  return new Bytes(40)
    .u8(t.batteryPercent).u16(Math.round(t.voltageV * 1000)).u16(2000).u16(2453).u8(100).u16(12).u32(0).i16(-3000)
    .u16(cellMv).u16(cellMv).u16(0).u16(0).u16(0).u16(0)
    .u16(0).u16(0).u16(3031).u8(1).u16(0).u16(0).u8(0).bytes;
}

function camera(t: SyntheticTick): Uint8Array {
  return new Bytes(24).u8(1 | (t.photo ? 1 << 3 : 0) | (t.video ? 1 << 6 : 0)).u8(1 << 1).u8(0).u8(0).u8(0)
    .u32(60000).u32(50000).u32(999).u32(3600).u16(0).u8(0).bytes;
}

function rc(t: SyntheticTick): Uint8Array {
  return new Bytes(15).u16(1024).u16(t.elevator ?? 1024).u16(1024).u16(1024).u16(1024).u8(0).u8(0).u8(0).u8(0).u8(0).bytes;
}

function details(first: SyntheticTick, ticks: readonly SyntheticTick[]): Uint8Array {
  const last = ticks.at(-1)!;
  const b = new Bytes(380)
    .str('Map Loading', 20).str('', 20).str('Map Loading', 20).str('', 20)
    .u8(2).u8(1).u8(1).i32(ticks.length).i32(12345)
    .i64(first.unixMs ?? Date.UTC(2024, 5, 1)).f64(first.lon).f64(first.lat)
    .f32(0.269).i32(Math.round((last.flyTimeS - first.flyTimeS) * 1000)).f32(55).f32(11.4).f32(5)
    .i32(0).i64(0).skip(16).skip(16).skip(32).skip(32).skip(8 + 16)
    .f32(952).u8(126).i64(0).str('synthetic mini', 32)
    .str('1581F6Z9C23CP003', 16).str('6TVQLBJ0M209BS', 16).str('6ZDZLBG007008Z', 16).str('7BVPLBVDA104J3', 16)
    .u8(6).u8(1).u8(13).u8(10);
  if (b.length !== 380) throw new Error(`details are ${b.length} bytes`);
  return b.bytes;
}

/**
 * Writes a v14 DJI Fly log: prefix, Info block (details), Version block (version 4, department 3),
 * KeyStorage records, then per tick OSD/Home/Custom/Battery/Camera/RC (+ AppTip), AES-encrypted per
 * feature point with the IV chained across records, a closing OSD (the parser drops the last frame) and
 * the 4-byte trailer real logs end with.
 */
export function writeSyntheticV14(ticks: readonly SyntheticTick[], seed = 7): SyntheticLog {
  const keys = new Map<number, { key: Uint8Array; iv: Uint8Array; chain: Uint8Array }>();
  for (const fp of new Set(Object.values(FEATURE_POINT))) {
    const key = seededBytes(32, seed * 100 + fp);
    const iv = seededBytes(16, seed * 100 + fp + 50);
    keys.set(fp, { key, iv, chain: iv });
  }
  let seedByte = seed & 0xff;
  const nextSeed = () => (seedByte = (seedByte * 31 + 17) & 0xff);

  const records: Uint8Array[] = [];
  const push = (type: number, body: Uint8Array) => {
    const r = new Uint8Array(body.length + 4);
    r[0] = type;
    new DataView(r.buffer).setUint16(1, body.length, true);
    r.set(body, 3);
    r[r.length - 1] = 0xff;
    records.push(r);
  };
  const encrypted = (type: number, fp: number, payload: Uint8Array) => {
    const k = keys.get(fp)!;
    const cipher = createCipheriv('aes-256-cbc', k.key, k.chain);
    const ct = new Uint8Array(Buffer.concat([cipher.update(payload), cipher.final()]));
    k.chain = ct.slice(ct.length - 16);
    const body = new Uint8Array(ct.length + 2);
    body.set(scrambled(nextSeed(), type, ct), 0);
    body[body.length - 1] = 0; // spare byte
    push(type, body);
  };

  for (const [fp, k] of keys) {
    const blob = new Uint8Array([...k.key, ...k.iv]);
    const payload = new Bytes(4 + blob.length).u16(fp).u16(blob.length).bytes;
    payload.set(blob, 4);
    push(TYPE.keyStorage, scrambled(nextSeed(), TYPE.keyStorage, payload));
  }
  const h = ticks[0]!;
  for (const t of ticks) {
    encrypted(TYPE.osd, FEATURE_POINT.osd, osd(t));
    encrypted(TYPE.home, FEATURE_POINT.home, home(h.lat, h.lon, 1490));
    if (t.unixMs !== null) encrypted(TYPE.custom, FEATURE_POINT.custom, custom(t));
    encrypted(TYPE.battery, FEATURE_POINT.battery, battery(t));
    encrypted(TYPE.camera, FEATURE_POINT.camera, camera(t));
    encrypted(TYPE.rc, FEATURE_POINT.rc, rc(t));
    if (t.tip !== undefined) encrypted(TYPE.tip, FEATURE_POINT.tip, new TextEncoder().encode(t.tip));
  }
  encrypted(TYPE.osd, FEATURE_POINT.osd, osd(ticks.at(-1)!));

  const detailBytes = details(h, ticks);
  const infoPlain = new Bytes(1 + 2 + detailBytes.length + 2).u8(1).u16(detailBytes.length).bytes;
  infoPlain.set(detailBytes, 3);
  const infoBody = scrambled(nextSeed(), 0, infoPlain);
  const info = new Uint8Array(3 + infoBody.length);
  info[0] = 0x00;
  new DataView(info.buffer).setUint16(1, infoBody.length, true);
  info.set(infoBody, 3);
  const version = new Bytes(6).u8(0x01).u16(3).u16(4).u8(3).bytes;

  const recordsStart = 100 + info.length + version.length;
  const prefix = new Bytes(100).i64(recordsStart).u16(380).u8(14).bytes;
  // Real v14 logs end with a 4-byte trailer after the last record: 12345 as i32 LE.
  records.push(new Uint8Array([0x39, 0x30, 0x00, 0x00]));
  const total = recordsStart + records.reduce((n, r) => n + r.length, 0);
  const bytes = new Uint8Array(total);
  bytes.set(prefix, 0);
  bytes.set(info, 100);
  bytes.set(version, 100 + info.length);
  let at = recordsStart;
  for (const r of records) {
    bytes.set(r, at);
    at += r.length;
  }

  const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
  const keychains: Keychains = [
    [...keys].map(([fp, k]) => ({ featurePoint: `FR_Standardization_Feature_${FP_NAME[fp]}`, aesKey: b64(k.key), aesIv: b64(k.iv) })),
  ];
  return { bytes, keychains };
}

/** A plausible 30 s flight at 10 Hz: climbs to 30 m, flies north at 5 m/s, takes a photo, records video. */
export function demoTicks(options: { gps?: boolean; clock?: boolean; n?: number } = {}): SyntheticTick[] {
  const { gps = true, clock = true, n = 300 } = options;
  const start = Date.UTC(2024, 8, 1, 12, 55, 49, 500);
  return Array.from({ length: n }, (_, i) => ({
    unixMs: clock ? start + i * 100 : null,
    flyTimeS: 12.3 + i * 0.1,
    lat: gps ? 45.4718 + (i * 0.5) / 111_195 : 0,
    lon: gps ? 16.3853 : 0,
    heightM: Math.min(30, i * 0.3),
    vN: 5,
    vE: 0,
    vD: i < 100 ? -3 : 0,
    pitch: -10 + (i % 7) * 0.1,
    roll: 1.5,
    yaw: 12 + (i % 5),
    gpsNum: gps ? 18 : 0,
    batteryPercent: 95 - Math.floor(i / 30),
    voltageV: 8.2 - i * 0.001,
    photo: i === 150,
    video: i >= 200 && i < 260,
    elevator: i < 150 ? 1684 : 1024,
    ...(i === 0 ? { tip: 'Aircraft is taking off.' } : {}),
  }));
}
