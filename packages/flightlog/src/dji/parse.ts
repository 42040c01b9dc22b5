import { FlightLogError } from '../errors.js';
import type { FlightIdentity } from '../normalise/extracted.js';
import { normaliseFlight } from '../normalise/flight.js';
import { parseFrameClock } from '../normalise/time.js';
import { WarningCounter } from '../normalise/warnings.js';
import type { KeychainRequest, Keychains, LogHeader, ParsedFlight, ParseOptions } from '../types.js';
import { hasBatteryRecord, readBatteryInfo, type DjiBatteryInfo } from './battery-records.js';
import { extractDjiFrames, type DjiExtraction } from './extract.js';
import { keychainRejected, keychainRequired, noFlightData, notAFlightLog, unreadable } from './failures.js';
import type { DjiDetails } from './frame.js';
import { appFamily, appLabel, buildHeader, FIRST_ENCRYPTED_VERSION, isKnownPlatform } from './header.js';
import { validateKeychains } from './keychains.js';
import { DjiLogHandle } from './parser.js';
import { recordPrefix } from './record-prefix.js';
import { sniffDjiPrefix, withoutIncompleteTail } from './sniff.js';
import { cleanSerial, cleanText, preferSerial } from './strings.js';

interface OpenedLog {
  handle: DjiLogHandle;
  details: DjiDetails;
  header: LogHeader;
  /** The keychain request (v13+ only). */
  request: KeychainRequest | null;
  /** Byte offset where an incomplete last record was cut off, or null. */
  cutAt: number | null;
  /** The bytes the parser was given (without an incomplete tail). */
  usable: Uint8Array;
}

/** Checks the prefix, constructs the parser and reads the details (and, for v13+, the keychain request). */
async function openLog(input: Uint8Array): Promise<OpenedLog> {
  // Tolerate an ArrayBuffer from JS callers (e.g. straight from a worker message or an HTTP body).
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input as ArrayBufferLike);
  const version = sniffDjiPrefix(bytes);
  const { bytes: usable, cutAt } = withoutIncompleteTail(bytes, version);
  const handle = await DjiLogHandle.open(usable, version);
  try {
    const details = handle.details();
    // Random bytes that got past the prefix checks decode to a nonsense start time and app platform.
    if (Number.isNaN(parseFrameClock(details.startTime)) && !isKnownPlatform(details.appPlatform)) throw notAFlightLog();
    const request = version >= FIRST_ENCRYPTED_VERSION ? copyRequest(handle.keychainsRequest()) : null;
    const header = buildHeader(details, version, request?.department ?? null);
    return { handle, details, header, request, cutAt, usable };
  } catch (error) {
    handle.free();
    throw error instanceof FlightLogError ? error : unreadable(error);
  }
}

/** A plain copy, so the KeyProvider gets an ordinary JSON-shaped object. */
function copyRequest(r: KeychainRequest): KeychainRequest {
  return {
    version: r.version,
    department: r.department,
    keychainsArray: (r.keychainsArray ?? []).map((group) =>
      group.map(({ featurePoint, aesCiphertext }) => ({ featurePoint, aesCiphertext })),
    ),
  };
}

/** Reads only the header (no keys needed). Throws FlightLogError when the bytes are not a readable DJI log. */
export async function readLogHeader(bytes: Uint8Array): Promise<LogHeader> {
  const { handle, header } = await openLog(bytes);
  handle.free();
  return header;
}

/**
 * Bytes in, normalised flight out. Throws FlightLogError; errors thrown by `options.onHeader` or by the
 * key provider propagate unchanged.
 *
 * Order: header → `onHeader(header)` (awaited) → for v13+ `keyProvider.getKeychains(request, header)`
 * → decode → (before v13 `onHeader` is called first but awaited after the decode, which then overlaps it; what it
 * throws is thrown, whatever the decode did) → checks (no frames → 'no-flight-data'; a garbage decode of an encrypted log →
 * 'keychain-rejected') → normalisation.
 */
