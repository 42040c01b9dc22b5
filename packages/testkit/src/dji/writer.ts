/**
 * Writes synthetic DJI flight-record `.txt` files that dji-log-parser 0.5.7 decodes,
 * for format versions 1–14 (plain ≤6, XOR 7–12, XOR + AES-256-CBC 13/14).
 * Byte-stable: the same spec and options always give the same bytes.
 */
import { createCipheriv } from 'node:crypto';
import type { KeychainRequest, Keychains } from '@dronelog/flightlog';
import type { FlightSample, FlightSpec } from '../flight/types.js';
import { Rng, derivedBytes } from '../random.js';
import { ByteWriter, fixedUtf8 } from './bytes.js';
import { PLAINTEXT_FEATURE_POINT, RecordType, featurePointName, featurePointOf } from './constants.js';
import { encodeKeyStorageBlob, keychainEntry, type FeaturePointKey } from './keychains.js';
import * as R from './records.js';
import { xorScramble } from './xor.js';

export interface WriteDjiLogOptions {
  /** DJI log format version, 1–14. 13 and 14 are AES-encrypted and need keychains. */
  version: number;
  /** v13+: number of keychain groups (KeyStorageRecover between them). Default 1. */
  keychainGroups?: number;
  /** v13+: Version-block department (1 SDK, 2 DJIGO, 3 DJIFly, 7 DJIPilot, …). Default: the aircraft profile's app. */
  department?: number;
  /** v13+: Version-block version, sent as `version` in the keychain request. Default 4 (what real DJI Fly v14 logs carry). */
  keychainRequestVersion?: number;
  /** Unit of details.totalDistance. Default: 'km' for DJI Fly (appPlatform 6) or v13+, else 'm' (as real logs do). */
  distanceUnit?: 'km' | 'm';
}

/** What `details` will say once decoded (units as written, see distanceUnit). */
export interface DetailsSummary {
  startTimeMs: number;
  totalTimeS: number;
  /** Horizontal path length in metres; details.totalDistance holds it in `distanceUnit`. */
  totalDistanceM: number;
  distanceUnit: 'km' | 'm';
  maxHeightM: number;
  maxHorizontalSpeedMps: number;
  maxVerticalSpeedMps: number;
  captureNum: number;
  videoTimeS: number;
}

export interface DjiLog {
  /** The `.txt` file. */
  bytes: Uint8Array;
  version: number;
  /** The exact keychains that decode the log (v13+), else null. */
  keychains: Keychains | null;
  /** What `new DJILog(bytes).keychainsRequest()` returns for this log (v13+). */
  request?: KeychainRequest;
  spec: FlightSpec;
  details: DetailsSummary;
  /** Which fields survive a decode with dji-log-parser 0.5.7 at this version. */
  roundTrip: RoundTripFields;
  /** Frames `frames()` returns: one per sample. */
  frameCount: number;
}

/** Which written values the parser gives back, per version (see README). */
export interface RoundTripFields {
  /** AppTip / AppWarn / AppSeriousWarn reach frame.app.tip / warn (lost in v7–12: parser off-by-one). */
  messages: boolean;
  /** frame.home.heightLimit (Home maxAllowedHeight exists from v8). */
  homeHeightLimit: boolean;
  /** Serial length kept in details (10 for v≤5, 16 after). */
  detailsSerialBytes: number;
  /** aircraftName bytes kept in details (24 for v≤5, 32 after). */
  detailsNameBytes: number;
  /** Serial length kept in the Recover record / frame.recover (10 for v≤7, 16 after). */
  recoverSerialBytes: number;
  /** v13+: needs keychains. */
  encrypted: boolean;
}

export function roundTripFields(version: number): RoundTripFields {
  return {
    messages: version <= 6 || version >= 13,
    homeHeightLimit: version >= 8,
    detailsSerialBytes: version <= 5 ? 10 : 16,
    detailsNameBytes: version <= 5 ? 24 : 32,
    recoverSerialBytes: version <= 7 ? 10 : 16,
    encrypted: version >= 13,
  };
}

interface ChainState {
  key: Uint8Array;
  iv: Uint8Array;
}

class RecordStream {
  readonly out = new ByteWriter(64 * 1024);
  count = 0;
  /** Current keychain group: feature point → (key, running IV). */
  chains = new Map<number, ChainState>();

  constructor(
    readonly version: number,
    readonly rng: Rng,
  ) {}

  /** Longest text payload a record can carry at this version. */
  get maxText(): number {
    return this.version <= 6 ? 255 : this.version <= 12 ? 254 : 4000;
  }

