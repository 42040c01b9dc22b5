import { createTelemetry } from '../normalise/columns.js';
import type { ExtractedFlight, HomeCandidate } from '../normalise/extracted.js';
import { NULL_ISLAND_EPSILON_DEG } from '../normalise/geo.js';
import { MessageCollector } from '../normalise/messages.js';
import { normaliseStick } from '../normalise/sticks.js';
import { flyTimeToMs, parseFrameClock } from '../normalise/time.js';
import type { WarningCounter } from '../normalise/warnings.js';
import { enumToString, type DjiFrame } from './frame.js';
import { FrameQuality } from './plausibility.js';

/** First usable value of each Recover-record field seen in the frames (raw strings, cleaned later). */
export interface RecoverValues {
  aircraftName: string | null;
  aircraftSn: string | null;
  cameraSn: string | null;
  rcSn: string | null;
  batterySn: string | null;
  appVersion: string | null;
  appPlatform: unknown;
}

export interface DjiExtraction extends ExtractedFlight {
  quality: FrameQuality;
  recover: RecoverValues;
}

/** At most this many distinct home values are remembered (a home point changes a few times at most). */
const MAX_HOME_CANDIDATES = 64;

/**
 * One pass over the parser's frames into columns. Does not keep a reference to `frames`, so the caller
 * can drop the (large: ~4.5 KB per frame) array as soon as this returns.
 */
export function extractDjiFrames(frames: readonly DjiFrame[], warnings: WarningCounter): DjiExtraction {
  const n = frames.length;
  const telemetry = createTelemetry(n);
  const c = telemetry.numeric;
  const clockMs = new Float64Array(n);
  const flyTimeMs = new Float64Array(n);
  const messages = new MessageCollector();
  const quality = new FrameQuality();
  const homeCandidates: HomeCandidate[] = [];
  const recover: RecoverValues = {
    aircraftName: null, aircraftSn: null, cameraSn: null, rcSn: null, batterySn: null, appVersion: null, appPlatform: undefined,
  };

  // Battery % reads 0 until the first battery record arrives, and current and temperature stay 0 in logs
  // without SmartBatteryGroup records: those zeros mean "unknown", not 0.
  let percentSeen = false;
  let currentSeen = false;
  let temperatureSeen = false;
  let implausibleBatteryRows = 0;
  let smartGroupGarbage = false;
  let photoBefore = false;

  for (let i = 0; i < n; i++) {
    const f = frames[i]!;
    const o = f.osd;
    quality.add(f);

    clockMs[i] = parseFrameClock(f.custom.dateTime);
    flyTimeMs[i] = flyTimeToMs(o.flyTime);

    c.latitude[i] = o.latitude;
    c.longitude[i] = o.longitude;
    c.heightM[i] = o.height;
    c.vpsHeightM[i] = o.vpsHeight;
    // osd.altitude = height + home altitude; before the first Home record the parser adds 0.
    const h = f.home;
    c.altitudeM[i] = h.isHomeRecord || h.altitude !== 0 || h.latitude !== 0 ? o.altitude : NaN;

    c.velocityNorthMps[i] = o.xSpeed;
    c.velocityEastMps[i] = o.ySpeed;
    c.velocityDownMps[i] = o.zSpeed;
    c.horizontalSpeedMps[i] = Math.hypot(o.xSpeed, o.ySpeed);
    c.verticalSpeedMps[i] = o.zSpeed === 0 ? 0 : -o.zSpeed;

    c.pitchDeg[i] = o.pitch;
    c.rollDeg[i] = o.roll;
    c.yawDeg[i] = o.yaw;
    c.gimbalPitchDeg[i] = f.gimbal.pitch;
    c.gimbalRollDeg[i] = f.gimbal.roll;
    c.gimbalYawDeg[i] = f.gimbal.yaw;

    const b = f.battery;
    const cells = !b.isCellVoltageEstimated && Array.isArray(b.cellVoltages) && b.cellVoltages.some((v) => v > 0) ? b.cellVoltages : null;
    const batteryOk = isPlausibleBatteryReading(b.chargeLevel, b.voltage, cells);
    if (!batteryOk) implausibleBatteryRows++;
    if (!percentSeen && batteryOk && b.chargeLevel > 0) percentSeen = true;
    if (!currentSeen && b.current !== 0) currentSeen = true;
    if (!temperatureSeen && b.temperature !== 0) temperatureSeen = true;
    if (!smartGroupGarbage && !isPlausibleSmartBatteryGroup(b)) smartGroupGarbage = true;
    c.batteryPercent[i] = percentSeen && batteryOk ? b.chargeLevel : NaN;
    c.batteryVoltageV[i] = batteryOk && b.voltage > 0 ? b.voltage : NaN;
    c.batteryCurrentA[i] = currentSeen ? b.current : NaN;
    c.batteryTemperatureC[i] = temperatureSeen ? b.temperature : NaN;
    c.batteryFullCapacityMah[i] = b.fullCapacity > 0 ? b.fullCapacity : NaN;
    c.batteryRemainingCapacityMah[i] = b.fullCapacity > 0 ? b.currentCapacity : NaN;
    if (cells !== null && cells.every((v) => v >= 2 && v <= 5)) telemetry.cellVoltages[i] = cells.slice();

    c.satellites[i] = o.gpsNum;
    c.gpsLevel[i] = o.gpsLevel;

    const rc = f.rc;
    c.rcAileron[i] = normaliseStick(rc.aileron);
    c.rcElevator[i] = normaliseStick(rc.elevator);
    c.rcThrottle[i] = normaliseStick(rc.throttle);
    c.rcRudder[i] = normaliseStick(rc.rudder);
    c.rcUplinkPercent[i] = signalPercent(rc.uplinkSignal);
    c.rcDownlinkPercent[i] = signalPercent(rc.downlinkSignal);

    telemetry.flightMode[i] = enumToString(o.flycState);
    const photo = f.camera.isPhoto === true;
    telemetry.isPhoto[i] = photo && !photoBefore ? 1 : 0;
    photoBefore = photo;
    telemetry.isVideo[i] = f.camera.isVideo === true ? 1 : 0;

    messages.addFrame(i, f.app.tip, f.app.warn);

    if (
      homeCandidates.length < MAX_HOME_CANDIDATES &&
      Number.isFinite(h.latitude) && Number.isFinite(h.longitude) &&
      !(Math.abs(h.latitude) < NULL_ISLAND_EPSILON_DEG && Math.abs(h.longitude) < NULL_ISLAND_EPSILON_DEG)
    ) {
      const last = homeCandidates.at(-1);
      if (last === undefined || last.latitude !== h.latitude || last.longitude !== h.longitude) {
        homeCandidates.push({ row: i, latitude: h.latitude, longitude: h.longitude, altitudeM: Number.isFinite(h.altitude) ? h.altitude : null });
      }
    }

    collectRecover(recover, f.recover);
  }

  warnings.add('battery-implausible', implausibleBatteryRows);
  if (smartGroupGarbage) {
    // The parser misreads SmartBatteryGroup records of some older logs (Mavic Pro, DJI GO 4.1:
    // 3000 V, 2500 A, 900 °C, 450 Ah). Current, temperature and capacities then cannot be trusted anywhere.
    for (const column of [c.batteryCurrentA, c.batteryTemperatureC, c.batteryFullCapacityMah, c.batteryRemainingCapacityMah]) column.fill(NaN);
    warnings.add('battery-records-unreadable');
  }
  return { telemetry, clockMs, flyTimeMs, messages, homeCandidates, quality, recover };
}

