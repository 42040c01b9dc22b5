import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../support/fixtures.js';

/** The real CSV exports in fixtures/csv (see MANIFEST.md, "CSV exports"). */
export const CSVS = {
  litchi: 'acuasi_litchi_2018-02-16_12-15-26_v2_Mavic_Litchi.csv',
  airdataMini2: 'robbrennan_mini2_Sep-5th-2021-07-23PM-Flight-Airdata.csv',
  phantomHelpDf010: 'vtolabs-droner_df010_Inspire1_DJIFlightRecord_2018-06-20_[09-16-53].phantomhelp-verbose.csv',
  txtLogToCsv: 'egemose_txtlogtocsv_test_drone_log.csv',
} as const;

export function readCsvFixture(name: string): Uint8Array {
  const buffer = readFileSync(join(FIXTURES_DIR, 'csv', name));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