  emit(type: number, payload: Uint8Array): void {
    const v = this.version;
    const out = this.out;
    this.count++;
    out.u8(type);
    if (v <= 6) {
      if (payload.length > 255) throw new RangeError(`record ${type} too long for v${v}`);
      out.u8(payload.length).bytes(payload).u8(0xff);
      return;
    }
    if (v >= 13 && type === RecordType.KeyStorageRecover) {
      out.u16(payload.length).bytes(payload).u8(0xff);
      return;
    }
    const seed = this.rng.byte();
    const fp = v >= 13 ? featurePointOf(type, v) : PLAINTEXT_FEATURE_POINT;
    const chain = fp === PLAINTEXT_FEATURE_POINT ? undefined : this.chains.get(fp);
    let body: Uint8Array;
    if (chain) {
      const cipher = createCipheriv('aes-256-cbc', chain.key, chain.iv);
      const ct = Buffer.concat([cipher.update(payload), cipher.final()]);
      chain.iv = new Uint8Array(ct.subarray(ct.length - 16));
      const withSpare = new Uint8Array(ct.length + 1); // + 1 spare byte the parser never reads
      withSpare.set(ct);
      body = xorScramble(withSpare, seed, type);
    } else {
      body = xorScramble(payload, seed, type);
    }
    const len = body.length + 1;
    if (v <= 12) {
      if (len > 255) throw new RangeError(`record ${type} too long for v${v}`);
      out.u8(len);
    } else {
      if (len > 0xffff) throw new RangeError(`record ${type} too long`);
      out.u16(len);
    }
    out.u8(seed).bytes(body).u8(0xff);
  }
}

/** Record types this writer emits, for choosing which feature points a keychain needs. */
const WRITTEN_TYPES = [
  RecordType.OSD, RecordType.Home, RecordType.Gimbal, RecordType.RC, RecordType.Custom, RecordType.CenterBattery,
  RecordType.AppTip, RecordType.AppWarn, RecordType.Recover, RecordType.SmartBatteryGroup, RecordType.AppSeriousWarn,
  RecordType.Camera, RecordType.OFDM,
];

