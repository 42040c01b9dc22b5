/**
 * A small, byte-stable demo data set: 3 aircraft (incl. a Mini 4 Pro), 4 batteries, 12 flights
 * over 11 days at 5 places. All but one are pre-v13 logs (import without keys); one is v14 and
 * comes with its keychains JSON beside it (`<name>.keychains.json`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Keychains } from '@dronelog/flightlog';
import { writeDjiLog, type DjiLog } from './dji/writer.js';
import { DEMO_LOCATIONS, demoFlight } from './flight/demo.js';
import type { AircraftModel } from './flight/aircraft.js';

interface DemoAircraft {
  model: AircraftModel;
  name: string;
  serial: string;
  cameraSerial: string;
  rcSerial: string;
}

const AIRCRAFT: Record<'mini' | 'mavic' | 'phantom', DemoAircraft> = {
  mini: { model: 'Mini 4 Pro', name: 'Skylark', serial: '1581F6Z9C24AP0D7', cameraSerial: '1581F6Z9C24AC0D7', rcSerial: '5YSZL8J0030A2K' },
  mavic: { model: 'Mavic 2 Pro', name: 'Old Faithful', serial: '0M6DG2400189QX', cameraSerial: '0M6CG2400189QX', rcSerial: '0M7RF23004JK12' },
  phantom: { model: 'Phantom 4 Pro V2', name: 'P4 Survey', serial: '11VKF7500202H9', cameraSerial: '11VCF7500202H9', rcSerial: '11VRF75002027B' },
};

const BATTERIES = {
  mini1: '7BVPLBVDA10AB1',
  mini2: '7BVPLBVDA10AB2',
  mavic: '0P2AFC75340A13',
  phantom: '0DQAF5E03204K8',
} as const;

interface DemoFlightPlan {
  aircraft: keyof typeof AIRCRAFT;
  battery: keyof typeof BATTERIES;
  startTime: string;
  location: number;
  durationS: number;
  version: number;
  startPercent: number;
}

const PLAN: DemoFlightPlan[] = [
  { aircraft: 'mini', battery: 'mini1', startTime: '2024-04-06T08:12:03Z', location: 0, durationS: 240, version: 12, startPercent: 100 },
  { aircraft: 'mini', battery: 'mini2', startTime: '2024-04-06T08:31:40Z', location: 0, durationS: 180, version: 12, startPercent: 99 },
  { aircraft: 'mavic', battery: 'mavic', startTime: '2024-04-20T15:02:17Z', location: 2, durationS: 210, version: 11, startPercent: 97 },
  { aircraft: 'phantom', battery: 'phantom', startTime: '2024-05-04T16:45:55Z', location: 3, durationS: 270, version: 10, startPercent: 98 },
  { aircraft: 'mini', battery: 'mini1', startTime: '2024-05-18T18:20:09Z', location: 4, durationS: 200, version: 12, startPercent: 96 },
  { aircraft: 'mavic', battery: 'mavic', startTime: '2024-06-01T07:58:31Z', location: 0, durationS: 150, version: 12, startPercent: 100 },
  { aircraft: 'mini', battery: 'mini2', startTime: '2024-06-15T19:05:44Z', location: 1, durationS: 230, version: 11, startPercent: 98 },
  { aircraft: 'phantom', battery: 'phantom', startTime: '2024-06-29T14:11:02Z', location: 3, durationS: 180, version: 6, startPercent: 99 },
  { aircraft: 'mini', battery: 'mini1', startTime: '2024-07-13T06:40:27Z', location: 2, durationS: 260, version: 12, startPercent: 100 },
  { aircraft: 'mavic', battery: 'mavic', startTime: '2024-08-03T17:33:51Z', location: 4, durationS: 190, version: 11, startPercent: 95 },
  { aircraft: 'mini', battery: 'mini2', startTime: '2024-08-24T09:14:38Z', location: 0, durationS: 220, version: 14, startPercent: 100 },
  { aircraft: 'phantom', battery: 'phantom', startTime: '2024-09-07T20:02:12Z', location: 1, durationS: 160, version: 8, startPercent: 97 },
];

export interface DemoLog {
  /** File name, DJI style: DJIFlightRecord_YYYY-MM-DD_[HH-MM-SS].txt (UTC). */
  fileName: string;
  /** Keychains file name for v13+ logs. */
  keychainsFileName?: string;
  log: DjiLog;
  aircraftModel: AircraftModel;
  batterySerial: string;
  location: string;
}

