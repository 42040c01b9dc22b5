import {
  cleanBattery, csvSerial, csvText, deriveSpeeds, fillCells, homeCandidatesFrom, newExtraction, normaliseStickColumn,
  parseCsvDateTime, risingEdges, setColumn, type CsvExtraction, type WarningCounter,
} from './build.js';
import { productFromText } from './product-numbers.js';
import type { CsvTable } from './table.js';

/**
 * CSVs with DJI record names as column prefixes (`OSD.latitude`, `BATTERY.chargeLevel`, `CUSTOM.updateTime`):
 * PhantomHelp's log viewer export (`sep=,` first line, BOM, imperial or metric) and TXTlogToCSVtool / CsvView
 * (CENTER_BATTERY.*, SMART_BATTERY.*, ±10000 RC sticks). Units from the `[ft]`/`[MPH]`/`[F]` suffixes.
 *
 * Time: PhantomHelp labels `CUSTOM.date`/`CUSTOM.updateTime` "[local]", but on the real export of the df010
 * Inspire 1 flight they equal the DJI log's UTC clock (3:16:54.01 PM vs the .txt's 15:16:53.071Z, in Colorado,
 * UTC−6), i.e. PhantomHelp renders them in its server's zone, UTC. TXTlogToCSVtool's `CUSTOM.updateTime` is the
 * log's own clock. Both are read as UTC; `OSD.flyTime [s]` fills rows without a clock.
 * `OSD.xSpeed/ySpeed/zSpeed` are the OSD record's North/East/Down, as in DJI logs.
 */