/** Highest pack voltage of any DJI aircraft (12S at 4.4 V/cell ≈ 53 V), with margin. */
const MAX_PACK_VOLTAGE_V = 60;

/**
 * A frame's battery % and voltage are garbage when the % exceeds 100, the voltage exceeds any DJI pack,
 * or measured cell voltages do not add up to the pack voltage (seen: 201 % at 51.3 V on a Phantom 4 Pro
 * whose cells read 4 × 3.8 V).
 */
export function isPlausibleBatteryReading(percent: number, voltage: number, cells: readonly number[] | null): boolean {
  if (!(percent >= 0 && percent <= 100) || !(voltage >= 0 && voltage <= MAX_PACK_VOLTAGE_V)) return false;
  if (cells !== null && voltage > 0) {
    const sum = cells.reduce((a, v) => a + v, 0);
    if (Math.abs(sum - voltage) > Math.max(2, 0.15 * voltage)) return false;
  }
  return true;
}

/** Current, temperature and capacity (from SmartBatteryGroup / CenterBattery records) inside physical limits. */
function isPlausibleSmartBatteryGroup(b: DjiFrame['battery']): boolean {
  return (
    Math.abs(b.current) <= 300 &&
    (b.temperature === 0 || (b.temperature >= -40 && b.temperature <= 100)) &&
    b.currentCapacity >= 0 && b.currentCapacity <= 50_000 &&
    b.fullCapacity >= 0 && b.fullCapacity <= 50_000
  );
}

function signalPercent(v: unknown): number {
  return typeof v === 'number' && v >= 0 && v <= 100 ? v : NaN;
}

/** Keeps the first clean (non-empty, NUL-free) value of each field. */
function collectRecover(into: RecoverValues, r: DjiFrame['recover'] | undefined): void {
  if (r === undefined) return;
  const take = (current: string | null, value: unknown): string | null =>
    current !== null ? current : typeof value === 'string' && value.trim() !== '' && !value.includes('\0') ? value : null;
  into.aircraftName = take(into.aircraftName, r.aircraftName);
  into.aircraftSn = take(into.aircraftSn, r.aircraftSn);
  into.cameraSn = take(into.cameraSn, r.cameraSn);
  into.rcSn = take(into.rcSn, r.rcSn);
  into.batterySn = take(into.batterySn, r.batterySn);
  if (into.appVersion === null && typeof r.appVersion === 'string' && r.appVersion !== '' && r.appVersion !== '0.0.0') {
    into.appVersion = r.appVersion;
    into.appPlatform = r.appPlatform;
  }
}
