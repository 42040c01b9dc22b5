/**
 * Benchmark inputs: synthetic DJI logs from the test kit (non-encrypted versions, distinct flights) and the
 * largest real log of ../shared/fixtures that decodes offline.
 */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AIRCRAFT, demoFlight, manifest, writeDjiLog, type AircraftModel, type DjiManifestEntry } from '@dronelog/testkit';

/** Versions the benchmark writes: readable without DJI keychains (v13+ are AES-encrypted). */
const VERSIONS = [12, 11, 10, 9, 8, 6] as const;

export interface WrittenLog {
  file: string;
  bytes: number;
  frames: number;
}

/** A deterministic pseudo-random number in [0, 1) from an integer (no shared state). */
function unit(n: number): number {
  const x = Math.sin(n * 12.9898 + 78.233) * 43758.5453;
  return x - Math.floor(x);
}

/** The long import subject: `durationS` of flight at 10 Hz (2000 s ≈ 33 min ≈ 20 000 frames), format v12. */
export async function writeLongLog(dir: string, durationS: number, seed = 'bench-long'): Promise<WrittenLog> {
  await mkdir(dir, { recursive: true });
  const spec = demoFlight({ seed, durationS, startTime: '2025-03-01T10:00:00Z' });
  const log = writeDjiLog(spec, { version: 12 });
  const file = path.join(dir, `DJIFlightRecord_2025-03-01_[10-00-00]_${durationS}s.txt`);
  await writeFile(file, log.bytes);
  return { file, bytes: log.bytes.length, frames: log.frameCount };
}

/**
 * `count` distinct flights (aircraft, versions, start times and seeds vary) of `minS`–`maxS` seconds, written into
 * `dir`, optionally spread over sub-folders (`nest`: year/month like DJI Fly exports on a NAS).
 */
export async function writeLogSet(
  dir: string,
  count: number,
  opts: {
    minS: number;
    maxS: number;
    seed: string;
    startIndex?: number;
    nest?: boolean;
    /** Give every file a fixed mtime (derived from its index), so a database that saw the folder stays valid for it. */
    fixedMtime?: boolean;
  },
): Promise<WrittenLog[]> {
  const models = Object.keys(AIRCRAFT) as AircraftModel[];
  const out: WrittenLog[] = [];
  const base = Date.parse('2021-01-01T08:00:00Z');
  for (let k = 0; k < count; k++) {
    const i = (opts.startIndex ?? 0) + k;
    const durationS = Math.round(opts.minS + unit(i + 1) * (opts.maxS - opts.minS));
    const start = new Date(base + i * 7 * 3600_000 + Math.floor(unit(i + 7) * 3600) * 1000);
    const aircraft = models[i % models.length]!;
    const spec = demoFlight({ seed: `${opts.seed}-${i}`, durationS, aircraft, startTime: start });
    const log = writeDjiLog(spec, { version: VERSIONS[i % VERSIONS.length]! });
    const iso = start.toISOString();
    const name = `DJIFlightRecord_${iso.slice(0, 10)}_[${iso.slice(11, 19).replaceAll(':', '-')}].txt`;
    const folder = opts.nest ? path.join(dir, iso.slice(0, 4), iso.slice(5, 7)) : dir;
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, name);
    await writeFile(file, log.bytes);
    if (opts.fixedMtime) {
      const mtime = new Date(Date.parse('2024-01-01T00:00:00Z') + i * 1000);
      await utimes(file, mtime, mtime);
    }
    out.push({ file, bytes: log.bytes.length, frames: log.frameCount });
  }
  return out;
}

/** The real log with the most frames that decodes without keychains (MANIFEST.md), or null without fixtures. */
export function largestRealLog(): DjiManifestEntry | null {
  const entries = manifest().dji.filter((e) => e.exists && !e.encrypted && e.frames !== null);
  entries.sort((a, b) => (b.frames ?? 0) - (a.frames ?? 0));
  return entries[0] ?? null;
}
