import type { FlightMetadata, LogHeader, ParsedFlight } from '../types.js';
import { computeFlightStats } from '../stats/flight-stats.js';
import { blankOutOfRange } from './columns.js';
import type { ExtractedFlight, FlightIdentity } from './extracted.js';
import { haversineM } from './geo.js';
import { filterGpsTrack, trackDistanceM } from './gps-filter.js';
import { chooseHome } from './home.js';
import { buildTimeBase } from './time.js';
import type { WarningCounter } from './warnings.js';

/**
 * Format-independent second stage: time axis, GPS filtering, home, distances and the metadata.
 * Works on typed arrays only (no per-frame objects), so it costs a few ms even for long flights.
 */
export function normaliseFlight(
  extracted: ExtractedFlight,
  identity: FlightIdentity,
  header: LogHeader,
  warnings: WarningCounter,
): ParsedFlight {
  const { telemetry } = extracted;
  const c = telemetry.numeric;
  const n = telemetry.length;

  blankOutOfRange(telemetry, warnings);

  const time = buildTimeBase(extracted.clockMs, extracted.flyTimeMs, identity.headerStartMs, warnings);
  telemetry.timeMs = time.timeMs;

  const gps = filterGpsTrack(c.latitude, c.longitude, time.timeMs, warnings);
  const takeoff = gps.firstIndex >= 0 ? { latitude: c.latitude[gps.firstIndex]!, longitude: c.longitude[gps.firstIndex]! } : null;
  const landing = gps.lastIndex >= 0 ? { latitude: c.latitude[gps.lastIndex]!, longitude: c.longitude[gps.lastIndex]! } : null;

  const { home, rejectedRecorded } = chooseHome(extracted.homeCandidates, takeoff);
  if (rejectedRecorded) warnings.add('home-implausible');
  if (home !== null) {
    for (let i = 0; i < n; i++) {
      const lat = c.latitude[i]!;
      if (!Number.isNaN(lat)) c.distanceFromHomeM[i] = haversineM(home.latitude, home.longitude, lat, c.longitude[i]!);
    }
  }

  const stats = computeFlightStats(telemetry);
  const lastMs = n > 0 ? time.timeMs[n - 1]! : 0;
  const metadata: FlightMetadata = {
    aircraftName: identity.aircraftName,
    aircraftModel: identity.aircraftModel,
    productType: identity.productType,
    aircraftSerial: identity.aircraftSerial,
    batterySerial: identity.batterySerial,
    cameraSerial: identity.cameraSerial,
    rcSerial: identity.rcSerial,
    startTime: new Date(time.startMs).toISOString(),
    endTime: new Date(time.startMs + lastMs).toISOString(),
    durationS: lastMs / 1000,
    home,
    takeoff,
    landing,
    distanceM: trackDistanceM(c.latitude, c.longitude, c.horizontalSpeedMps),
    ...stats,
    batteryCycles: identity.batteryCycles,
    batteryDesignCapacityMah: identity.batteryDesignCapacityMah,
    app: identity.app,
    firmware: identity.firmware,
    logVersion: identity.logVersion,
    frameCount: n,
    gpsFrameCount: gps.accepted,
    place: identity.place,
  };

  return {
    header,
    metadata,
    telemetry,
    messages: extracted.messages.toMessages(time.timeMs),
    warnings: warnings.toList(),
  };
}
