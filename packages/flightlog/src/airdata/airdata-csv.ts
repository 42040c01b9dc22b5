import {
  cleanBattery, csvText, deriveSpeeds, fillCells, newExtraction, normaliseStickColumn, parseCsvDateTime, risingEdges,
  setColumn, type CsvExtraction, type WarningCounter,
} from '../csv/build.js';
import type { CsvTable } from '../csv/table.js';

/**
 * Airdata UAV CSV export. Units from the header in any of Airdata's choices (feet/m, mph/kph/m/s/knots,
 * °F/°C), converted to SI. `xSpeed`/`ySpeed`/`zSpeed` are DJI's North/East/Down (checked on the real Mini 2
 * export: zSpeed is positive while the height falls). RC sticks are DJI raw values.
 *
 * Time: `time(millisecond)` is the row clock; `datetime(utc)` only has whole seconds, so the start is the
 * median over all rows of (datetime − time): within a second of the DJI log's own start on the paired
 * fixture (02:23:47.7 vs 02:23:47.611). Airdata CSVs carry no serial numbers or aircraft name.
 */
export function mapAirdata(t: CsvTable, warnings: WarningCounter): CsvExtraction {
  const x = newExtraction(t.length);
  const tel = x.telemetry;
  setColumn(tel, 'latitude', t.numbers('latitude'));
  setColumn(tel, 'longitude', t.numbers('longitude'));
  setColumn(tel, 'heightM', t.numbers(t.find('height_above_takeoff', 'ascent') ?? 'height_above_takeoff', 'length'));
  setColumn(tel, 'vpsHeightM', t.numbers('height_sonar', 'length'));
  setColumn(tel, 'altitudeM', t.numbers(t.find('altitude_above_seaLevel', 'altitude') ?? 'altitude', 'length'));
  setColumn(tel, 'horizontalSpeedMps', t.numbers('speed', 'speed'));
  setColumn(tel, 'velocityNorthMps', t.numbers('xSpeed', 'speed'));
  setColumn(tel, 'velocityEastMps', t.numbers('ySpeed', 'speed'));
  setColumn(tel, 'velocityDownMps', t.numbers('zSpeed', 'speed'));
  deriveSpeeds(tel, t.has('speed'), false);
  setColumn(tel, 'pitchDeg', t.numbers('pitch'));
  setColumn(tel, 'rollDeg', t.numbers('roll'));
  setColumn(tel, 'yawDeg', t.numbers('compass_heading'));
  setColumn(tel, 'gimbalPitchDeg', t.numbers('gimbal_pitch'));
  setColumn(tel, 'gimbalRollDeg', t.numbers('gimbal_roll'));
  setColumn(tel, 'gimbalYawDeg', t.numbers('gimbal_heading'));

  setColumn(tel, 'batteryPercent', t.numbers('battery_percent'));
  setColumn(tel, 'batteryVoltageV', t.numbers('voltage'));
  setColumn(tel, 'batteryCurrentA', t.numbers('current'), Math.abs);
  setColumn(tel, 'batteryTemperatureC', t.numbers('battery_temperature', 'temperature'), (v) => (v === 0 ? NaN : v));
  fillCells(tel, [1, 2, 3, 4, 5, 6].map((k) => t.numbers(`voltageCell${k}`)));
  cleanBattery(tel, warnings);

  setColumn(tel, 'satellites', t.numbers('satellites'));
  setColumn(tel, 'gpsLevel', t.numbers('gpslevel'));
  setColumn(tel, 'rcAileron', normaliseStickColumn(t.numbers('rc_aileron')));
  setColumn(tel, 'rcElevator', normaliseStickColumn(t.numbers('rc_elevator')));
  setColumn(tel, 'rcThrottle', normaliseStickColumn(t.numbers('rc_throttle')));
  setColumn(tel, 'rcRudder', normaliseStickColumn(t.numbers('rc_rudder')));

  const photo = t.flags('isPhoto');
  if (photo !== null) tel.isPhoto = risingEdges(photo);
  tel.isVideo = t.flags('isVideo') ?? tel.isVideo;

  const time = t.numbers('time');
  const offsets: number[] = [];
  for (let i = 0; i < t.length; i++) {
    tel.flightMode[i] = csvText(t.text('flycState', i));
    const ms = time?.[i] ?? NaN;
    x.flyTimeMs[i] = ms;
    const clock = parseCsvDateTime(t.text('datetime(utc)', i));
    if (!Number.isNaN(clock) && !Number.isNaN(ms)) offsets.push(clock - ms);
    const message = t.text('message', i);
    if (isWarning(message)) x.messages.addFrame(i, '', message);
    else x.messages.addFrame(i, message, '');
  }
  if (offsets.length > 0) {
    offsets.sort((a, b) => a - b);
    // Row 0's clock anchors the axis; every other step comes from time(millisecond).
    x.clockMs[0] = offsets[offsets.length >> 1]! + (time?.[0] ?? 0);
  }

  x.identity = {
    aircraftName: null, aircraftModel: null, productType: null,
    aircraftSerial: null, batterySerial: null, cameraSerial: null, rcSerial: null,
    app: 'Airdata', firmware: null, batteryCycles: null, batteryDesignCapacityMah: null, place: null,
  };
  return x;
}

/** Airdata merges the app's tips and warnings into one `message` column. */
function isWarning(message: string): boolean {
  return /error|warning|low battery|fail|lost|interference|abnormal|weak/i.test(message);
}
