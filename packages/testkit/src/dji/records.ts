/**
 * Record payload encoders (plain payload, before XOR / AES), one per record type,
 * laid out as dji-log-parser 0.5.7 reads them for a given log format version.
 */
import { ByteWriter, utf8Truncate } from './bytes.js';
import type { FlightSample, FlightSpec } from '../flight/types.js';

const DEG = Math.PI / 180;

export function osdPayload(s: FlightSample, spec: FlightSpec, version: number): Uint8Array {
  const w = new ByteWriter(64);
  w.f64(s.longitude * DEG).f64(s.latitude * DEG);
  w.i16(s.heightM * 10);
  w.i16(s.velocityNorthMps * 10).i16(s.velocityEastMps * 10).i16(s.velocityDownMps * 10);
  w.i16(s.pitchDeg * 10).i16(s.rollDeg * 10).i16(s.yawDeg * 10);
  w.u8(s.flightMode & 0x7f); // bit 7 rcOutcontrol = 0
  w.u8(0); // appCommand (0 → undefined)
  // b0 canIocWork, b1-2 ground(0)/sky(2), b3 motorOn, b4 swave, b5-7 goHomeStatus
  w.u8((s.onGround ? 0 : 2 << 1) | (s.motorsOn ? 1 << 3 : 0) | (s.vpsHeightM > 0 && s.vpsHeightM < 25 ? 1 << 4 : 0));
  // b0 vision, b1-2 voltageWarning, b4 imuPreheated, b5-6 modeChannel, b7 gpsValid
  const gpsValid = s.gpsNum >= 6;
  w.u8(1 | (1 << 4) | (gpsValid ? 1 << 7 : 0));
  // b0 compassError, b1 waveError, b2-5 gpsLevel, b6-7 batteryType (2 = smart)
  w.u8(((s.gpsLevel & 0x0f) << 2) | (2 << 6));
  w.u8(0); // error flags
  w.u8(s.gpsNum);
  w.u8(0); // flightAction None
  w.u8(0); // motorStartFailedCause None
  w.u8(gpsValid ? 0 : 3); // nonGpsCause (3 = GpsNumNonEnough)
  w.u8(s.battery.percent);
  w.u8(s.vpsHeightM * 10);
  w.u16(s.flyTimeS * 10);
  w.u8(s.motorsOn ? 100 : 0); // motorRevolution
  w.u16(0);
  w.u8(0); // version_c
  if (version >= 2) w.u8(spec.aircraft.profile.droneType);
  if (version >= 3) w.u8(0); // imuInitFailReason
  return w.toBytes();
}

export function homePayload(spec: FlightSpec, version: number, recordIndex: number): Uint8Array {
  const w = new ByteWriter(48);
  const DEGR = Math.PI / 180;
  w.f64(spec.home.longitude * DEGR).f64(spec.home.latitude * DEGR);
  w.f32(spec.home.altitudeM * 10);
  w.u8(0x01); // isHomeRecord
  w.u8(0x00);
  w.u16(spec.goHomeHeightM);
  w.i16(0);
  w.u8(0).u8(80).u16(3600);
  w.u16(recordIndex);
  if (version >= 8) {
    w.zeros(5);
    w.f32(spec.maxAllowedHeightM);
  }
  return w.toBytes();
}

export function gimbalPayload(s: FlightSample, version: number): Uint8Array {
  const w = new ByteWriter(16);
  w.i16(s.gimbal.pitchDeg * 10).i16(s.gimbal.rollDeg * 10).i16(s.gimbal.yawDeg * 10);
  w.u8((s.gimbal.mode & 3) << 6);
  w.i8(0);
  w.i16(s.gimbal.yawDeg * 10);
  w.u8(0);
  if (version >= 2) w.u8(0);
  return w.toBytes();
}

export function rcPayload(s: FlightSample, version: number): Uint8Array {
  const w = new ByteWriter(16);
  w.u16(s.rc.aileron).u16(s.rc.elevator).u16(s.rc.throttle).u16(s.rc.rudder).u16(s.rc.gimbal);
  w.u8(0).u8(0).u8(0);
  if (version >= 6) w.u8(1);
  if (version >= 7) w.u8(1);
  return w.toBytes();
}

export function customPayload(s: FlightSample, timeMs: number): Uint8Array {
  const w = new ByteWriter(18);
  w.u8(s.photo ? 1 : 0).u8(s.recording ? 1 : 0);
  w.f32(Math.hypot(s.velocityNorthMps, s.velocityEastMps));
  w.f32(s.distanceFromHomeM);
  w.i64(timeMs);
  return w.toBytes();
}

