import type { LogHeader } from '../types.js';
import { productName, productTypeToString } from '../products.js';
import { isPlausibleCoordinate } from '../normalise/geo.js';
import { parseFrameClock } from '../normalise/time.js';
import { enumToString, type DjiDetails } from './frame.js';
import { cleanSerial, cleanText, placeName } from './strings.js';

/** First format version whose records are AES-encrypted. */
export const FIRST_ENCRYPTED_VERSION = 13;

/**
 * The "department" of the log's Version block (v13+), as reported in the keychain request.
 * 1 SDK, 2 DJI GO, 3 DJI Fly, 4 Agriculture, 5 Terra, 6 Glasses, 7 DJI Pilot, 8 GS Pro. The one DJI GO 4
 * (4.12, iOS) v14 log in the fixtures reports 8, so 2 and 8 both mean "the DJI GO family" here.
 */
const DEPARTMENT_DJI_GO = new Set([2, 8]);
const DEPARTMENT_APP: Readonly<Record<number, string>> = { 2: 'DJI GO', 3: 'DJI Fly', 7: 'DJI Pilot', 8: 'DJI GO' };

const KNOWN_PLATFORMS = new Set(['IOS', 'Android', 'DJIFly', 'Windows', 'Mac', 'Linux']);

export interface AppContext {
  version: number;
  appPlatform: unknown;
  /** Version-block department (v13+ only), null when unknown. */
  department: number | null;
}

/** The app family that wrote the log, for messages ("DJI Fly"), or null when unknown. */
export function appFamily({ version, appPlatform, department }: AppContext): string | null {
  if (appPlatform === 'DJIFly') return 'DJI Fly';
  if (department !== null && DEPARTMENT_APP[department] !== undefined) return DEPARTMENT_APP[department];
  if (version < FIRST_ENCRYPTED_VERSION && (appPlatform === 'IOS' || appPlatform === 'Android')) return 'DJI GO';
  return null;
}

/**
 * Whether details.totalDistance is in kilometres. DJI Fly and DJI Pilot write km; DJI GO / GO 4 write
 * metres, including the v14 logs of DJI GO 4 4.12. Rule: platform "DJIFly" → km; any other log before v13
 * → m; v13+ → km unless the Version block names the DJI GO family.
 * Guard: when a km reading would need more than 1.5× (max horizontal speed + 5 m/s) × (duration + 60 s)
 * the value cannot be km and is read as metres.
 */
export function totalDistanceIsKm(ctx: AppContext, details: Pick<DjiDetails, 'totalDistance' | 'totalTime' | 'maxHorizontalSpeed'>): boolean {
  let km: boolean;
  if (ctx.appPlatform === 'DJIFly') km = true;
  else if (ctx.version < FIRST_ENCRYPTED_VERSION) km = false;
  else km = !(ctx.department !== null && DEPARTMENT_DJI_GO.has(ctx.department));
  if (km) {
    const { totalDistance, totalTime, maxHorizontalSpeed } = details;
    if (totalDistance > 0 && totalTime >= 0 && maxHorizontalSpeed >= 0 && maxHorizontalSpeed < 200) {
      const reachableM = 1.5 * (maxHorizontalSpeed + 5) * (totalTime + 60);
      if (totalDistance * 1000 > reachableM) km = false;
    }
  }
  return km;
}

/** "Android 4.3.4", "DJIFly 1.13.10"; unknown platform numbers as "Platform 5 4.2.16". */
export function appLabel(appPlatform: unknown, appVersion: unknown): string | null {
  const platform = enumToString(appPlatform);
  const platformLabel = platform === null ? null : /^\d+$/.test(platform) ? (platform === '0' ? null : `Platform ${platform}`) : platform;
  const version = typeof appVersion === 'string' && appVersion !== '' && appVersion !== '0.0.0' ? appVersion : null;
  const label = [platformLabel, version].filter((p) => p !== null).join(' ');
  return label === '' ? null : label;
}

/** True when the platform byte decoded to one of the platforms DJI apps write. */
export function isKnownPlatform(appPlatform: unknown): boolean {
  return typeof appPlatform === 'string' && KNOWN_PLATFORMS.has(appPlatform);
}

function finiteOrNull(v: unknown, min: number, max: number): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null;
}

/** details → LogHeader. Pure; `department` comes from the keychain request of v13+ logs. */
export function buildHeader(details: DjiDetails, version: number, department: number | null): LogHeader {
  const ctx: AppContext = { version, appPlatform: details.appPlatform, department };
  const startMs = parseFrameClock(details.startTime);
  const rawDistance = finiteOrNull(details.totalDistance, 0, 1e7);
  const plausible = isPlausibleCoordinate(details.latitude, details.longitude);
  return {
    format: 'dji-txt',
    version,
    encrypted: version >= FIRST_ENCRYPTED_VERSION,
    aircraftName: cleanText(details.aircraftName),
    aircraftModel: productName(details.productType),
    productType: productTypeToString(details.productType),
    aircraftSerial: cleanSerial(details.aircraftSn),
    batterySerial: cleanSerial(details.batterySn),
    cameraSerial: cleanSerial(details.cameraSn),
    rcSerial: cleanSerial(details.rcSn),
    startTime: Number.isNaN(startMs) ? null : new Date(startMs).toISOString(),
    durationS: finiteOrNull(details.totalTime, 0, 1e6),
    distanceM: rawDistance === null ? null : totalDistanceIsKm(ctx, details) ? rawDistance * 1000 : rawDistance,
    maxHeightM: finiteOrNull(details.maxHeight, -2000, 10_000),
    latitude: plausible ? details.latitude : null,
    longitude: plausible ? details.longitude : null,
    app: appLabel(details.appPlatform, details.appVersion),
    place: placeName([details.subStreet, details.street, details.city, details.area]),
  };
}