export function mapPhantomHelp(t: CsvTable, warnings: WarningCounter): CsvExtraction {
  const x = newExtraction(t.length);
  const tel = x.telemetry;
  setColumn(tel, 'latitude', t.numbers('OSD.latitude'));
  setColumn(tel, 'longitude', t.numbers('OSD.longitude'));
  setColumn(tel, 'heightM', t.numbers('OSD.height', 'length'));
  setColumn(tel, 'vpsHeightM', t.numbers(t.find('OSD.vpsHeight', 'OSD.sWaveHeight') ?? 'OSD.vpsHeight', 'length'));
  setColumn(tel, 'velocityNorthMps', t.numbers('OSD.xSpeed', 'speed'));
  setColumn(tel, 'velocityEastMps', t.numbers('OSD.ySpeed', 'speed'));
  setColumn(tel, 'velocityDownMps', t.numbers('OSD.zSpeed', 'speed'));
  // Horizontal speed = hypot(N, E) as for DJI logs; PhantomHelp's OSD.hSpeed is computed from positions and
  // jumps with them (67 mph on df010, whose x/y speeds and DJI's own maximum say 51 mph).
  const hasVelocity = t.has('OSD.xSpeed') && t.has('OSD.ySpeed');
  if (!hasVelocity) setColumn(tel, 'horizontalSpeedMps', t.numbers(t.find('OSD.hSpeed', 'CUSTOM.hSpeed') ?? 'OSD.hSpeed', 'speed'));
  deriveSpeeds(tel, !hasVelocity, false);
  setColumn(tel, 'pitchDeg', t.numbers('OSD.pitch'));
  setColumn(tel, 'rollDeg', t.numbers('OSD.roll'));
  setColumn(tel, 'yawDeg', t.numbers('OSD.yaw'));
  setColumn(tel, 'gimbalPitchDeg', t.numbers('GIMBAL.pitch'));
  setColumn(tel, 'gimbalRollDeg', t.numbers('GIMBAL.roll'));
  setColumn(tel, 'gimbalYawDeg', t.numbers('GIMBAL.yaw'));

  // Altitude: PhantomHelp's OSD.altitude is above sea level; TXTlogToCSVtool's is relative (it equals the
  // height there), so it is used only when HOME.height shows the file carries a sea-level home altitude.
  const homeAltitude = t.numbers('HOME.height', 'length');
  const seaLevel = homeAltitude !== null && homeAltitude.some((v) => v > 0);
  if (seaLevel) setColumn(tel, 'altitudeM', t.numbers('OSD.altitude', 'length'));

  const battery = t.has('BATTERY.chargeLevel') ? 'BATTERY' : 'CENTER_BATTERY';
  setColumn(tel, 'batteryPercent', t.numbers(t.find('BATTERY.chargeLevel', 'SMART_BATTERY.battery', 'CENTER_BATTERY.relativeCapacity') ?? 'BATTERY.chargeLevel'));
  setColumn(tel, 'batteryVoltageV', t.numbers(t.find('BATTERY.voltage', 'SMART_BATTERY.voltage', 'CENTER_BATTERY.currentPV') ?? 'BATTERY.voltage'));
  setColumn(tel, 'batteryCurrentA', t.numbers(`${battery}.current`), (v) => (v === 0 ? NaN : Math.abs(v)));
  setColumn(tel, 'batteryTemperatureC', t.numbers(`${battery}.temperature`, 'temperature'), (v) => (v === 0 ? NaN : v));
  setColumn(tel, 'batteryFullCapacityMah', t.numbers(`${battery}.fullCapacity`), (v) => (v > 0 ? v : NaN));
  setColumn(tel, 'batteryRemainingCapacityMah', t.numbers(`${battery}.currentCapacity`), (v) => (v > 0 ? v : NaN));
  const cellName = battery === 'BATTERY' ? 'BATTERY.cellVoltage' : 'CENTER_BATTERY.voltageCell';
  fillCells(tel, [1, 2, 3, 4, 5, 6].map((k) => t.numbers(`${cellName}${k}`)));
  cleanBattery(tel, warnings);

  setColumn(tel, 'satellites', t.numbers('OSD.gpsNum'));
  setColumn(tel, 'gpsLevel', t.numbers('OSD.gpsLevel'));
  setColumn(tel, 'rcAileron', normaliseStickColumn(t.numbers('RC.aileron')));
  setColumn(tel, 'rcElevator', normaliseStickColumn(t.numbers('RC.elevator')));
  setColumn(tel, 'rcThrottle', normaliseStickColumn(t.numbers('RC.throttle')));
  setColumn(tel, 'rcRudder', normaliseStickColumn(t.numbers('RC.rudder')));
  setColumn(tel, 'rcUplinkPercent', t.numbers('RC.uplinkSignal'));
  setColumn(tel, 'rcDownlinkPercent', t.numbers('RC.downlinkSignal'));

  const photo = t.flags(t.find('CAMERA.isPhoto', 'CUSTOM.isPhoto') ?? 'CAMERA.isPhoto');
  if (photo !== null) tel.isPhoto = risingEdges(photo);
  tel.isVideo = t.flags(t.find('CAMERA.isVideo', 'CUSTOM.isVideo') ?? 'CAMERA.isVideo') ?? tel.isVideo;

  const flyTime = t.numbers('OSD.flyTime[s]') ?? t.numbers('OSD.flyTime');
  const hasDate = t.has('CUSTOM.date');
  for (let i = 0; i < t.length; i++) {
    tel.flightMode[i] = csvText(t.text('OSD.flycState', i));
    const f = flyTime?.[i] ?? NaN;
    x.flyTimeMs[i] = f >= 0 ? Math.round(f * 1000) : NaN;
    x.clockMs[i] = hasDate
      ? parseCsvDateTime(t.text('CUSTOM.date', i), t.text('CUSTOM.updateTime', i))
      : parseCsvDateTime(t.text('CUSTOM.updateTime', i));
    x.messages.addFrame(i, joinMessages(t.text('APP.tip', i), t.text('APP.message', i)), t.text('APP.warning', i));
  }

  x.homeCandidates = homeCandidatesFrom(t.numbers('HOME.latitude'), t.numbers('HOME.longitude'), seaLevel ? homeAltitude : null);

  const first = (...names: string[]): string | null => {
    for (const name of names) {
      const v = csvText(t.firstText(name));
      if (v !== null) return v;
    }
    return null;
  };
  const appType = first('RECOVER.appType', 'DETAILS.appType');
  const appVersion = first('RECOVER.appVersion', 'DETAILS.appVersion');
  x.identity = {
    aircraftName: first('RECOVER.aircraftName', 'DETAILS.aircraftName'),
    ...productFromText(first('OSD.droneType', 'RECOVER.droneType', 'DETAILS.droneType')),
    aircraftSerial: csvSerial(first('RECOVER.aircraftSerial', 'DETAILS.aircraftSerial', 'RECOVER.aircraftSnBytes', 'DETAILS.aircraftSnBytes')),
    batterySerial: csvSerial(first('RECOVER.batterySerial', 'DETAILS.batterySerial', 'RECOVER.batterySn', 'DETAILS.batterySn')),
    cameraSerial: csvSerial(first('RECOVER.cameraSerial', 'DETAILS.cameraSerial', 'RECOVER.cameraSn', 'DETAILS.cameraSn')),
    rcSerial: csvSerial(first('RECOVER.rcSerial', 'DETAILS.rcSerial', 'RECOVER.rcSn', 'DETAILS.rcSn')),
    app: appType === null && appVersion === null ? null : [appType, appVersion].filter((s) => s !== null).join(' '),
    firmware: null,
    batteryCycles: positiveInt(first('BATTERY.timesCharged', 'CENTER_BATTERY.loopNum')),
    batteryDesignCapacityMah: null,
    place: null,
  };
  const stated = (name: string, dimension: 'length' | 'other') => {
    const col = t.numbers(name, dimension);
    const v = col?.find((n) => Number.isFinite(n) && n > 0);
    return v ?? null;
  };
  x.stated = {
    durationS: stated('DETAILS.totalTime', 'other'),
    distanceM: stated('DETAILS.totalDistance', 'length'),
    maxHeightM: stated('DETAILS.maxHeight', 'length'),
  };
  return x;
}

function joinMessages(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}; ${b}`;
}

function positiveInt(v: string | null): number | null {
  const n = v === null ? NaN : Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
}
