/**
 * A realistic synthetic flight: motors start, auto take-off, climb, fly out, one loop
 * (photos and one video), return-to-home, auto landing, motors stop. Battery from 98 % down,
 * a tip after take-off and a wind warning during the loop.
 */
import { Rng } from '../random.js';
import { FlightMode } from '../dji/constants.js';
import { aircraftProfile, type AircraftModel } from './aircraft.js';
import { buildFlight, type FlightEvent, type FlightInput, type PathPoint } from './build.js';
import type { FlightSpec } from './types.js';

export interface DemoLocation {
  name: string;
  latitude: number;
  longitude: number;
  /** Ground altitude above sea level, m. */
  altitudeM: number;
  place: FlightSpec['place'];
}

export const DEMO_LOCATIONS: readonly DemoLocation[] = [
  { name: 'Ouchy, Lausanne', latitude: 46.50531, longitude: 6.62744, altitudeM: 373, place: { subStreet: '', street: "Quai d'Ouchy", city: 'Lausanne', area: 'Vaud' } },
  { name: 'Crissy Field, San Francisco', latitude: 37.80392, longitude: -122.46481, altitudeM: 3, place: { subStreet: '', street: 'Marine Dr', city: 'San Francisco', area: 'California' } },
  { name: 'Praia da Ursa, Sintra', latitude: 38.78936, longitude: -9.49613, altitudeM: 62, place: { subStreet: '', street: 'Cabo da Roca', city: 'Sintra', area: 'Lisboa' } },
  { name: 'Chautauqua Park, Boulder', latitude: 39.99902, longitude: -105.28166, altitudeM: 1752, place: { subStreet: '', street: 'Baseline Rd', city: 'Boulder', area: 'Colorado' } },
  { name: 'Dune du Pilat', latitude: 44.58932, longitude: -1.21402, altitudeM: 28, place: { subStreet: '', street: 'Route de Biscarrosse', city: 'La Teste-de-Buch', area: 'Gironde' } },
];

export interface DemoFlightOptions {
  seed: string | number;
  /** Log length, s (default 300, minimum 20). */
  durationS?: number;
  aircraft?: AircraftModel;
  /** UTC start (default 2024-06-01T09:30:00Z). */
  startTime?: Date | string | number;
  /** Take-off point (default: a seeded pick from DEMO_LOCATIONS, jittered by a few hundred metres). */
  home?: { latitude: number; longitude: number; altitudeM: number };
  place?: Partial<FlightSpec['place']>;
  aircraftName?: string;
  aircraftSerial?: string;
  batterySerial?: string;
  cameraSerial?: string;
  rcSerial?: string;
  batteryCycles?: number;
  /** Design capacity reported in SmartBatteryStatic records (none when absent). */
  batteryDesignCapacityMah?: number;
  startBatteryPercent?: number;
  /** Cruise height above take-off, m (default: seeded 35–60, lower for short flights). */
  cruiseHeightM?: number;
  tickHz?: number;
  app?: FlightInput['app'];
}

const smooth = (u: number): number => {
  const x = Math.min(1, Math.max(0, u));
  return x * x * (3 - 2 * x);
};