/** Writes `spec` as a DJI log of the given version. */
export function writeDjiLog(spec: FlightSpec, options: WriteDjiLogOptions): DjiLog {
  const version = options.version;
  if (!Number.isInteger(version) || version < 1 || version > 14) throw new RangeError(`unsupported log version ${version} (1–14)`);
  if (spec.samples.length === 0) throw new RangeError('a flight needs at least one sample');
  for (const ms of [spec.startTimeMs, spec.startTimeMs + (spec.samples.length * 1000) / spec.tickHz]) {
    const year = new Date(ms).getUTCFullYear();
    if (!(year >= 2011 && year <= 2099)) throw new RangeError(`flight times must fall in 2011–2099 (the parser drops other Custom timestamps), got ${year}`);
  }
  const groups = version >= 13 ? (options.keychainGroups ?? 1) : 0;
  if (version >= 13 && (!Number.isInteger(groups) || groups < 1 || groups > spec.samples.length)) {
    throw new RangeError(`keychainGroups must be 1..${spec.samples.length}`);
  }
  const department = options.department ?? spec.aircraft.profile.app.department;
  const requestVersion = options.keychainRequestVersion ?? 4;
  const distanceUnit = options.distanceUnit ?? (spec.app.platform === 6 || version >= 13 ? 'km' : 'm');

  const rng = new Rng(`${spec.seed}|writer|v${version}|g${groups}`);
  const stream = new RecordStream(version, rng);
  const n = spec.samples.length;
  const tickMs = 1000 / spec.tickHz;

  // Keychain groups (v13+): per group, one key + IV per feature point used.
  const featurePoints = [...new Set(WRITTEN_TYPES.map((t) => featurePointOf(t, version)))]
    .filter((fp) => fp !== PLAINTEXT_FEATURE_POINT)
    .sort((a, b) => a - b);
  const groupKeys: FeaturePointKey[][] = [];
  for (let g = 0; g < groups; g++) {
    groupKeys.push(
      featurePoints.map((fp) => ({
        featurePoint: fp,
        key: derivedBytes(`${spec.seed}|v${version}|group${g}/${groups}|fp${fp}|key`, 32),
        iv: derivedBytes(`${spec.seed}|v${version}|group${g}/${groups}|fp${fp}|iv`, 16),
      })),
    );
  }
  const request: KeychainRequest | undefined =
    version >= 13 ? { version: requestVersion, department: knownDepartment(department), keychainsArray: [] } : undefined;

  const startGroup = (g: number): void => {
    const keys = groupKeys[g]!;
    const requestGroup: KeychainRequest['keychainsArray'][number] = [];
    stream.chains = new Map();
    for (const k of keys) {
      const blob = encodeKeyStorageBlob(k, derivedBytes(`${spec.seed}|v${version}|group${g}|fp${k.featurePoint}|wrap`, 16));
      stream.emit(RecordType.KeyStorage, R.keyStoragePayload(k.featurePoint, blob));
      requestGroup.push({ featurePoint: featurePointName(k.featurePoint), aesCiphertext: Buffer.from(blob).toString('base64') });
      stream.chains.set(k.featurePoint, { key: k.key, iv: k.iv });
    }
    request!.keychainsArray.push(requestGroup);
  };

  const groupStart = (g: number): number => Math.floor((g * n) / groups);

  if (groups > 0) startGroup(0);
  stream.emit(RecordType.Recover, R.recoverPayload(spec, version));
  stream.emit(RecordType.Home, R.homePayload(spec, version, 1));
  let nextGroup = 1;
  for (let i = 0; i < n; i++) {
    if (groups > 0 && nextGroup < groups && i === groupStart(nextGroup)) {
      stream.emit(RecordType.KeyStorageRecover, new Uint8Array(0));
      startGroup(nextGroup++);
    }
    const s = spec.samples[i]!;
    writeTick(stream, spec, s, i, version, Math.round(spec.startTimeMs + i * tickMs));
  }
  // The parser only emits a frame when the NEXT OSD arrives: one closing OSD makes N samples → N frames.
  const last = spec.samples[n - 1]!;
  stream.emit(RecordType.OSD, R.osdPayload({ ...last, flyTimeS: last.flyTimeS + 1 / spec.tickHz }, spec, version));

  const summary = summarize(spec, distanceUnit);
  const details = detailsPayload(spec, version, summary, stream.count);
  const records = stream.out.toBytes();

  const file = new ByteWriter(records.length + 1024);
  if (version <= 5) {
    const detailOffset = 12 + records.length;
    file.u64(detailOffset).u16(details.length).u8(version).u8(0);
    file.bytes(records).bytes(details);
  } else if (version <= 11) {
    const detailOffset = 100 + records.length;
    file.u64(detailOffset).u16(details.length).u8(version).u8(0).u64(0).zeros(80);
    file.bytes(records).bytes(details);
  } else if (version === 12) {
    file.u64(536 + records.length).u16(details.length).u8(version).u8(0).u64(0).zeros(80);
    const slot = new Uint8Array(436);
    slot.set(details);
    file.bytes(slot).bytes(records);
  } else {
    // Info block: 0x00, u16 size, seed, XOR(type 0)(u8 version_data, u16 info_len, details, u16 sig_len, sig)
    const inner = new ByteWriter(details.length + 8);
    inner.u8(1).u16(details.length).bytes(details).u16(0);
    const infoSeed = rng.byte();
    const infoBody = xorScramble(inner.toBytes(), infoSeed, 0);
    const infoSize = 1 + infoBody.length;
    const recordsStart = 100 + 3 + infoSize + 3 + 3;
    file.u64(recordsStart).u16(infoSize).u8(version).u8(0).u64(0).zeros(80);
    file.u8(0x00).u16(infoSize).u8(infoSeed).bytes(infoBody);
    file.u8(0x01).u16(3).u16(requestVersion).u8(department);
    file.bytes(records);
  }

  return {
    bytes: file.toBytes(),
    version,
    keychains: groups > 0 ? groupKeys.map((g) => g.map(keychainEntry)) : null,
    ...(request ? { request } : {}),
    spec,
    details: summary,
    roundTrip: roundTripFields(version),
    frameCount: n,
  };
}

/** The department the parser puts in the keychain request: unknown codes are sent as 3 (DJI Fly). */
function knownDepartment(d: number): number {
  return d >= 1 && d <= 8 ? d : 3;
}

function writeTick(stream: RecordStream, spec: FlightSpec, s: FlightSample, i: number, version: number, timeMs: number): void {
  stream.emit(RecordType.OSD, R.osdPayload(s, spec, version));
  stream.emit(RecordType.Custom, R.customPayload(s, timeMs));
  if (i > 0 && i % Math.max(1, Math.round(spec.tickHz)) === 0) {
    stream.emit(RecordType.Home, R.homePayload(spec, version, 1));
  }
  stream.emit(RecordType.Gimbal, R.gimbalPayload(s, version));
  stream.emit(RecordType.RC, R.rcPayload(s, version));
  stream.emit(RecordType.CenterBattery, R.centerBatteryPayload(s, spec, version));
  stream.emit(RecordType.SmartBatteryGroup, R.smartBatteryDynamicPayload(s, spec));
  stream.emit(RecordType.SmartBatteryGroup, R.smartBatteryCellsPayload(s));
  if (spec.battery.designCapacityMah !== undefined && i % Math.max(1, Math.round(spec.tickHz)) === 0) {
    stream.emit(RecordType.SmartBatteryGroup, R.smartBatteryStaticPayload(spec));
  }
  stream.emit(RecordType.Camera, R.cameraPayload(s));
  stream.emit(RecordType.OFDM, R.ofdmPayload(s.signal.uplinkPercent, true));
  stream.emit(RecordType.OFDM, R.ofdmPayload(s.signal.downlinkPercent, false));
  for (const t of s.tips) stream.emit(RecordType.AppTip, R.textPayload(t, stream.maxText));
  for (const t of s.warnings) stream.emit(RecordType.AppWarn, R.textPayload(t, stream.maxText));
  for (const t of s.seriousWarnings) stream.emit(RecordType.AppSeriousWarn, R.textPayload(t, stream.maxText));
}

