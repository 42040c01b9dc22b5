import type { AircraftProfile } from './aircraft.js';

/**
 * A fully described flight: metadata plus one sample per tick. This is what the log writer
 * consumes; build one with `buildFlight()` (from waypoints or a position generator) or
 * `demoFlight()` (a realistic take-off / loop / return / landing), or write the samples yourself.
 * Units: degrees, metres, m/s, seconds, volts, amps, °C, mAh, percent.
 */
export interface FlightSpec {
  /** Seeds everything random in the written file (XOR seeds, AES keys): same spec → same bytes. */
  seed: string | number;
  aircraft: {
    /** Name the pilot gave the aircraft (details.aircraftName). */
    name: string;
    profile: AircraftProfile;
    serial: string;
  };
  battery: {
    serial: string;
    fullCapacityMah: number;
    cellCount: number;
    cycleCount: number;
    /** When set, the log also carries SmartBatteryStatic records (design capacity and cycle count), once a second. */
    designCapacityMah?: number;
  };
  cameraSerial: string;
  rcSerial: string;
  app: { platform: number; version: [number, number, number] };
  /** UTC start time of the first tick, Unix ms. */
  startTimeMs: number;
  /** Samples per second (10 for real DJI logs). */
  tickHz: number;
  /** Take-off point; altitudeM is above sea level (Home record altitude, details takeOffAltitude). */
  home: { latitude: number; longitude: number; altitudeM: number };
  goHomeHeightM: number;
  maxAllowedHeightM: number;
  /** details.subStreet / street / city / area (each ≤ 20 UTF-8 bytes). */
  place: { subStreet: string; street: string; city: string; area: string };
  samples: FlightSample[];
}

export interface BatterySample {
  percent: number;
  voltageV: number;
  /** Discharge current, A (positive). */
  currentA: number;
  temperatureC: number;
  /** One entry per cell. */
  cellVoltagesV: number[];
  remainingMah: number;
}

export interface FlightSample {
  /** OSD flyTime, s (real logs may not start at 0). */
  flyTimeS: number;
  latitude: number;
  longitude: number;
  /** Height above the take-off point, m (0.1 m resolution on the wire). */
  heightM: number;
  /** Ultrasonic/VPS height, m (0–25.5). */
  vpsHeightM: number;
  /** Velocity north / east / down, m/s (written as OSD xSpeed / ySpeed / zSpeed, 0.1 m/s). */
  velocityNorthMps: number;
  velocityEastMps: number;
  velocityDownMps: number;
  /** Aircraft attitude, degrees (0.1°); yaw in (-180, 180]. */
  pitchDeg: number;
  rollDeg: number;
  yawDeg: number;
  /** OSD flight mode number (see `FlightMode`). */
  flightMode: number;
  gpsNum: number;
  gpsLevel: number;
  motorsOn: boolean;
  onGround: boolean;
  battery: BatterySample;
  gimbal: { pitchDeg: number; rollDeg: number; yawDeg: number; mode: 0 | 1 | 2 };
  /** Raw stick values, 364–1684, centre 1024. */
  rc: { aileron: number; elevator: number; throttle: number; rudder: number; gimbal: number };
  signal: { uplinkPercent: number; downlinkPercent: number };
  /** True only on the tick a photo is taken. */
  photo: boolean;
  /** True while recording. */
  recording: boolean;
  /** Distance from home, m (Custom record). */
  distanceFromHomeM: number;
  tips: string[];
  warnings: string[];
  seriousWarnings: string[];
}
