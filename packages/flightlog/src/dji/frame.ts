/**
 * The subset of dji-log-parser's `Frame` that Dronelog reads, typed as it really arrives at runtime
 * (its .d.ts is wrong in places: unknown enum values are plain numbers, optional fields are omitted).
 * Units per the parser: degrees, metres, m/s, seconds, volts, °C.
 */
export interface DjiFrame {
  custom: { dateTime: string };
  osd: {
    flyTime: number;
    latitude: number;
    longitude: number;
    height: number;
    vpsHeight: number;
    altitude: number;
    /** North, m/s (DJI N/E/Down body-independent axes). */
    xSpeed: number;
    /** East, m/s. */
    ySpeed: number;
    /** Down, m/s. */
    zSpeed: number;
    pitch: number;
    roll: number;
    yaw: number;
    /** Flight mode: enum name, or a number for modes the parser does not know. */
    flycState?: unknown;
    gpsNum: number;
    gpsLevel: number;
  };
  gimbal: { pitch: number; roll: number; yaw: number };
  camera: { isPhoto: boolean; isVideo: boolean };
  rc: { aileron: number; elevator: number; throttle: number; rudder: number; uplinkSignal?: number; downlinkSignal?: number };
  battery: {
    chargeLevel: number;
    voltage: number;
    current: number;
    currentCapacity: number;
    fullCapacity: number;
    isCellVoltageEstimated: boolean;
    cellVoltages: number[];
    temperature: number;
  };
  home: { latitude: number; longitude: number; altitude: number; isHomeRecord: boolean };
  recover: { appPlatform?: unknown; appVersion: string; aircraftName: string; aircraftSn: string; cameraSn: string; rcSn: string; batterySn: string };
  app: { tip: string; warn: string };
}

/** The log details (header) as the parser returns them. */
export interface DjiDetails {
  subStreet: string;
  street: string;
  city: string;
  area: string;
  startTime: string;
  longitude: number;
  latitude: number;
  totalDistance: number;
  totalTime: number;
  maxHeight: number;
  maxHorizontalSpeed: number;
  maxVerticalSpeed: number;
  captureNum: number;
  videoTime: number;
  takeOffAltitude: number;
  productType: unknown;
  aircraftName: string;
  aircraftSn: string;
  cameraSn: string;
  rcSn: string;
  batterySn: string;
  appPlatform: unknown;
  appVersion: string;
}

/** Enum-like parser values (string names, raw numbers, `{ Unknown: n }`) as one string. */
export function enumToString(raw: unknown): string | null {
  if (typeof raw === 'string') return raw === '' ? null : raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (raw !== null && typeof raw === 'object') {
    const [key, value] = Object.entries(raw)[0] ?? [];
    if (key !== undefined) return `${key}(${String(value)})`;
  }
  return null;
}
