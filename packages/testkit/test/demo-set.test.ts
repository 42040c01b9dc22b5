import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoSet, writeDemoSet } from '../src/index.js';
import { decode, sha256 } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('writeDemoSet', () => {
  it('writes 3 aircraft, 4 batteries, flights over ≥10 days, all decodable (v14 with its keychains JSON)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dronelog-demo-'));
    dirs.push(dir);
    const result = await writeDemoSet(dir);
    const txt = readdirSync(dir).filter((f) => f.endsWith('.txt'));
    expect(txt).toHaveLength(result.files.length);
    expect(new Set(result.files.map((f) => f.aircraftModel))).toEqual(new Set(['Mini 4 Pro', 'Mavic 2 Pro', 'Phantom 4 Pro V2']));
    expect(new Set(result.files.map((f) => f.batterySerial)).size).toBe(4);
    expect(new Set(result.files.map((f) => f.startTime.slice(0, 10))).size).toBeGreaterThanOrEqual(10);
    expect(new Set(result.files.map((f) => f.location)).size).toBeGreaterThanOrEqual(3);
    const encrypted = result.files.filter((f) => f.version >= 13);
    expect(encrypted).toHaveLength(1);
    expect(encrypted[0]!.keychainsPath).toBeDefined();
    for (const f of result.files) {
      const bytes = readFileSync(f.path);
      const keychains = f.keychainsPath ? JSON.parse(readFileSync(f.keychainsPath, 'utf8')) : undefined;
      const { frames, details } = decode(bytes, keychains);
      expect(frames.length).toBeGreaterThan(1000);
      expect(details.aircraftName).toBe(f.aircraftName);
      expect(details.batterySn).toBe(f.batterySerial);
      expect(Date.parse(frames[0]!.custom.dateTime)).toBe(Date.parse(f.startTime));
      expect(Math.abs(frames[0]!.osd.latitude)).toBeGreaterThan(1);
    }
    const index = JSON.parse(readFileSync(join(dir, 'demo-set.json'), 'utf8'));
    expect(index).toHaveLength(result.files.length);
  }, 30_000);

  it('is byte-stable (what it writes equals a fresh in-memory demoSet())', async () => {
    const written = readdirSync(dirs[0]!).filter((f) => f.endsWith('.txt')).sort();
    const again = demoSet();
    expect(again.map((d) => d.fileName).sort()).toEqual(written);
    for (const d of again) {
      expect(await sha256(d.log.bytes)).toBe(await sha256(readFileSync(join(dirs[0]!, d.fileName))));
    }
  }, 30_000);
});
