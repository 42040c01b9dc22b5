import type { LogHeader, ParsedFlight } from '../../src/index.js';

/** Rounds to `digits` decimals; null/NaN stay null. Keeps golden files stable and readable. */
export function round(v: number | null | undefined, digits: number): number | null {
  if (v === null || v === undefined || Number.isNaN(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function point(p: { latitude: number; longitude: number } | null) {
  return p === null ? null : { latitude: round(p.latitude, 6), longitude: round(p.longitude, 6) };
}

export function summariseHeader(h: LogHeader) {
  return {
    version: h.version,
    encrypted: h.encrypted,
    aircraftName: h.aircraftName,
    aircraftModel: h.aircraftModel,
    productType: h.productType,
    aircraftSerial: h.aircraftSerial,
    batterySerial: h.batterySerial,
    cameraSerial: h.cameraSerial,
    rcSerial: h.rcSerial,
    startTime: h.startTime,
    durationS: round(h.durationS, 3),
    distanceM: round(h.distanceM, 1),
    maxHeightM: round(h.maxHeightM, 1),
    latitude: round(h.latitude, 6),
    longitude: round(h.longitude, 6),
    app: h.app,
    place: h.place,
  };
}

/** What a golden file records about one parsed flight. */
export function summariseFlight(f: ParsedFlight) {
  const m = f.metadata;
  const t = f.telemetry;
  const lastRow = t.length - 1;
  return {
    aircraftName: m.aircraftName,
    aircraftModel: m.aircraftModel,
    aircraftSerial: m.aircraftSerial,
    batterySerial: m.batterySerial,
    cameraSerial: m.cameraSerial,
    rcSerial: m.rcSerial,
    app: m.app,
    startTime: m.startTime,
    endTime: m.endTime,
    durationS: round(m.durationS, 3),
    frameCount: m.frameCount,
    gpsFrameCount: m.gpsFrameCount,
    home: m.home === null ? null : { ...point(m.home), altitudeM: round(m.home.altitudeM, 1), source: m.home.source },
    takeoff: point(m.takeoff),
    landing: point(m.landing),
    distanceM: round(m.distanceM, 1),
    maxHeightM: round(m.maxHeightM, 1),
    maxAltitudeM: round(m.maxAltitudeM, 1),
    maxHorizontalSpeedMps: round(m.maxHorizontalSpeedMps, 2),
    maxVerticalSpeedMps: round(m.maxVerticalSpeedMps, 2),
    maxDistanceFromHomeM: round(m.maxDistanceFromHomeM, 1),
    photoCount: m.photoCount,
    videoCount: m.videoCount,
    batteryStartPercent: m.batteryStartPercent,
    batteryEndPercent: m.batteryEndPercent,
    batteryCycles: m.batteryCycles,
    batteryDesignCapacityMah: m.batteryDesignCapacityMah,
    batteryMinTemperatureC: round(m.batteryMinTemperatureC, 1),
    batteryMaxTemperatureC: round(m.batteryMaxTemperatureC, 1),
    minVoltageV: round(m.minVoltageV, 2),
    lastRow: lastRow < 0 ? null : {
      timeMs: t.timeMs[lastRow],
      latitude: round(t.numeric.latitude[lastRow], 6),
      longitude: round(t.numeric.longitude[lastRow], 6),
      heightM: round(t.numeric.heightM[lastRow], 1),
      batteryPercent: round(t.numeric.batteryPercent[lastRow], 0),
      flightMode: t.flightMode[lastRow],
    },
    warnings: f.warnings.map((w) => ({ code: w.code, count: w.count })),
    messageCount: f.messages.length,
    firstMessages: f.messages.slice(0, 3),
  };
}
