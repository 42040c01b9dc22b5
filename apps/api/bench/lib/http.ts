/** HTTP helpers against the API child process (Node's fetch, keep-alive). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Timed<T> {
  ms: number;
  status: number;
  body: T;
}

/** GET and read the whole body; time = request start → last byte parsed. */
export async function getJson<T = unknown>(url: string): Promise<Timed<T>> {
  const t = performance.now();
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await res.json()) as T;
  return { ms: performance.now() - t, status: res.status, body };
}

export async function request(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  return res;
}

export interface ImportResult {
  status: string;
  flightId?: number;
  reason?: string;
  reasonCode?: string;
}

/** Answers 503 (load shedding) and 429 (rate limit) seen by uploads, retried as the web app does. */
export const shedCounter = { count: 0 };

/**
 * POST one file as multipart/form-data to /api/v1/imports (like the web app: one file per request). The bytes
 * are read before the clock starts; the time covers upload, staging, hashing, parse, write and the answer.
 * A 503/429 is retried after its Retry-After (as the web app's queue does) and counted in `shedCounter`; the
 * wait is part of the time, as it is for the pilot.
 */
export async function uploadFile(baseUrl: string, filePath: string, bytes?: Uint8Array): Promise<{ ms: number; result: ImportResult; shed: number }> {
  const data = bytes ?? new Uint8Array(await readFile(filePath));
  const t = performance.now();
  let shed = 0;
  for (;;) {
    const form = new FormData();
    form.append('files', new Blob([data]), path.basename(filePath));
    const res = await fetch(`${baseUrl}/api/v1/imports`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
    const text = await res.text();
    if ((res.status === 503 || res.status === 429) && shed < 20) {
      shed++;
      shedCounter.count++;
      const after = Number(res.headers.get('retry-after'));
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, Math.max(1000, Number.isFinite(after) ? after * 1000 : 5000))));
      continue;
    }
    const ms = performance.now() - t;
    if (!res.ok) throw new Error(`POST /api/v1/imports answered ${res.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { results: ImportResult[] };
    return { ms, result: body.results[0]!, shed };
  }
}

/** Runs `fn` over `items` with at most `limit` at once; resolves with the results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}