export function centerBatteryPayload(s: FlightSample, spec: FlightSpec, version: number): Uint8Array {
  const b = s.battery;
  const w = new ByteWriter(48);
  w.u8(b.percent);
  w.u16(b.voltageV * 1000);
  w.u16(b.remainingMah);
  w.u16(spec.battery.fullCapacityMah);
  w.u8(95); // life %
  w.u16(spec.battery.cycleCount);
  w.u32(0); // errorType
  w.i16(-b.currentA * 1000);
  for (let i = 0; i < 6; i++) w.u16((b.cellVoltagesV[i] ?? 0) * 1000);
  w.u16(0); // serial
  w.u16(0); // product date
  if (version >= 8) {
    w.u16((b.temperatureC + 273.15) * 10);
    w.u8(0).u16(0).u16(0).u8(0);
  }
  return w.toBytes();
}

export function smartBatteryDynamicPayload(s: FlightSample, spec: FlightSpec): Uint8Array {
  const b = s.battery;
  const w = new ByteWriter(32);
  w.u8(2); // SmartBatteryDynamic
  w.u8(1); // index (1: the value the parser uses on multi-battery aircraft)
  w.i32(b.voltageV * 1000);
  w.i32(-b.currentA * 1000);
  w.u32(spec.battery.fullCapacityMah);
  w.u32(b.remainingMah);
  w.i16(b.temperatureC * 10);
  w.u8(b.cellVoltagesV.length);
  w.u8(b.percent);
  w.u64(0n);
  return w.toBytes();
}

/**
 * SmartBatteryGroup sub-type 1 (SmartBatteryStatic), 41 B. The format doc lists it as "source only"; this layout is
 * dji-log-parser's `SmartBatteryStatic` struct (record/smart_battery_group.rs): u8 index, u32 designed capacity mAh,
 * u16 loop times (charge cycles), u32 full voltage mV, u16 unknown, u16 serial, 15 unknown bytes, u8 × 8 version,
 * u8 battery life %, u8 battery type. Checked by decoding it with records() (writer.test.ts).
 */
export function smartBatteryStaticPayload(spec: FlightSpec): Uint8Array {
  const b = spec.battery;
  const w = new ByteWriter(48);
  w.u8(1); // SmartBatteryStatic
  w.u8(1); // index
  w.u32(b.designCapacityMah ?? 0);
  w.u16(b.cycleCount);
  w.u32(Math.round(b.cellCount * 4.4 * 1000)); // full-charge voltage, 4.4 V per LiHV cell
  w.u16(0);
  w.u16(0); // short serial
  w.zeros(15);
  w.zeros(8); // version
  w.u8(95); // life %
  w.u8(0); // type
  return w.toBytes();
}

export function smartBatteryCellsPayload(s: FlightSample): Uint8Array {
  const cells = s.battery.cellVoltagesV;
  const w = new ByteWriter(4 + cells.length * 2);
  w.u8(3); // SmartBatterySingleVoltage
  w.u8(1);
  w.u8(cells.length);
  for (const v of cells) w.u16(v * 1000);
  return w.toBytes();
}

export function cameraPayload(s: FlightSample): Uint8Array {
  const w = new ByteWriter(24);
  // b0 connected, b3-5 == 1 → single photo, b6-7 ≠ 0 → recording
  w.u8(1 | (s.photo ? 1 << 3 : 0) | (s.recording ? 1 << 6 : 0));
  w.u8(1 << 1); // has SD card, state Normal
  w.u8(0).u8(0);
  w.u8(s.recording ? 1 : 0); // work mode Capture / Recording
  w.u32(61_035).u32(48_210).u32(3_200).u32(7_200);
  w.u16(0);
  w.u8(0);
  return w.toBytes();
}

export function ofdmPayload(percent: number, isUp: boolean): Uint8Array {
  return Uint8Array.of((Math.round(percent) & 0x7f) | (isUp ? 0x80 : 0));
}

export function recoverPayload(spec: FlightSpec, version: number): Uint8Array {
  const snLen = version <= 7 ? 10 : 16;
  const w = new ByteWriter(128);
  w.u8(spec.aircraft.profile.productType);
  w.u8(spec.app.platform);
  for (const n of spec.app.version) w.u8(n);
  w.text(spec.aircraft.serial, snLen);
  w.text(spec.aircraft.name, 32);
  w.i64(Math.floor(spec.startTimeMs / 1000));
  w.text(spec.cameraSerial, snLen);
  w.text(spec.rcSerial, snLen);
  w.text(spec.battery.serial, snLen);
  return w.toBytes();
}

/** UTF-8 text of a tip or warning, cut so the record still fits its length field. */
export function textPayload(text: string, maxBytes: number): Uint8Array {
  return utf8Truncate(text, maxBytes);
}

export function keyStoragePayload(featurePoint: number, blob: Uint8Array): Uint8Array {
  const w = new ByteWriter(blob.length + 4);
  w.u16(featurePoint).u16(blob.length).bytes(blob);
  return w.toBytes();
}