export async function parseFlightLog(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedFlight> {
  const { handle, details, header, request, cutAt, usable } = await openLog(bytes);
  const warnings = new WarningCounter();
  if (cutAt !== null) warnings.add('truncated');
  let extraction: DjiExtraction;
  let battery: DjiBatteryInfo = NO_BATTERY_INFO;
  try {
    let keychains: Keychains | undefined;
    if (header.encrypted) {
      await options.onHeader?.(header);
      const app = appFamily({ version: header.version, appPlatform: details.appPlatform, department: request?.department ?? null });
      if (options.keyProvider === undefined) throw keychainRequired(header.version, app);
      const supplied = await options.keyProvider.getKeychains(request!, header);
      keychains = validateKeychains(supplied, request!);
      extraction = guarded(() => extractDjiFrames(handle.frames(keychains), warnings));
    } else {
      // No keys to wait for: the verdict on the header (in the API a duplicate check and a ledger write on the main
      // thread, while this runs in a worker) is worked out during the decode instead of before it. A refusal still
      // wins: it is awaited before anything is returned, and only costs the decode.
      // Called now (an async function runs up to its first await at once), so its request is out before the decode.
      const verdict = (async () => options.onHeader?.(header))();
      verdict.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      try {
        extraction = guarded(() => extractDjiFrames(handle.frames(keychains), warnings));
      } finally {
        await verdict;
      }
    }
    // Not worth a second decode when the frames are no flight anyway (the checks below throw).
    if (extraction.telemetry.length > 0 && !(header.encrypted && extraction.quality.isGarbage())) {
      battery = await batteryInfo(handle, usable, keychains, warnings);
    }
  } finally {
    handle.free();
  }

  return guarded(() => {
    if (extraction.telemetry.length === 0) throw noFlightData();
    if (header.encrypted && extraction.quality.isGarbage()) throw keychainRejected('garbage');
    // Unencrypted logs cannot have wrong keys; mostly impossible values mean a damaged file.
    if (!header.encrypted && extraction.quality.isMostlyImplausible()) throw unreadable();
    return normaliseFlight(extraction, identityOf(details, header, extraction, battery), header, warnings);
  });
}

/** Runs decoding/normalisation; anything but a FlightLogError becomes 'unreadable' (never another error type). */
function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw error instanceof FlightLogError ? error : unreadable(error);
  }
}

const NO_BATTERY_INFO: DjiBatteryInfo = { cycles: null, designCapacityMah: null, serial: null };

/**
 * Share of the record bytes decoded first for the battery records; the whole log only when it holds none of them.
 * A sixteenth, not a quarter: on the synthetic 33-min v12 log the quarter's records() cost ≈ 40 % of its frames()
 * (the records are many and small there); on every offline fixture the sixteenth gives the same values as the whole
 * log wherever it holds a battery record (45 of 53; a quarter: 47, a sixty-fourth: 42).
 */
export const BATTERY_PREFIX_FRACTION = 1 / 16;

/**
 * Cycle count, design capacity and a fallback battery serial from the raw records, which frames() does not expose.
 * frames() does not expose the records it was built from, so this is a second decode; to keep it small it decodes the
 * records of the first sixteenth of the log (`recordPrefix`, read by the parser like a truncated file) and the whole
 * log only when that sixteenth holds no battery record. The battery records repeat through the flight (CenterBattery
 * with every battery update, SmartBatteryStatic every few seconds for each pack) and a pack's cycle count and design
 * capacity do not change during a flight; ComponentSerial comes first in the log. Worst case (a log without battery
 * records in its first sixteenth) 1.0625 decodes of the records instead of 1. A failure here only loses these values,
 * not the flight.
 */
async function batteryInfo(
  handle: DjiLogHandle,
  usable: Uint8Array,
  keychains: Keychains | undefined,
  warnings: WarningCounter,
): Promise<DjiBatteryInfo> {
  try {
    const prefix = recordPrefix(usable, handle.version, BATTERY_PREFIX_FRACTION);
    if (prefix !== null) {
      const fromPrefix = await prefixBatteryInfo(prefix, handle.version, keychains);
      if (fromPrefix !== null) return fromPrefix;
    }
    return readBatteryInfo(handle.records(keychains));
  } catch (error) {
    if (!(error instanceof FlightLogError)) throw error;
    warnings.add('battery-info-unreadable');
    return NO_BATTERY_INFO;
  }
}

/** Battery info of the prefix's records, or null when they hold no battery record (or the prefix is unreadable). */
async function prefixBatteryInfo(prefix: Uint8Array, version: number, keychains: Keychains | undefined): Promise<DjiBatteryInfo | null> {
  let partial: DjiLogHandle;
  try {
    partial = await DjiLogHandle.open(prefix, version);
  } catch (error) {
    if (error instanceof FlightLogError) return null;
    throw error;
  }
  try {
    const records = partial.records(keychains);
    return hasBatteryRecord(records) ? readBatteryInfo(records) : null;
  } catch (error) {
    if (error instanceof FlightLogError) return null;
    throw error;
  } finally {
    partial.free();
  }
}

/** Header identity, completed from the frames' Recover record where the header is empty or truncated. */
function identityOf(details: DjiDetails, header: LogHeader, extraction: DjiExtraction, battery: DjiBatteryInfo): FlightIdentity {
  const r = extraction.recover;
  const headerStartMs = header.startTime === null ? null : Date.parse(header.startTime);
  return {
    aircraftName: header.aircraftName ?? cleanText(r.aircraftName),
    aircraftModel: header.aircraftModel,
    productType: header.productType,
    aircraftSerial: preferSerial(details.aircraftSn, r.aircraftSn),
    batterySerial: preferSerial(details.batterySn, r.batterySn) ?? cleanSerial(battery.serial),
    cameraSerial: preferSerial(details.cameraSn, r.cameraSn),
    rcSerial: preferSerial(details.rcSn, r.rcSn),
    app: header.app ?? appLabel(r.appPlatform, r.appVersion),
    // The Firmware records name component versions without saying which is the aircraft's: not used.
    firmware: null,
    batteryCycles: battery.cycles,
    batteryDesignCapacityMah: battery.designCapacityMah,
    place: header.place,
    logVersion: header.version,
    headerStartMs,
  };
}
