import { DJILog } from 'dji-log-parser-js';
import { describe, expect, it } from 'vitest';
import { hasBatteryRecord, readBatteryInfo, type DjiRawRecord } from '../../src/dji/battery-records.js';
import { BATTERY_PREFIX_FRACTION } from '../../src/dji/parse.js';
import { recordPrefix } from '../../src/dji/record-prefix.js';
import { withoutIncompleteTail } from '../../src/dji/sniff.js';
import { djiFixtureNames, fixturesAvailable, readDjiFixture } from '../support/fixtures.js';

/** `[type][len u8][len bytes][0xFF]` records of `size` body bytes each. */
function records(count: number, size: number, type = 1): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(type, size, ...new Array<number>(size).fill(i & 0x7f), 0xff);
  return out;
}

function log(version: number, body: number[], details: number[] = []): Uint8Array {
  const start = version === 12 ? 536 : 100;
  const bytes = new Uint8Array(start + body.length + details.length);
  bytes[10] = version;
  bytes.set(body, start);
  bytes.set(details, start + body.length);
  if (version <= 11) new DataView(bytes.buffer).setBigUint64(0, BigInt(start + body.length), true);
  return bytes;
}

describe('recordPrefix', () => {
  it('cuts a v12 log at the first record boundary past the fraction', () => {
    const bytes = log(12, records(8, 10)); // 13 bytes per record
    const prefix = recordPrefix(bytes, 12, 0.25)!;
    expect(prefix.length).toBe(536 + 2 * 13);
    expect(prefix).toEqual(bytes.subarray(0, 536 + 26));
  });

  it('keeps the details of a v1–11 log after the cut and points the offset field at them', () => {
    const details = [0xde, 0xad, 0xbe, 0xef];
    const bytes = log(8, records(8, 10), details);
    const prefix = recordPrefix(bytes, 8, 0.25)!;
    expect(prefix.length).toBe(100 + 26 + details.length);
    expect(Number(new DataView(prefix.buffer).getBigUint64(0, true))).toBe(126);
    expect([...prefix.subarray(126)]).toEqual(details);
    expect(prefix.subarray(8, 126)).toEqual(bytes.subarray(8, 126));
    expect(bytes[0]).toBe(100 + 8 * 13); // the input is not changed
  });

  it('cuts at the last good boundary where the framing breaks before the target, and gives up without one', () => {
    const body = records(8, 10);
    body[2 * 13 + 12] = 0x00; // third record's end byte
    expect(recordPrefix(log(12, body), 12, 0.5)!.length).toBe(536 + 26);
    const broken = records(8, 10);
    broken[12] = 0x00;
    expect(recordPrefix(log(12, broken), 12, 0.5)).toBeNull();
  });

  it('gives null when the prefix would be the whole log', () => {
    expect(recordPrefix(log(12, records(2, 10)), 12, 1)).toBeNull();
    expect(recordPrefix(log(12, records(1, 10)), 12, 0.25)).toBeNull();
  });
});

describe.runIf(fixturesAvailable())('battery info from the first sixteenth of a real log (the prefix parse.ts decodes)', () => {
  it('equals that of the whole log on every offline fixture that has battery records in its first sixteenth', () => {
    let fromPrefix = 0;
    for (const name of djiFixtureNames()) {
      const raw = readDjiFixture(name);
      const version = raw[10]!;
      if (version >= 13) continue; // needs keychains (the synthetic v13/v14 logs are covered by the golden tests)
      const { bytes } = withoutIncompleteTail(raw, version);
      const whole = readBatteryInfo(new DJILog(bytes).records() as unknown as DjiRawRecord[]);
      const prefix = recordPrefix(bytes, version, BATTERY_PREFIX_FRACTION);
      if (prefix === null) continue;
      const partial = new DJILog(prefix).records() as unknown as DjiRawRecord[];
      if (!hasBatteryRecord(partial)) continue;
      fromPrefix++;
      expect(readBatteryInfo(partial), name).toEqual(whole);
    }
    expect(fromPrefix).toBeGreaterThan(40);
  }, 120_000);
});
