/**
 * Turns a path (timed waypoints or a position generator) into a full FlightSpec: velocities,
 * attitude, flight modes, battery curve, gimbal, RC sticks, link quality, camera events and
 * app messages. Deterministic for a given input (noise comes from the seeded Rng).
 */
import { Rng } from '../random.js';
import { FlightMode } from '../dji/constants.js';
import { aircraftProfile, type AircraftModel, type AircraftProfile } from './aircraft.js';
import type { FlightSample, FlightSpec } from './types.js';

/** A point of the path. Give either latitude/longitude or northM/eastM (metres from home). */
export interface PathPoint {
  latitude?: number;
  longitude?: number;
  northM?: number;
  eastM?: number;
  /** Height above the take-off point, m. */
  heightM: number;
  /** Force a flight mode (see `FlightMode`); otherwise derived (EngineStart on the ground, GPSAtti in the air). */
  flightMode?: number;
  gimbalPitchDeg?: number;
}

/**
 * A timed waypoint. Waypoints are interpolated linearly; a waypoint's `flightMode` holds from it
 * until the next waypoint (the leg that starts there), `gimbalPitchDeg` is interpolated.
 */
export interface Waypoint extends PathPoint {
  /** Seconds since the start of the log. */
  tS: number;
}

export type FlightEvent =
  | { tS: number; type: 'photo' }
  | { tS: number; type: 'video'; durationS: number }
  | { tS: number; type: 'tip' | 'warning' | 'serious-warning'; text: string };

export interface FlightInput {
  seed: string | number;
  aircraft: AircraftModel | AircraftProfile;
  aircraftName?: string;
  aircraftSerial?: string;
  batterySerial?: string;
  cameraSerial?: string;
  rcSerial?: string;
  batteryCycles?: number;
  /** Design capacity the smart battery reports (SmartBatteryStatic records); absent: no such records. */
  batteryDesignCapacityMah?: number;
  /** App that recorded the log; default: the aircraft profile's. `version` may be "1.13.10". */
  app?: { platform: number; version: [number, number, number] | string };
  /** UTC start: Date, ISO string or Unix ms. */
  startTime: Date | string | number;
  /** Samples per second, default 10. */
  tickHz?: number;
  home: { latitude: number; longitude: number; altitudeM?: number };
  place?: Partial<FlightSpec['place']>;
  /** Timed waypoints (sorted by tS, linear interpolation) or a generator of the position at t seconds. */
  path: Waypoint[] | ((tS: number) => PathPoint);
  /** Length of the log, s. Default: last waypoint's tS (required with a generator). */
  durationS?: number;
  /** Battery at the first sample, % (default 98). */
  startBatteryPercent?: number;
  ambientTemperatureC?: number;
  /** Added to every OSD flyTime (real logs may start mid-flight). Default 0. */
  flyTimeOffsetS?: number;
  goHomeHeightM?: number;
  maxAllowedHeightM?: number;
  events?: FlightEvent[];
}

const EARTH_RADIUS_M = 6_371_008.8;
const R2D = 180 / Math.PI;

export function toLatLon(home: { latitude: number; longitude: number }, northM: number, eastM: number): { latitude: number; longitude: number } {
  return {
    latitude: home.latitude + (northM / EARTH_RADIUS_M) * R2D,
    longitude: home.longitude + (eastM / (EARTH_RADIUS_M * Math.cos(home.latitude / R2D))) * R2D,
  };
}

function toNE(home: { latitude: number; longitude: number }, lat: number, lon: number): { n: number; e: number } {
  return {
    n: ((lat - home.latitude) / R2D) * EARTH_RADIUS_M,
    e: ((lon - home.longitude) / R2D) * EARTH_RADIUS_M * Math.cos(home.latitude / R2D),
  };
}

export function parseTime(t: Date | string | number): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new RangeError(`invalid start time ${String(t)}`);
  const year = new Date(ms).getUTCFullYear();
  if (year < 2011 || year > 2099) throw new RangeError(`start time must be in 2011–2099 (the parser drops other Custom timestamps), got ${year}`);
  return ms;
}

