import { describe, expect, it } from 'vitest';
import {
  FLIGHT_MODE_NAMES, appPlatformName, demoFlight, productTypeName, writeDjiLog, type DjiLog, type FlightSpec,
} from '../src/index.js';
import { utf8Truncate } from '../src/dji/bytes.js';
import { decode } from './helpers.js';

const ALL_VERSIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];

// A 40 s flight with a long UTF-8 name (exercises the 24/32-byte name fields) and 14-char serials.
const spec: FlightSpec = demoFlight({
  seed: 'roundtrip',
  durationS: 40,
  aircraft: 'Mini 4 Pro',
  startTime: '2024-09-01T12:55:49.477Z',
  aircraftName: 'Ünïcödé Skylark 空中の鳥 #2',
  aircraftSerial: '1581F6Z9C23CP003',
  batterySerial: '7BVPLBVDA104J3',
  cameraSerial: 'CAM6Z9C23CP003',
  rcSerial: '5YSZL8J0030A2K',
});

const td = new TextDecoder();
const cut = (s: string, n: number): string => td.decode(utf8Truncate(s, n));

function expectClose(actual: number, expected: number, tol: number, what: string): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`${what}: expected ${expected} ± ${tol}, got ${actual}`);
  }
}

function checkLog(log: DjiLog, keychains?: DjiLog['keychains']): void {
  const { details, frames, version } = decode(log.bytes, keychains ?? undefined);
  const rt = log.roundTrip;
  const s0 = spec.samples;
  expect(version).toBe(log.version);

  // frame count: one extra closing OSD makes N samples → N frames
  expect(frames.length).toBe(s0.length);
  expect(log.frameCount).toBe(s0.length);

  // details
  expect(details.aircraftName).toBe(cut(spec.aircraft.name, rt.detailsNameBytes));
  expect(details.aircraftSn).toBe(spec.aircraft.serial.slice(0, rt.detailsSerialBytes));
  expect(details.batterySn).toBe(spec.battery.serial.slice(0, rt.detailsSerialBytes));
  expect(details.cameraSn).toBe(spec.cameraSerial.slice(0, rt.detailsSerialBytes));
  expect(details.rcSn).toBe(spec.rcSerial.slice(0, rt.detailsSerialBytes));
  expect(details.productType).toBe(productTypeName(spec.aircraft.profile.productType));
  expect(details.appPlatform).toBe(appPlatformName(spec.app.platform));
  expect(details.appVersion).toBe(spec.app.version.join('.'));
  expect(Date.parse(details.startTime)).toBe(spec.startTimeMs);
  expectClose(details.totalTime, log.details.totalTimeS, 1e-9, 'totalTime');
  const dist = log.details.distanceUnit === 'km' ? log.details.totalDistanceM / 1000 : log.details.totalDistanceM;
  expectClose(details.totalDistance, dist, dist * 1e-6, 'totalDistance');
  expectClose(details.maxHeight, log.details.maxHeightM, 1e-4, 'maxHeight');
  expectClose(details.maxHorizontalSpeed, log.details.maxHorizontalSpeedMps, 1e-4, 'maxHorizontalSpeed');
  expectClose(details.maxVerticalSpeed, log.details.maxVerticalSpeedMps, 1e-4, 'maxVerticalSpeed');
  expect(details.captureNum).toBe(log.details.captureNum);
  expect(details.videoTime).toBe(log.details.videoTimeS);
  expectClose(details.latitude, spec.home.latitude, 1e-12, 'details.latitude');
  expectClose(details.longitude, spec.home.longitude, 1e-12, 'details.longitude');
  expectClose(details.takeOffAltitude, spec.home.altitudeM, 1e-3, 'takeOffAltitude');
  expect(details.city).toBe(spec.place.city);
  expect(details.area).toBe(spec.place.area);

  let tipsSeen = 0;
  let warningsSeen = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    const s = s0[i]!;
    const at = `v${version} frame ${i}`;
    // OSD
    expectClose(f.osd.latitude, s.latitude, 1e-9, `${at} latitude`);
    expectClose(f.osd.longitude, s.longitude, 1e-9, `${at} longitude`);
    expectClose(f.osd.height, s.heightM, 0.051, `${at} height`);
    expectClose(f.osd.altitude, s.heightM + spec.home.altitudeM, 0.06, `${at} altitude`);
    expectClose(f.osd.vpsHeight, s.vpsHeightM, 0.051, `${at} vpsHeight`);
    expectClose(f.osd.xSpeed, s.velocityNorthMps, 0.051, `${at} xSpeed`);
    expectClose(f.osd.ySpeed, s.velocityEastMps, 0.051, `${at} ySpeed`);
    expectClose(f.osd.zSpeed, s.velocityDownMps, 0.051, `${at} zSpeed`);
    expectClose(f.osd.pitch, s.pitchDeg, 0.051, `${at} pitch`);
    expectClose(f.osd.roll, s.rollDeg, 0.051, `${at} roll`);
    expectClose(f.osd.yaw, s.yawDeg, 0.051, `${at} yaw`);
    expectClose(f.osd.flyTime, s.flyTimeS, 0.051, `${at} flyTime`);
    expect(f.osd.flycState, at).toBe(FLIGHT_MODE_NAMES[s.flightMode]);
    expect(f.osd.gpsNum, at).toBe(s.gpsNum);
    expect(f.osd.gpsLevel, at).toBe(s.gpsLevel);
    expect(f.osd.isMotorOn, at).toBe(s.motorsOn);
    expect(f.osd.isOnGround, at).toBe(s.onGround);
    if (version >= 2) expect(f.osd.droneType, at).toBe('Mini4Pro');
    // Custom clock
    expect(Date.parse(f.custom.dateTime), at).toBe(Math.round(spec.startTimeMs + (i * 1000) / spec.tickHz));
    // Home
    expectClose(f.home.latitude, spec.home.latitude, 1e-9, `${at} home.latitude`);
    expectClose(f.home.longitude, spec.home.longitude, 1e-9, `${at} home.longitude`);
    expectClose(f.home.altitude, spec.home.altitudeM, 0.01, `${at} home.altitude`);
    expect(f.home.heightLimit, at).toBe(rt.homeHeightLimit ? spec.maxAllowedHeightM : 0);
    // Gimbal
    expectClose(f.gimbal.pitch, s.gimbal.pitchDeg, 0.051, `${at} gimbal.pitch`);
    expectClose(f.gimbal.roll, s.gimbal.rollDeg, 0.051, `${at} gimbal.roll`);
    expectClose(f.gimbal.yaw, s.gimbal.yawDeg, 0.051, `${at} gimbal.yaw`);
    expect(f.gimbal.mode, at).toBe('YawFollow');
    // RC sticks and link
    expect([f.rc.aileron, f.rc.elevator, f.rc.throttle, f.rc.rudder], at).toEqual([s.rc.aileron, s.rc.elevator, s.rc.throttle, s.rc.rudder]);
    expect(f.rc.uplinkSignal, at).toBe(s.signal.uplinkPercent);
    expect(f.rc.downlinkSignal, at).toBe(s.signal.downlinkPercent);
    // Battery
    expect(f.battery.chargeLevel, at).toBe(s.battery.percent);
    expectClose(f.battery.voltage, s.battery.voltageV, 0.0011, `${at} voltage`);
    expectClose(f.battery.current, s.battery.currentA, 0.0011, `${at} current`);
    expectClose(f.battery.temperature, s.battery.temperatureC, 0.051, `${at} temperature`);
    expect(f.battery.currentCapacity, at).toBe(s.battery.remainingMah);
    expect(f.battery.fullCapacity, at).toBe(spec.battery.fullCapacityMah);
    expect(f.battery.cellNum, at).toBe(spec.battery.cellCount);
    expect(f.battery.isCellVoltageEstimated, at).toBe(false);
    expect(f.battery.cellVoltages.length, at).toBe(s.battery.cellVoltagesV.length);
    f.battery.cellVoltages.forEach((v, k) => expectClose(v, s.battery.cellVoltagesV[k]!, 0.0006, `${at} cell ${k}`));
    // Camera
    expect(f.camera.isPhoto, at).toBe(s.photo);
    expect(f.camera.isVideo, at).toBe(s.recording);
    expect(f.camera.sdCardIsInserted, at).toBe(true);
    // Recover (aircraft identity as the app saw it)
    expect(f.recover.aircraftName, at).toBe(cut(spec.aircraft.name, 32));
    expect(f.recover.aircraftSn, at).toBe(spec.aircraft.serial.slice(0, rt.recoverSerialBytes));
    expect(f.recover.batterySn, at).toBe(spec.battery.serial.slice(0, rt.recoverSerialBytes));
    expect(f.recover.appVersion, at).toBe(spec.app.version.join('.'));
    // App messages: survive only where the parser can read them (not v7–12)
    for (const t of s.tips) {
      expect(f.app.tip.includes(t), `${at} tip`).toBe(rt.messages);
      tipsSeen++;
    }
    for (const t of [...s.warnings, ...s.seriousWarnings]) {
      expect(f.app.warn.includes(t), `${at} warn`).toBe(rt.messages);
      warningsSeen++;
    }
  }
  expect(tipsSeen).toBeGreaterThan(0);
  expect(warningsSeen).toBeGreaterThan(0);
  // the flight has photos and a video
  expect(frames.filter((f) => f.camera.isPhoto).length).toBe(s0.filter((s) => s.photo).length);
  expect(frames.some((f) => f.camera.isVideo)).toBe(true);
}

