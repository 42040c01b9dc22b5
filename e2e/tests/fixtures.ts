import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real DJI logs live outside the repo in ../shared/fixtures (never committed). DRONELOG_FIXTURES
 * overrides the folder. Under CI=true a missing fixture is an error; elsewhere the journey is skipped
 * with a loud message.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
export const FIXTURES_DIR = process.env.DRONELOG_FIXTURES ?? path.resolve(repo, '../shared/fixtures');

/** v9 Inspire 1 log with GPS, 1906 frames, 3:19, max height 55.9 m. */
export const INSPIRE1_LOG = 'dji/vtolabs-droner_df010_Inspire1_DJIFlightRecord_2018-06-20_[09-16-53].txt';
/** v14 (encrypted) Mini 4 Pro log: needs a DJI key, so it must end up "awaiting key". */
export const MINI4PRO_V14_LOG = 'dji/pydjirecord_DJIFlightRecord_2024-09-01_[14-55-49].txt';

export function fixture(rel: string): string | null {
  const p = path.join(FIXTURES_DIR, rel);
  if (fs.existsSync(p)) return p;
  const msg = `Fixture missing: ${p} (set DRONELOG_FIXTURES to the shared fixtures folder)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(msg);
  console.warn(`\n!!! SKIPPING e2e journey — ${msg}\n`);
  return null;
}
