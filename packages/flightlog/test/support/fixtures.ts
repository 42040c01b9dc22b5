/**
 * Locates the real-log fixtures shared by all engineers (never copied into this repository).
 *
 * `DRONELOG_FIXTURES` wins; otherwise `<parent of the repo root>/shared/fixtures`. When the folder is
 * missing the tests FAIL under `CI=true` (a CI run must not pass by skipping) and are skipped with a loud
 * warning elsewhere. Kept small and local on purpose; packages/testkit grows a shared locator later.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function repoRoot(): string {
  for (let dir = packageDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(packageDir, '..', '..');
  }
}

export const FIXTURES_DIR = process.env['DRONELOG_FIXTURES']
  ? resolve(process.env['DRONELOG_FIXTURES'])
  : join(dirname(repoRoot()), 'shared', 'fixtures');

const DJI_DIR = join(FIXTURES_DIR, 'dji');

let warned = false;

/**
 * True when the fixtures are there. Missing: throws under CI=true (failing the test file with this
 * message), otherwise warns once and returns false so callers can skip.
 */
export function fixturesAvailable(): boolean {
  if (existsSync(DJI_DIR)) return true;
  const message =
    `Real-log fixtures not found at ${DJI_DIR}. Set DRONELOG_FIXTURES to the shared fixtures folder ` +
    `(the one holding MANIFEST.md and dji/).`;
  if (process.env['CI'] === 'true') throw new Error(`${message} Refusing to skip fixture tests under CI=true.`);
  if (!warned) {
    warned = true;
    console.warn(`\n${'!'.repeat(100)}\n!!! SKIPPING fixture tests: ${message}\n${'!'.repeat(100)}\n`);
  }
  return false;
}

/** File names in fixtures/dji, sorted. */
export function djiFixtureNames(): string[] {
  return readdirSync(DJI_DIR).filter((f) => f.endsWith('.txt')).sort();
}

export function readDjiFixture(name: string): Uint8Array {
  const buffer = readFileSync(join(DJI_DIR, name));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Short aliases for the logs the tests look at closely. */
export const LOGS = {
  inspire1Df010: 'vtolabs-droner_df010_Inspire1_DJIFlightRecord_2018-06-20_[09-16-53].txt',
  inspire1NoGps: 'vtolabs-droner_df063_Inspire1_DJIFlightRecord_2018-06-15_[11-17-44].txt',
  matrice210NoGps: 'vtolabs-droner_df059_Matrice210_2141-DJIFlightRecord_2018-06-14_[17-19-24].txt',
  matrice210Long: 'vtolabs-droner_df059_Matrice210_2441-DJIFlightRecord_2018-06-20_[16-10-24].txt',
  phantom3V3: 'wildellie_DJIFlightRecord_2015-06-10_[12-38-57].txt',
  phantom3V4: 'mikeemoo_DJIFlightRecord_2015-12-29_[19-05-48].txt',
  phantom3Continuation: 'chrisvm_phantom3_0.txt',
  phantom3GarbageDetails: 'chrisvm_phantom3_6.txt',
  mavicProV8: 'lvauv_pr11_test.txt',
  mavicProV10: 'vtolabs-droner_df020_MavicPro_1820-DJIFlightRecord_2017-08-29_[12-31-05].txt',
  mavic2LateGps: 'chrisvm_mavic2_11.txt',
  mavic2Short: 'chrisvm_mavic2_12.txt',
  matrice210Short: 'vtolabs-droner_df059_Matrice210_2443-DJIFlightRecord_2018-06-21_[16-39-48].txt',
  phantom4ProTiny: 'vtolabs-droner_df006_Phantom4Pro_DJIFlightRecord_2017-06-29_[12-52-14].txt',
  phantom4ProV2: 'vtolabs-droner_df063_Phantom4ProV2_DJIFlightRecord_2018-06-19_[15-34-56].txt',
  a2: 'vtolabs-droner_df043_A2_DJIFlightRecord_2018-06-20_[14-19-22].txt',
  mini4ProV14: 'pydjirecord_DJIFlightRecord_2024-09-01_[14-55-49].txt',
  mini2V14: 'robbrennan_mini2_DJIFlightRecord_2021-09-05_[19-23-47].txt',
  go4V14: 'robbrennan_V132_DJIFlightRecord_2020-06-18_[19-01-24].txt',
  m350V14: 'isens_m350_DJIFlightRecord_2023-10-10_[18-11-50].txt',
  minimalV14: 'pydjirecord_fixture_minimal_v14.txt',
  truncatedV14: 'aerosnap_header.txt',
} as const;
