import type { Telemetry } from '../types.js';
import type { MessageCollector } from './messages.js';

/** A home point value seen in the frames (only changes are kept), with the row where it first appeared. */
export interface HomeCandidate {
  row: number;
  latitude: number;
  longitude: number;
  altitudeM: number | null;
}

/** Who and what flew, as resolved by the format-specific decoder. */
export interface FlightIdentity {
  aircraftName: string | null;
  aircraftModel: string | null;
  productType: string | null;
  aircraftSerial: string | null;
  batterySerial: string | null;
  cameraSerial: string | null;
  rcSerial: string | null;
  app: string | null;
  firmware: string | null;
  batteryCycles: number | null;
  /** Design capacity of the battery, mAh (DJI smart-battery records only). */
  batteryDesignCapacityMah: number | null;
  place: string | null;
  logVersion: number;
  /** Header start time (Unix ms), the fallback when frames carry no clock. */
  headerStartMs: number | null;
}

/**
 * What a decoder hands to the format-independent normalisation: every telemetry column filled in frame
 * order, except `timeMs` and `distanceFromHomeM` (computed later) and with lat/lon still unfiltered.
 */
export interface ExtractedFlight {
  telemetry: Telemetry;
  /** Wall clock per row, Unix ms; NaN when the row has no plausible clock. */
  clockMs: Float64Array;
  /** Time since motor start per row, ms; NaN when unknown. Only its differences are meaningful. */
  flyTimeMs: Float64Array;
  messages: MessageCollector;
  homeCandidates: HomeCandidate[];
}
