import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  expectedFixturesDir, fixturesDir, hasRealFixtures, manifest, parseManifest, realDjiLogs, repoRoot, requireRealFixtures,
  startFakeKeychainServer,
} from '../src/index.js';
import { decode, rejection } from './helpers.js';
import { DJILog } from 'dji-log-parser-js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fakeFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dronelog-fixtures-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'dji'));
  writeFileSync(join(dir, 'dji', 'b.txt'), 'x');
  writeFileSync(join(dir, 'dji', 'a.txt'), 'x');
  writeFileSync(join(dir, 'dji', 'notes.md'), 'x');
  writeFileSync(
    join(dir, 'MANIFEST.md'),
    [
      '# Real flight logs',
      '## DJI .txt logs (dji/)',
      '| file | source repo | path | commit | license | sha256 | bytes | version | productType | aircraftName | aircraftSn | batterySn | app | startTime (UTC) | totalTime s | frames | gps frames | first flyTime s | max height m | notes |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      '| `a.txt` | o/r | `x/a.txt` | abc | MIT | 00ff | 120 | 11 | Mavic2 | "Red Cat" | 0M6 | 0P2 | Android 4.3.4 | 2019-02-22T12:01:22.876Z | 305.6 | 3055 | 2900 | 0 | 21.1 | note |',
      '| `b.txt` | o/r | `x/b.txt` | abc | MIT | 00ff | 99 | 14 | 120 | "Air 3" | 158 |  | DJIFly 1.1.0 | 2023-01-01T00:00:00Z | 10 | (encrypted) |  |  |  |  |',
      '| `gone.txt` | o/r | `x/gone.txt` | abc | MIT | 00ff | 99 | 8 | MavicPro | "" |  |  | IOS 4.3.3 | 2018-10-22T19:20:51.751Z | 1 | 7 | 0 | 717.4 | 0 | tiny |',
      '## CSV exports (csv/)',
      '| file | source repo | path | commit | license | sha256 | bytes | notes |',
      '|---|---|---|---|---|---|---|---|',
      '| `c.csv` | o/r | `c.csv` | abc | MIT | 00ff | 5 | Airdata |',
      '## What these files teach',
      '| not | a | table | row |',
    ].join('\n'),
  );
  return dir;
}

describe('fixture locator', () => {
  it('finds the repo root by walking up to pnpm-workspace.yaml', () => {
    const root = repoRoot()!;
    expect(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')).toContain('packages');
  });

  it('defaults to <repo root>/../shared/fixtures and honours DRONELOG_FIXTURES', () => {
    expect(expectedFixturesDir({})).toBe(join(repoRoot()!, '..', 'shared', 'fixtures'));
    const dir = fakeFixtures();
    expect(fixturesDir({ DRONELOG_FIXTURES: dir })).toBe(dir);
    expect(requireRealFixtures({ DRONELOG_FIXTURES: dir })).toBe(dir);
    expect(realDjiLogs({ DRONELOG_FIXTURES: dir })).toEqual([join(dir, 'dji', 'a.txt'), join(dir, 'dji', 'b.txt')]);
  });

  it('missing fixtures: null / [] and a loud warning outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const env = { DRONELOG_FIXTURES: join(tmpdir(), 'no-such-fixtures-dir-1') };
    expect(fixturesDir(env)).toBeNull();
    expect(hasRealFixtures(env)).toBe(false);
    expect(realDjiLogs(env)).toEqual([]);
    expect(manifest(env).dji).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1); // once per folder, not per call
    expect(String(warn.mock.calls[0]![0])).toMatch(/DRONELOG_FIXTURES/);
  });

  it('missing fixtures under CI=true: throws with a clear message', () => {
    const env = { DRONELOG_FIXTURES: join(tmpdir(), 'no-such-fixtures-dir-2'), CI: 'true' };
    expect(() => fixturesDir(env)).toThrow(/not found at .*no-such-fixtures-dir-2.*DRONELOG_FIXTURES.*CI=true/);
    expect(() => realDjiLogs(env)).toThrow(/CI=true/);
    expect(() => manifest(env)).toThrow(/CI=true/);
  });

  it('requireRealFixtures throws whenever the folder is missing', () => {
    expect(() => requireRealFixtures({ DRONELOG_FIXTURES: join(tmpdir(), 'no-such-fixtures-dir-3') })).toThrow(/DRONELOG_FIXTURES/);
  });

  it('manifest() parses the DJI and CSV tables into typed rows', () => {
    const dir = fakeFixtures();
    const m = manifest({ DRONELOG_FIXTURES: dir });
    expect(m.dir).toBe(dir);
    expect(m.dji).toHaveLength(3);
    expect(m.dji[0]).toMatchObject({
      file: 'a.txt', path: join(dir, 'dji', 'a.txt'), exists: true, sourceRepo: 'o/r', sourcePath: 'x/a.txt', version: 11,
      productType: 'Mavic2', aircraftName: 'Red Cat', app: 'Android 4.3.4', startTime: '2019-02-22T12:01:22.876Z',
      totalTimeS: 305.6, encrypted: false, frames: 3055, gpsFrames: 2900, firstFlyTimeS: 0, maxHeightM: 21.1, bytes: 120,
    });
    expect(m.dji[1]).toMatchObject({ productType: 120, encrypted: true, frames: null, gpsFrames: null, batterySn: '' });
    expect(m.dji[2]).toMatchObject({ exists: false, aircraftName: '', firstFlyTimeS: 717.4 });
    expect(m.csv).toEqual([expect.objectContaining({ file: 'c.csv', path: join(dir, 'csv', 'c.csv'), notes: 'Airdata' })]);
  });

  it('parseManifest ignores tables outside the two listed sections', () => {
    expect(parseManifest('| file | x |\n|---|---|\n| `a` | 1 |', '/tmp')).toEqual({ dir: '/tmp', dji: [], csv: [] });
  });
});

// Real logs from ../shared/fixtures: skipped loudly when missing, a failure under CI=true.
describe.skipIf(!hasRealFixtures())('real DJI fixtures', () => {
  const m = manifest();

  it('every log in MANIFEST.md is present', () => {
    expect(m.dji.length).toBeGreaterThan(50);
    expect(m.dji.filter((e) => !e.exists).map((e) => e.file)).toEqual([]);
    expect(realDjiLogs()).toHaveLength(m.dji.length);
  });

  it('the smallest offline log decodes to the frame count the manifest states', () => {
    const e = m.dji.filter((x) => !x.encrypted && x.frames !== null).sort((a, b) => a.bytes - b.bytes)[0]!;
    const { frames, details } = decode(readFileSync(e.path));
    expect(frames).toHaveLength(e.frames!);
    expect(details.productType).toBe(e.productType);
  });

  it('the fake server refuses real DJI KeyStorage blobs (only DJI can unwrap them)', async () => {
    const e = m.dji.find((x) => x.encrypted && x.file.startsWith('pydjirecord_DJIFlightRecord'))!;
    const server = await startFakeKeychainServer({ apiKey: 'k' });
    const parser = new DJILog(readFileSync(e.path));
    try {
      expect(parser.keychainsRequest().keychainsArray.flat().length).toBeGreaterThan(0);
      expect(await rejection(parser.fetchKeychains('k', server.url))).toMatch(/DJI Api error: .*not a testkit KeyStorage blob/);
    } finally {
      parser.free();
      await server.close();
    }
  });
});