const EARTH_RADIUS_M = 6_371_008.8;

export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

function summarize(spec: FlightSpec, distanceUnit: 'km' | 'm'): DetailsSummary {
  let dist = 0;
  let maxH = 0;
  let maxHs = 0;
  let maxVs = 0;
  let photos = 0;
  let recTicks = 0;
  const ss = spec.samples;
  for (let i = 0; i < ss.length; i++) {
    const s = ss[i]!;
    if (i > 0) dist += haversineM(ss[i - 1]!.latitude, ss[i - 1]!.longitude, s.latitude, s.longitude);
    maxH = Math.max(maxH, s.heightM);
    maxHs = Math.max(maxHs, Math.hypot(s.velocityNorthMps, s.velocityEastMps));
    maxVs = Math.max(maxVs, Math.abs(s.velocityDownMps));
    if (s.photo) photos++;
    if (s.recording) recTicks++;
  }
  return {
    startTimeMs: spec.startTimeMs,
    totalTimeS: Math.round((ss.length * 1000) / spec.tickHz) / 1000,
    totalDistanceM: dist,
    distanceUnit,
    maxHeightM: maxH,
    maxHorizontalSpeedMps: maxHs,
    maxVerticalSpeedMps: maxVs,
    captureNum: photos,
    videoTimeS: Math.round(recTicks / spec.tickHz),
  };
}

function detailsPayload(spec: FlightSpec, version: number, d: DetailsSummary, recordCount: number): Uint8Array {
  const w = new ByteWriter(400);
  w.text(spec.place.subStreet, 20).text(spec.place.street, 20).text(spec.place.city, 20).text(spec.place.area, 20);
  w.u8(0).u8(1).u8(1); // isFavorite, isNew, needsUpload
  w.i32(recordCount);
  w.i32(0); // detailInfoChecksum (not verified by the parser)
  w.i64(d.startTimeMs);
  w.f64(spec.home.longitude).f64(spec.home.latitude); // degrees here, unlike OSD
  w.f32(d.distanceUnit === 'km' ? d.totalDistanceM / 1000 : d.totalDistanceM);
  w.i32(Math.round(d.totalTimeS * 1000));
  w.f32(d.maxHeightM).f32(d.maxHorizontalSpeedMps).f32(d.maxVerticalSpeedMps);
  w.i32(d.captureNum);
  w.i64(d.videoTimeS);
  w.zeros(16 + 16 + 32 + 32); // moment pictures: buffer lengths, shrink lengths, lon, lat
  w.zeros(8 + 16); // analysis offset, md5
  if (version <= 5) {
    // v≤5: the parser seeks to absolute offsets 267..356
    w.text(spec.aircraft.serial, 10); // 267
    w.u8(spec.aircraft.profile.productType); // 277
    w.text(spec.aircraft.name, 24); // 278
    w.zeros(16); // 302
    w.text(spec.cameraSerial, 10); // 318
    w.text(spec.rcSerial, 10); // 328
    w.text(spec.battery.serial, 10); // 338
    w.u8(spec.app.platform); // 348
    for (const n of spec.app.version) w.u8(n); // 349
    w.f32(spec.home.altitudeM); // 352
  } else {
    w.f32(spec.home.altitudeM); // 267 takeOffAltitude
    w.u8(spec.aircraft.profile.productType); // 271
    w.i64(0); // 272 activation timestamp
    w.bytes(fixedUtf8(spec.aircraft.name, 32)); // 280
    w.text(spec.aircraft.serial, 16).text(spec.cameraSerial, 16).text(spec.rcSerial, 16).text(spec.battery.serial, 16);
    w.u8(spec.app.platform); // 376
    for (const n of spec.app.version) w.u8(n); // 377
  }
  return w.toBytes();
}

/** The exact keychains (`[[{featurePoint, aesKey, aesIv}]]`) that decode a v13+ log. Throws for v≤12. */
export function keychainsFor(log: DjiLog): Keychains {
  if (!log.keychains) throw new RangeError(`a v${log.version} log is not encrypted and has no keychains`);
  return log.keychains.map((g) => g.map((e) => ({ ...e })));
}