export function demoFlight(options: DemoFlightOptions): FlightSpec {
  const rng = new Rng(`${options.seed}|demo`);
  const profile = aircraftProfile(options.aircraft ?? 'Mini 4 Pro');
  const D = Math.max(20, options.durationS ?? 300);
  const loc = rng.pick(DEMO_LOCATIONS);
  const home = options.home ?? {
    latitude: loc.latitude + rng.range(-0.002, 0.002),
    longitude: loc.longitude + rng.range(-0.002, 0.002),
    altitudeM: loc.altitudeM,
  };

  // Timeline (s): idle on ground, auto take-off + climb, outbound, loop, return home, landing, idle.
  const idle = Math.min(4, D * 0.08);
  const H = Math.max(6, Math.min(options.cruiseHeightM ?? rng.range(35, 60), D * 0.6));
  const climb = H / 3;
  const descent = H / 2.5;
  const rest = Math.max(3, D - 2 * idle - climb - descent);
  const tOut = rest * 0.25;
  const tLoop = rest * 0.5;
  const tBack = rest - tOut - tLoop;
  const speed = profile.cruiseSpeedMps * rng.range(0.6, 0.9);
  const outDist = Math.min(350, speed * tOut * 0.6);
  const radius = Math.max(10, Math.min(120, (speed * tLoop * 0.6) / (2 * Math.PI)));
  const bearing = rng.range(0, 2 * Math.PI);
  const ux = Math.cos(bearing); // north component
  const uy = Math.sin(bearing); // east component
  const t1 = idle; // take-off
  const t2 = t1 + climb; // top of climb
  const t3 = t2 + tOut; // loop entry
  const t4 = t3 + tLoop; // loop exit
  const t5 = t4 + tBack; // above home
  const t6 = t5 + descent; // touchdown

  const path = (t: number): PathPoint => {
    if (t < t1) return { northM: 0, eastM: 0, heightM: 0 };
    if (t < t2) {
      const u = (t - t1) / climb;
      return { northM: 0, eastM: 0, heightM: H * smooth(u), flightMode: u < 0.25 ? FlightMode.AutoTakeoff : FlightMode.GPSAtti, gimbalPitchDeg: -10 };
    }
    if (t < t3) {
      const d = outDist * smooth((t - t2) / tOut);
      return { northM: ux * d, eastM: uy * d, heightM: H, gimbalPitchDeg: -20 };
    }
    if (t < t4) {
      // circle through the loop entry point, centre further out along the bearing
      const a = 2 * Math.PI * smooth((t - t3) / tLoop);
      const cn = ux * (outDist + radius);
      const ce = uy * (outDist + radius);
      const start = bearing + Math.PI;
      return {
        northM: cn + radius * Math.cos(start + a),
        eastM: ce + radius * Math.sin(start + a),
        heightM: H + 5 * Math.sin(a),
        gimbalPitchDeg: -35,
      };
    }
    if (t < t5) {
      const d = outDist * (1 - smooth((t - t4) / tBack));
      return { northM: ux * d, eastM: uy * d, heightM: H, flightMode: FlightMode.GoHome, gimbalPitchDeg: -20 };
    }
    if (t < t6) {
      return { northM: 0, eastM: 0, heightM: H * (1 - smooth((t - t5) / descent)), flightMode: FlightMode.AutoLanding, gimbalPitchDeg: 0 };
    }
    return { northM: 0, eastM: 0, heightM: 0 };
  };

  const events: FlightEvent[] = [
    { tS: t2 + 0.5, type: 'tip', text: `Home Point recorded. RTH altitude: 60 m.` },
    { tS: t3 - 1, type: 'photo' },
    { tS: t3 + tLoop * 0.1, type: 'video', durationS: tLoop * 0.6 },
    { tS: t3 + tLoop * 0.8, type: 'photo' },
    { tS: t3 + tLoop * 0.9, type: 'photo' },
    { tS: t3 + tLoop * 0.5, type: 'warning', text: 'Strong wind. Fly with caution.' },
    { tS: t5 - 0.5, type: 'photo' },
  ];

  return buildFlight({
    seed: options.seed,
    aircraft: profile,
    startTime: options.startTime ?? '2024-06-01T09:30:00Z',
    home,
    place: { ...(options.home ? {} : loc.place), ...options.place },
    path,
    durationS: D,
    events,
    startBatteryPercent: options.startBatteryPercent ?? 98,
    ...(options.aircraftName !== undefined ? { aircraftName: options.aircraftName } : {}),
    ...(options.aircraftSerial !== undefined ? { aircraftSerial: options.aircraftSerial } : {}),
    ...(options.batterySerial !== undefined ? { batterySerial: options.batterySerial } : {}),
    ...(options.cameraSerial !== undefined ? { cameraSerial: options.cameraSerial } : {}),
    ...(options.rcSerial !== undefined ? { rcSerial: options.rcSerial } : {}),
    ...(options.batteryCycles !== undefined ? { batteryCycles: options.batteryCycles } : {}),
    ...(options.batteryDesignCapacityMah !== undefined ? { batteryDesignCapacityMah: options.batteryDesignCapacityMah } : {}),
    ...(options.tickHz !== undefined ? { tickHz: options.tickHz } : {}),
    ...(options.app !== undefined ? { app: options.app } : {}),
  });
}
