/**
 * Locates the real DJI logs kept outside the repository (../shared/fixtures, or $DRONELOG_FIXTURES)
 * and parses their MANIFEST.md. Missing fixtures are an error under CI=true and a loud warning elsewhere.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Env = Record<string, string | undefined>;

/** The monorepo root: the nearest folder above this package (or the cwd) holding pnpm-workspace.yaml. */
export function repoRoot(from?: string): string | null {
  const starts = from ? [from] : [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

/** Where fixtures should be: $DRONELOG_FIXTURES, else <repo root>/../shared/fixtures (whether or not it exists). */
export function expectedFixturesDir(env: Env = process.env): string {
  if (env.DRONELOG_FIXTURES) return resolve(env.DRONELOG_FIXTURES);
  const root = repoRoot();
  return resolve(root ?? process.cwd(), '..', 'shared', 'fixtures');
}

function isCi(env: Env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

const warned = new Set<string>();

function missingMessage(dir: string): string {
  return (
    `Real DJI fixtures not found at ${dir}. ` +
    `Put the shared fixtures folder (MANIFEST.md, dji/, csv/) there or set DRONELOG_FIXTURES to its path.`
  );
}

function missing(dir: string, env: Env): null {
  const message = missingMessage(dir);
  if (isCi(env)) throw new Error(`${message} (CI=true: tests that need real logs must not be skipped)`);
  if (!warned.has(dir)) {
    warned.add(dir);
    const bar = '!'.repeat(100);
    console.warn(`\n${bar}\n!!! ${message}\n!!! Tests that read real logs are SKIPPED. Under CI=true this is an error.\n${bar}\n`);
  }
  return null;
}

function present(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

/** The fixtures folder, or null (with a loud warning) when it is missing. Throws under CI=true. */
export function fixturesDir(env: Env = process.env): string | null {
  const dir = expectedFixturesDir(env);
  return present(dir) ? dir : missing(dir, env);
}

/** True when the fixtures folder exists (warns when not; throws under CI=true). For `describe.skipIf(!hasRealFixtures())`. */
export function hasRealFixtures(env: Env = process.env): boolean {
  return fixturesDir(env) !== null;
}

/** The fixtures folder; throws with a clear message when it is missing (CI or not). */
export function requireRealFixtures(env: Env = process.env): string {
  const dir = expectedFixturesDir(env);
  if (!present(dir)) throw new Error(missingMessage(dir));
  return dir;
}

/** Absolute paths of the real DJI `.txt` logs (sorted), or [] when fixtures are missing. */
export function realDjiLogs(env: Env = process.env): string[] {
  const dir = fixturesDir(env);
  if (!dir) return [];
  const dji = join(dir, 'dji');
  if (!present(dji)) return [];
  return readdirSync(dji)
    .filter((f) => f.toLowerCase().endsWith('.txt'))
    .sort()
    .map((f) => join(dji, f));
}

export interface DjiManifestEntry {
  /** File name inside dji/. */
  file: string;
  /** Absolute path of the file. */
  path: string;
  exists: boolean;
  sourceRepo: string;
  sourcePath: string;
  commit: string;
  license: string;
  /** First 16 hex digits of the SHA-256. */
  sha256Prefix: string;
  bytes: number;
  version: number;
  /** The parser's productType: enum name, or a number when it has no name. */
  productType: string | number;
  aircraftName: string;
  aircraftSn: string;
  batterySn: string;
  /** e.g. "DJIFly 1.13.10", "Android 4.3.4". */
  app: string;
  /** details.startTime as the parser returns it. */
  startTime: string;
  totalTimeS: number | null;
  /** v13+ logs: frames unreadable without keychains (frames/gpsFrames are null). */
  encrypted: boolean;
  frames: number | null;
  gpsFrames: number | null;
  firstFlyTimeS: number | null;
  maxHeightM: number | null;
  notes: string;
}

export interface CsvManifestEntry {
  file: string;
  path: string;
  exists: boolean;
  sourceRepo: string;
  sourcePath: string;
  commit: string;
  license: string;
  sha256Prefix: string;
  bytes: number;
  notes: string;
}

export interface FixtureManifest {
  dir: string;
  dji: DjiManifestEntry[];
  csv: CsvManifestEntry[];
}

/** Parses MANIFEST.md (the DJI and CSV tables) of a fixtures folder. Missing fixtures → empty lists (or a throw under CI). */
export function manifest(env: Env = process.env): FixtureManifest {
  const dir = fixturesDir(env);
  if (!dir) return { dir: expectedFixturesDir(env), dji: [], csv: [] };
  return parseManifest(readFileSync(join(dir, 'MANIFEST.md'), 'utf8'), dir);
}

const cell = (s: string): string => {
  const t = s.trim();
  if (t.length >= 2 && ((t.startsWith('`') && t.endsWith('`')) || (t.startsWith('"') && t.endsWith('"')))) return t.slice(1, -1);
  return t;
};
const num = (s: string): number | null => {
  const t = s.trim();
  if (t === '' || !/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(t)) return null;
  return Number(t);
};

/** Pure parser of the MANIFEST.md text; `dir` resolves file paths. */
export function parseManifest(markdown: string, dir: string): FixtureManifest {
  const out: FixtureManifest = { dir, dji: [], csv: [] };
  let header: string[] | null = null;
  let section: 'dji' | 'csv' | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith('## ')) {
      section = /\(dji\/\)/.test(line) ? 'dji' : /\(csv\/\)/.test(line) ? 'csv' : null;
      header = null;
      continue;
    }
    if (!section || !line.startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      continue;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    const get = (name: string): string => {
      const i = header!.indexOf(name);
      return i >= 0 ? (cells[i] ?? '') : '';
    };
    const file = cell(get('file'));
    if (!file) continue;
    const folder = section === 'dji' ? 'dji' : 'csv';
    const path = join(dir, folder, file);
    const common = {
      file,
      path,
      exists: existsSync(path),
      sourceRepo: cell(get('source repo')),
      sourcePath: cell(get('path')),
      commit: cell(get('commit')),
      license: cell(get('license')),
      sha256Prefix: cell(get('sha256')),
      bytes: num(get('bytes')) ?? 0,
      notes: cell(get('notes')),
    };
    if (section === 'csv') {
      out.csv.push(common);
      continue;
    }
    const framesCell = cell(get('frames'));
    const productType = cell(get('producttype'));
    out.dji.push({
      ...common,
      version: num(get('version')) ?? 0,
      productType: num(productType) ?? productType,
      aircraftName: cell(get('aircraftname')),
      aircraftSn: cell(get('aircraftsn')),
      batterySn: cell(get('batterysn')),
      app: cell(get('app')),
      startTime: cell(get('starttime (utc)')),
      totalTimeS: num(get('totaltime s')),
      encrypted: framesCell.includes('encrypted'),
      frames: num(framesCell),
      gpsFrames: num(get('gps frames')),
      firstFlyTimeS: num(get('first flytime s')),
      maxHeightM: num(get('max height m')),
    });
  }
  return out;
}