describe('writeDjiLog round-trips through dji-log-parser-js 0.5.7', () => {
  it.each(ALL_VERSIONS)('v%i: every field decodes back within its wire resolution', (version) => {
    const log = writeDjiLog(spec, { version });
    expect(log.keychains === null).toBe(version < 13);
    checkLog(log, log.keychains);
  });

  it.each([13, 14])('v%i with two keychain groups decodes with both groups', (version) => {
    const log = writeDjiLog(spec, { version, keychainGroups: 2 });
    expect(log.keychains).toHaveLength(2);
    checkLog(log, log.keychains);
  });

  it('v14 with three groups and a DJI Pilot department still round-trips', () => {
    const log = writeDjiLog(spec, { version: 14, keychainGroups: 3, department: 7 });
    const { request } = decode(log.bytes);
    expect(request.department).toBe(7);
    expect(request.keychainsArray).toHaveLength(3);
    checkLog(log, log.keychains);
  });

  it('details.totalDistance is km for DJI Fly / v13+ and metres for DJI GO style logs', () => {
    const go = demoFlight({ seed: 'go', durationS: 30, aircraft: 'Phantom 4 Pro V2' });
    const goLog = writeDjiLog(go, { version: 11 });
    expect(goLog.details.distanceUnit).toBe('m');
    expect(decode(goLog.bytes).details.totalDistance).toBeCloseTo(goLog.details.totalDistanceM, 2);
    const flyLog = writeDjiLog(spec, { version: 12 });
    expect(flyLog.details.distanceUnit).toBe('km');
    expect(decode(flyLog.bytes).details.totalDistance).toBeCloseTo(flyLog.details.totalDistanceM / 1000, 5);
    const go14 = writeDjiLog(go, { version: 14, distanceUnit: 'm' });
    expect(decode(go14.bytes, go14.keychains ?? undefined).details.totalDistance).toBeCloseTo(go14.details.totalDistanceM, 2);
  });

  it('the first frame carries the parser\'s own "Flight mode changed" tip', () => {
    const { frames } = decode(writeDjiLog(spec, { version: 6 }).bytes);
    expect(frames[0]!.app.tip).toContain(`Flight mode changed to ${FLIGHT_MODE_NAMES[spec.samples[0]!.flightMode]}.`);
  });
});
