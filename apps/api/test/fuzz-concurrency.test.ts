import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFileResult } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { count, sql } from './imports-helpers.js';
import { buildSecureApp, parserPool, type SecureTestApp } from './security-helpers.js';

/**
 * Concurrent uploads over real HTTP (a listening server on 127.0.0.1, fetch): the same file ten times at once
 * gives exactly one flight, and fifty different files at once are all imported, none lost.
 */
function log(seed: string, i: number): Uint8Array {
  return writeDjiLog(demoFlight({ seed, durationS: 20, startTime: Date.UTC(2024, 5, 1, 8) + i * 3_600_000 }), { version: 10 }).bytes;
}

async function post(url: string, name: string, bytes: Uint8Array): Promise<{ status: number; results: ImportFileResult[] }> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(bytes)]), name);
  const res = await fetch(`${url}/api/v1/imports`, { method: 'POST', body: form });
  const json = (await res.json()) as { results?: ImportFileResult[] };
  return { status: res.status, results: json.results ?? [] };
}

describe('concurrent uploads over HTTP', () => {
  let t: SecureTestApp;
  let same: Uint8Array;
  let many: Array<{ name: string; bytes: Uint8Array }>;
  beforeAll(async () => {
    // Written before the server starts: generating 51 logs blocks this (shared) event loop for seconds, which
    // the server's load shedding would rightly answer with 503.
    same = log('same-file', 0);
    many = Array.from({ length: 50 }, (_, i) => ({ name: `many-${i}.txt`, bytes: log(`many-${i}`, i + 1) }));
    t = await buildSecureApp({ PARSE_CONCURRENCY: '2', KEEP_UPLOADED_FILES: 'false' }, { listen: true });
  });
  afterAll(async () => t?.close());

  it('imports the same file sent 10 times at once exactly once; the other 9 are duplicates', { timeout: 180_000 }, async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(t.url!, `same-${i}.txt`, same)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const statuses = answers.map((a) => a.results[0]!.status).sort();
    expect(statuses).toEqual([...Array(9).fill('duplicate'), 'imported']);
    const flightIds = new Set(answers.map((a) => a.results[0]!.flightId));
    expect(flightIds.size).toBe(1);
    expect(await count(t.app, 'flights')).toBe(1);
    expect(await count(t.app, 'imports')).toBe(10);
    const [f] = await sql<{ frame_count: number; id: bigint }>(t.app, 'SELECT id, frame_count FROM flights');
    expect(await count(t.app, 'telemetry', 'flight_id = $1', [f!.id])).toBe(f!.frame_count);
    expect(parserPool(t.app).active).toBe(0);
  });

  it('imports 50 different files sent at once: all imported, none lost', { timeout: 300_000 }, async () => {
    const before = await count(t.app, 'flights');
    const files = many;
    const answers = await Promise.all(files.map((f) => post(t.url!, f.name, f.bytes)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const results = answers.map((a) => a.results[0]!);
    expect(results.map((r) => r.fileName)).toEqual(files.map((f) => f.name));
    expect(results.filter((r) => r.status !== 'imported')).toEqual([]);
    expect(new Set(results.map((r) => r.flightId)).size).toBe(50);
    expect((await count(t.app, 'flights')) - before).toBe(50);
    const mismatched = await sql(
      t.app,
      `SELECT f.id FROM flights f WHERE f.frame_count <> (SELECT count(*) FROM telemetry t WHERE t.flight_id = f.id)`,
    );
    expect(mismatched).toEqual([]);
    expect(await count(t.app, 'imports', `status = 'imported'`)).toBe(51);
    expect(parserPool(t.app).active).toBe(0);
    expect(parserPool(t.app).queued).toBe(0);
  });
});