function parseVersion(v: [number, number, number] | string): [number, number, number] {
  if (typeof v !== 'string') return v;
  const p = v.split('.').map((x) => Number.parseInt(x, 10));
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const wrap180 = (deg: number): number => {
  let d = ((deg + 180) % 360 + 360) % 360 - 180;
  if (d === -180) d = 180;
  return d;
};
const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Builds a FlightSpec from a path; see FlightInput. */
export function buildFlight(input: FlightInput): FlightSpec {
  const profile = aircraftProfile(input.aircraft);
  const rng = new Rng(`${input.seed}|flight`);
  const tickHz = input.tickHz ?? 10;
  const dt = 1 / tickHz;
  const home = { latitude: input.home.latitude, longitude: input.home.longitude, altitudeM: input.home.altitudeM ?? 0 };
  const startTimeMs = parseTime(input.startTime);

  const path = input.path;
  let durationS = input.durationS;
  if (durationS === undefined) {
    if (typeof path === 'function') throw new RangeError('durationS is required with a path generator');
    durationS = path.length > 0 ? path[path.length - 1]!.tS : 0;
  }
  const n = Math.max(1, Math.round(durationS * tickHz));

  // 1. positions (metres from home) and forced modes
  const wps = typeof path === 'function' ? [] : path.map((w) => normaliseWaypoint(home, w));
  const at = (tS: number): PathPoint => (typeof path === 'function' ? path(tS) : interpolate(wps, tS));
  const pos: Array<{ n: number; e: number; h: number; mode?: number; gimbalPitch?: number }> = [];
  for (let i = -1; i <= n; i++) {
    const p = at(Math.max(0, i) * dt);
    let ne: { n: number; e: number };
    if (p.latitude !== undefined && p.longitude !== undefined) ne = toNE(home, p.latitude, p.longitude);
    else ne = { n: p.northM ?? 0, e: p.eastM ?? 0 };
    pos.push({ n: ne.n, e: ne.e, h: p.heightM, ...(p.flightMode !== undefined ? { mode: p.flightMode } : {}), ...(p.gimbalPitchDeg !== undefined ? { gimbalPitch: p.gimbalPitchDeg } : {}) });
  }
  const P = (i: number) => pos[i + 1]!; // i in -1..n

  // 2. airborne window → motors on/off
  let takeoff = -1;
  let landing = -1;
  for (let i = 0; i < n; i++) {
    if (P(i).h > 0.2) {
      if (takeoff < 0) takeoff = i;
      landing = i;
    }
  }
  const motorStart = takeoff < 0 ? n : Math.max(0, takeoff - 3 * tickHz);
  const motorStop = landing < 0 ? -1 : Math.min(n - 1, landing + tickHz);

  // 3. events by tick
  const photoTicks = new Set<number>();
  const recording = new Uint8Array(n);
  const msgs = new Map<number, { tips: string[]; warnings: string[]; serious: string[] }>();
  const tickOf = (tS: number) => clamp(Math.round(tS * tickHz), 0, n - 1);
  for (const ev of input.events ?? []) {
    if (ev.type === 'photo') photoTicks.add(tickOf(ev.tS));
    else if (ev.type === 'video') {
      for (let i = tickOf(ev.tS); i < Math.min(n, tickOf(ev.tS) + Math.round(ev.durationS * tickHz)); i++) recording[i] = 1;
    } else {
      const k = tickOf(ev.tS);
      const m = msgs.get(k) ?? { tips: [], warnings: [], serious: [] };
      (ev.type === 'tip' ? m.tips : ev.type === 'warning' ? m.warnings : m.serious).push(ev.text);
      msgs.set(k, m);
    }
  }

  // 4. samples
  const fullMah = profile.batteryCapacityMah;
  let remainingMah = (fullMah * clamp(input.startBatteryPercent ?? 98, 1, 100)) / 100;
  const hoverA = fullMah / 1000 / (profile.enduranceMin / 60);
  const ambient = input.ambientTemperatureC ?? 18 + rng.range(-3, 6);
  let temperature = ambient + 4;
  const cellOffsets = Array.from({ length: profile.cellCount }, (_, k) => (k - (profile.cellCount - 1) / 2) * 0.004 + rng.gauss(0.002));
  let yaw = rng.range(-180, 180);
  let prevYaw = yaw;
  let gps = rng.int(14, 18);
  const samples: FlightSample[] = [];
  for (let i = 0; i < n; i++) {
    const p = P(i);
    const prev = P(i - 1);
    const next = P(i + 1);
    const span = (i === 0 ? 1 : 2) * dt;
    const vn = (next.n - (i === 0 ? p.n : prev.n)) / span;
    const ve = (next.e - (i === 0 ? p.e : prev.e)) / span;
    const vUp = (next.h - (i === 0 ? p.h : prev.h)) / span;
    const speed = Math.hypot(vn, ve);
    if (speed > 0.5) yaw = Math.atan2(ve, vn) * R2D;
    const yawRate = wrap180(yaw - prevYaw) / dt;
    prevYaw = yaw;
    const motorsOn = i >= motorStart && i <= motorStop;
    const onGround = p.h <= 0.2;
    const mode = p.mode ?? (motorsOn && onGround && i < (takeoff < 0 ? n : takeoff) ? FlightMode.EngineStart : FlightMode.GPSAtti);
    const auto = mode === FlightMode.GoHome || mode === FlightMode.AutoLanding || mode === FlightMode.AutoTakeoff;

    const pitch = onGround ? rng.gauss(0.3) : -clamp(speed * 1.8, 0, 28) + rng.gauss(0.4);
    const roll = onGround ? rng.gauss(0.3) : clamp(Math.atan((speed * yawRate) / R2D / 9.81) * R2D, -30, 30) + rng.gauss(0.4);

    // battery
    const load = motorsOn ? hoverA * (1 + 0.12 * Math.abs(vUp) + 0.03 * speed) * (1 + rng.gauss(0.02)) : 0.35;
    remainingMah = Math.max(0, remainingMah - (load * 1000 * dt) / 3600);
    const frac = remainingMah / fullMah;
    if (motorsOn) temperature += (ambient + 22 - temperature) * (dt / 400);
    else temperature += (ambient - temperature) * (dt / 900);
    const cellRest = 3.3 + 0.9 * Math.pow(frac, 0.75);
    const cells = cellOffsets.map((o) => round(cellRest - load * 0.012 + o, 3));
    const voltage = round(cells.reduce((a, b) => a + b, 0), 3);

    if (rng.next() < 0.01) gps = clamp(gps + rng.int(-1, 1), 11, 22);
    const dist = Math.hypot(p.n, p.e);
    const ll = toLatLon(home, p.n, p.e);
    const m = msgs.get(i);
    const stick = (v: number) => Math.round(1024 + 660 * clamp(v, -1, 1));
    samples.push({
      flyTimeS: round(i * dt + (input.flyTimeOffsetS ?? 0), 3),
      latitude: ll.latitude,
      longitude: ll.longitude,
      heightM: round(p.h, 3),
      vpsHeightM: p.h < 12 ? round(Math.max(0, p.h), 1) : 0,
      velocityNorthMps: round(vn, 3),
      velocityEastMps: round(ve, 3),
      velocityDownMps: round(-vUp, 3),
      pitchDeg: round(pitch, 2),
      rollDeg: round(roll, 2),
      yawDeg: round(yaw, 2),
      flightMode: mode,
      gpsNum: gps,
      gpsLevel: gps >= 12 ? 5 : 4,
      motorsOn,
      onGround,
      battery: {
        percent: Math.round(frac * 100),
        voltageV: voltage,
        currentA: round(load, 3),
        temperatureC: round(temperature, 1),
        cellVoltagesV: cells,
        remainingMah: Math.round(remainingMah),
      },
      gimbal: { pitchDeg: round(p.gimbalPitch ?? (onGround ? 0 : -25), 1), rollDeg: 0, yawDeg: round(yaw, 1), mode: 2 },
      rc: auto || !motorsOn
        ? { aileron: 1024, elevator: 1024, throttle: 1024, rudder: 1024, gimbal: 1024 }
        : {
            aileron: stick(roll / 30),
            elevator: stick(speed / profile.cruiseSpeedMps / 1.5),
            throttle: stick(vUp / 5),
            rudder: stick(yawRate / 90),
            gimbal: 1024,
          },
      signal: {
        uplinkPercent: Math.round(clamp(100 - dist / 40 + rng.gauss(1), 20, 100)),
        downlinkPercent: Math.round(clamp(100 - dist / 35 + rng.gauss(1), 20, 100)),
      },
      photo: photoTicks.has(i),
      recording: recording[i] === 1,
      distanceFromHomeM: round(dist, 2),
      tips: m?.tips ?? [],
      warnings: m?.warnings ?? [],
      seriousWarnings: m?.serious ?? [],
    });
  }

  const app = input.app ? { platform: input.app.platform, version: parseVersion(input.app.version) } : { platform: profile.app.platform, version: [...profile.app.version] as [number, number, number] };
  return {
    seed: input.seed,
    aircraft: {
      name: input.aircraftName ?? profile.defaultName,
      profile,
      serial: input.aircraftSerial ?? rng.serial(profile.serialPrefix, 14),
    },
    battery: {
      serial: input.batterySerial ?? rng.serial(profile.batterySerialPrefix, 14),
      fullCapacityMah: fullMah,
      cellCount: profile.cellCount,
      cycleCount: input.batteryCycles ?? rng.int(3, 80),
      ...(input.batteryDesignCapacityMah !== undefined ? { designCapacityMah: input.batteryDesignCapacityMah } : {}),
    },
    cameraSerial: input.cameraSerial ?? rng.serial('CAM', 14),
    rcSerial: input.rcSerial ?? rng.serial('RC', 14),
    app,
    startTimeMs,
    tickHz,
    home,
    goHomeHeightM: input.goHomeHeightM ?? 60,
    maxAllowedHeightM: input.maxAllowedHeightM ?? 120,
    place: { subStreet: '', street: '', city: '', area: '', ...input.place },
    samples,
  };
}

function normaliseWaypoint(home: { latitude: number; longitude: number }, w: Waypoint): Waypoint {
  if (w.latitude === undefined || w.longitude === undefined) return { ...w, northM: w.northM ?? 0, eastM: w.eastM ?? 0 };
  const ne = toNE(home, w.latitude, w.longitude);
  const { latitude: _lat, longitude: _lon, ...rest } = w;
  return { ...rest, northM: ne.n, eastM: ne.e };
}

/** Linear interpolation between waypoints already expressed in metres from home. */
function interpolate(wps: Waypoint[], tS: number): PathPoint {
  if (wps.length === 0) return { northM: 0, eastM: 0, heightM: 0 };
  if (tS <= wps[0]!.tS) return wps[0]!;
  for (let k = 1; k < wps.length; k++) {
    const a = wps[k - 1]!;
    const b = wps[k]!;
    if (tS <= b.tS) {
      const u = b.tS === a.tS ? 1 : (tS - a.tS) / (b.tS - a.tS);
      const lerp = (x: number, y: number): number => x + (y - x) * u;
      const out: PathPoint = {
        northM: lerp(a.northM ?? 0, b.northM ?? 0),
        eastM: lerp(a.eastM ?? 0, b.eastM ?? 0),
        heightM: lerp(a.heightM, b.heightM),
      };
      const mode = u < 1 ? a.flightMode : b.flightMode;
      if (mode !== undefined) out.flightMode = mode;
      if (a.gimbalPitchDeg !== undefined && b.gimbalPitchDeg !== undefined) out.gimbalPitchDeg = lerp(a.gimbalPitchDeg, b.gimbalPitchDeg);
      return out;
    }
  }
  return wps[wps.length - 1]!;
}