function fileNameFor(iso: string): string {
  const [date, time] = iso.replace('Z', '').split('T') as [string, string];
  return `DJIFlightRecord_${date}_[${time.slice(0, 8).replaceAll(':', '-')}].txt`;
}

/** The demo set in memory (same bytes as writeDemoSet writes). */
export function demoSet(): DemoLog[] {
  const cycles: Record<string, number> = { mini1: 11, mini2: 9, mavic: 57, phantom: 132 };
  return PLAN.map((p, i) => {
    const a = AIRCRAFT[p.aircraft];
    const loc = DEMO_LOCATIONS[p.location]!;
    cycles[p.battery] = (cycles[p.battery] ?? 0) + 1;
    const spec = demoFlight({
      seed: `demo-set-${i + 1}`,
      durationS: p.durationS,
      aircraft: a.model,
      startTime: p.startTime,
      home: { latitude: loc.latitude + (i % 3) * 0.0004, longitude: loc.longitude - (i % 2) * 0.0005, altitudeM: loc.altitudeM },
      place: loc.place,
      aircraftName: a.name,
      aircraftSerial: a.serial,
      cameraSerial: a.cameraSerial,
      rcSerial: a.rcSerial,
      batterySerial: BATTERIES[p.battery],
      batteryCycles: cycles[p.battery]!,
      startBatteryPercent: p.startPercent,
    });
    const log = writeDjiLog(spec, { version: p.version });
    const fileName = fileNameFor(p.startTime);
    return {
      fileName,
      ...(log.keychains ? { keychainsFileName: fileName.replace(/\.txt$/, '.keychains.json') } : {}),
      log,
      aircraftModel: a.model,
      batterySerial: BATTERIES[p.battery],
      location: loc.name,
    };
  });
}

export interface DemoSetFile {
  path: string;
  fileName: string;
  version: number;
  aircraftModel: AircraftModel;
  aircraftName: string;
  batterySerial: string;
  startTime: string;
  location: string;
  /** Beside v13+ logs: the keychains that decode them. */
  keychainsPath?: string;
}

export interface DemoSetResult {
  dir: string;
  files: DemoSetFile[];
}

/** Writes the demo set into `outDir` (created if needed): the logs, keychains JSON and an index `demo-set.json`. */
export async function writeDemoSet(outDir: string): Promise<DemoSetResult> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const files: DemoSetFile[] = [];
  for (const d of demoSet()) {
    const path = join(dir, d.fileName);
    await writeFile(path, d.log.bytes);
    let keychainsPath: string | undefined;
    if (d.keychainsFileName && d.log.keychains) {
      keychainsPath = join(dir, d.keychainsFileName);
      const k: Keychains = d.log.keychains;
      await writeFile(keychainsPath, `${JSON.stringify(k, null, 2)}\n`);
    }
    files.push({
      path,
      fileName: d.fileName,
      version: d.log.version,
      aircraftModel: d.aircraftModel,
      aircraftName: d.log.spec.aircraft.name,
      batterySerial: d.batterySerial,
      startTime: new Date(d.log.spec.startTimeMs).toISOString(),
      location: d.location,
      ...(keychainsPath ? { keychainsPath } : {}),
    });
  }
  const index = files.map(({ path: _p, keychainsPath, ...rest }) => ({
    ...rest,
    ...(keychainsPath ? { keychainsFile: rest.fileName.replace(/\.txt$/, '.keychains.json') } : {}),
  }));
  await writeFile(join(dir, 'demo-set.json'), `${JSON.stringify(index, null, 2)}\n`);
  return { dir, files };
}
