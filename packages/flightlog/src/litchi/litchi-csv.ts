import {
  cleanBattery, csvSerial, csvText, deriveSpeeds, fillCells, homeCandidatesFrom, newExtraction, normaliseStickColumn,
  parseCsvDateTime, risingEdges, setColumn, type CsvExtraction, type WarningCounter,
} from '../csv/build.js';
import { productFromNumber } from '../csv/product-numbers.js';
import type { CsvTable } from '../csv/table.js';

/**
 * Litchi flight-log CSV (Litchi for DJI, iOS/Android). Units come from the header: `altitude(feet)`,
 * `speed(mph)` … (imperial or metric, converted to SI). Battery values without a unit in the name are in
 * Litchi's raw DJI SDK units: currentVoltage mV, currentCurrent mA (negative while discharging),
 * Battery_CellN mV, currentElectricity mAh; batteryTemperature is written in 0.1 K (2921.5 = 19 °C) by the
 * iOS app (°C values are taken as they are). Gimbal angles only exist as `gimbal*Raw` in 0.1°.
 * Velocities X/Y/Z are DJI's North/East/Down. `Dronetype` is DJI's numeric product type.
 */
export function mapLitchi(t: CsvTable, warnings: WarningCounter): CsvExtraction {
  const x = newExtraction(t.length);
  const tel = x.telemetry;
  setColumn(tel, 'latitude', t.numbers('latitude'));
  setColumn(tel, 'longitude', t.numbers('longitude'));
  setColumn(tel, 'heightM', t.numbers('altitude', 'length'));
  setColumn(tel, 'horizontalSpeedMps', t.numbers('speed', 'speed'));
  setColumn(tel, 'velocityNorthMps', t.numbers('velocityX', 'speed'));
  setColumn(tel, 'velocityEastMps', t.numbers('velocityY', 'speed'));
  setColumn(tel, 'velocityDownMps', t.numbers('velocityZ', 'speed'));
  deriveSpeeds(tel, t.has('speed'), false);
  setColumn(tel, 'pitchDeg', t.numbers('pitch'));
  setColumn(tel, 'rollDeg', t.numbers('roll'));
  setColumn(tel, 'yawDeg', t.numbers('yaw'));
  setColumn(tel, 'gimbalPitchDeg', t.numbers('gimbalPitchRaw'), tenths);
  setColumn(tel, 'gimbalRollDeg', t.numbers('gimbalRollRaw'), tenths);
  setColumn(tel, 'gimbalYawDeg', t.numbers('gimbalYawRaw'), tenths);

  setColumn(tel, 'batteryPercent', t.numbers('remainPowerPercent'));
  if (t.has('currentVoltage')) setColumn(tel, 'batteryVoltageV', t.numbers('currentVoltage'), (v) => v / 1000);
  else setColumn(tel, 'batteryVoltageV', t.numbers('voltage'));
  setColumn(tel, 'batteryCurrentA', t.numbers('currentCurrent'), (v) => Math.abs(v) / 1000);
  setColumn(tel, 'batteryTemperatureC', t.numbers('batteryTemperature', 'temperature'), litchiBatteryTemperature);
  setColumn(tel, 'batteryRemainingCapacityMah', t.numbers('currentElectricity'), positive);
  // Litchi writes the full capacity on the first row only.
  const full = Number(t.firstText('CENTER_BATTERY.fullCapacity', (v) => !(Number(v) > 0)) ?? NaN);
  if (full > 0) tel.numeric.batteryFullCapacityMah.fill(full);
  fillCells(tel, [1, 2, 3, 4, 5, 6].map((k) => t.numbers(`Battery_Cell${k}`)), 1 / 1000);
  cleanBattery(tel, warnings);

  setColumn(tel, 'satellites', t.numbers('satellites'));
  setColumn(tel, 'rcAileron', normaliseStickColumn(t.numbers('Rc_aileron')));
  setColumn(tel, 'rcElevator', normaliseStickColumn(t.numbers('Rc_elevator')));
  setColumn(tel, 'rcThrottle', normaliseStickColumn(t.numbers('Rc_throttle')));
  setColumn(tel, 'rcRudder', normaliseStickColumn(t.numbers('Rc_rudder')));
  setColumn(tel, 'rcUplinkPercent', t.numbers('uplinkSignalQuality'));
  setColumn(tel, 'rcDownlinkPercent', t.numbers('downlinkSignalQuality'));

  const photo = t.flags('istakingphoto');
  if (photo !== null) tel.isPhoto = risingEdges(photo);
  tel.isVideo = t.flags('isTakingVideo') ?? tel.isVideo;

  const time = t.numbers('time');
  const utc = t.has('datetime(utc)');
  for (let i = 0; i < t.length; i++) {
    tel.flightMode[i] = csvText(t.text('flightmode', i));
    if (time !== null) x.flyTimeMs[i] = time[i]!;
    if (utc) x.clockMs[i] = parseCsvDateTime(t.text('datetime(utc)', i));
    x.messages.addFrame(i, t.text('App_Tip', i), t.text('App_Warning', i));
  }
  if (!utc) fillClockFromTimestamp(t, x);

  x.homeCandidates = homeCandidatesFrom(t.numbers('home_latitude'), t.numbers('home_longitude'), null);
  const app = csvText(t.firstText('AppVersion'));
  x.identity = {
    aircraftName: csvText(t.firstText('Planename')),
    ...productFromNumber(t.firstText('Dronetype')),
    aircraftSerial: csvSerial(t.firstText('FlyControllerSerialNumber')),
    batterySerial: csvSerial(t.firstText('BatterySerialNumber')),
    cameraSerial: null,
    rcSerial: csvSerial(t.firstText('RemoteSerialNumber')),
    app: app === null ? 'Litchi' : app.replace(/_/g, ' '),
    firmware: null,
    batteryCycles: null,
    batteryDesignCapacityMah: null,
    place: null,
  };
  return x;
}

/** Litchi without a `datetime(utc)` column: its `timestamp` column is Unix ms. */
function fillClockFromTimestamp(t: CsvTable, x: CsvExtraction): void {
  const ts = t.numbers('timestamp');
  if (ts === null) return;
  for (let i = 0; i < t.length; i++) {
    const v = ts[i]!;
    x.clockMs[i] = v > 1.3e12 && v < 4.1e12 ? v : NaN;
  }
}

function tenths(v: number): number {
  return v / 10;
}

function positive(v: number): number {
  return v > 0 ? v : NaN;
}

/** 0.1 K (> 1000), K (> 200) or °C; 0 is "no reading". */
export function litchiBatteryTemperature(v: number): number {
  if (!(v !== 0)) return NaN;
  if (v > 1000) return v / 10 - 273.15;
  if (v > 200) return v - 273.15;
  return v;
}
