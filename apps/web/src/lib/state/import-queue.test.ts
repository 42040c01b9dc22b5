import { describe, expect, it } from 'vitest';
import type { UploadOutcome } from '$lib/api/upload.js';
import { ImportQueue, type Uploader } from './import-queue.svelte.js';

/** An uploader whose uploads finish when the test says so. */
function fakeUploader() {
  const pending = new Map<string, { resolve: (o: UploadOutcome) => void; progress: (l: number, t: number) => void }>();
  const started: string[] = [];
  const upload: Uploader = (file, onProgress) => {
    started.push(file.name);
    let resolve!: (o: UploadOutcome) => void;
    const promise = new Promise<UploadOutcome>((r) => (resolve = r));
    pending.set(file.name, { resolve, progress: onProgress });
    return { promise, abort: () => resolve({ fileName: file.name, status: 'failed', reason: 'Cancelled.', reasonCode: 'cancelled', flightId: null }) };
  };
  const finish = async (name: string, o: Partial<UploadOutcome>) => {
    pending.get(name)!.resolve({ fileName: name, status: 'imported', reason: null, reasonCode: null, flightId: null, ...o });
    await new Promise((r) => setTimeout(r, 0));
  };
  return { upload, started, pending, finish };
}

const file = (name: string, size = 100) => new File([new Uint8Array(size)], name);

describe('ImportQueue', () => {
  it('uploads two files at a time and starts the next when one finishes', async () => {
    const f = fakeUploader();
    const q = new ImportQueue(f.upload, 2);
    q.add([file('a.txt'), file('b.txt'), file('c.txt')]);
    expect(f.started).toEqual(['a.txt', 'b.txt']);
    expect(q.items.map((i) => i.state)).toEqual(['uploading', 'uploading', 'queued']);
    await f.finish('a.txt', { status: 'imported', flightId: 7 });
    expect(f.started).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(q.items[0]).toMatchObject({ state: 'imported', flightId: 7 });
  });

  it('shows "processing" once every byte is sent, then the server result with its reason', async () => {
    const f = fakeUploader();
    const q = new ImportQueue(f.upload, 2);
    q.add([file('x.txt', 100)]);
    f.pending.get('x.txt')!.progress(40, 100);
    expect(q.items[0]).toMatchObject({ state: 'uploading', loaded: 40 });
    f.pending.get('x.txt')!.progress(100, 100);
    expect(q.items[0]!.state).toBe('processing');
    await f.finish('x.txt', { status: 'failed', reason: 'This file is not a DJI flight log.' });
    expect(q.items[0]).toMatchObject({ state: 'failed', reason: 'This file is not a DJI flight log.' });
    expect(q.active).toBe(false);
  });

  it('counts imports so pages can refresh, but not duplicates or failures', async () => {
    const f = fakeUploader();
    const q = new ImportQueue(f.upload, 3);
    q.add([file('a.txt'), file('b.txt'), file('c.txt')]);
    await f.finish('a.txt', { status: 'imported' });
    await f.finish('b.txt', { status: 'duplicate', flightId: 1 });
    await f.finish('c.txt', { status: 'awaiting-key' });
    expect(q.importedVersion).toBe(1);
    expect(q.counts).toEqual({ imported: 1, duplicate: 1, 'awaiting-key': 1 });
  });

  it('cancels a queued file without uploading it, and clears finished ones', async () => {
    const f = fakeUploader();
    const q = new ImportQueue(f.upload, 1);
    q.add([file('a.txt'), file('b.txt')]);
    q.cancel(q.items[1]!.key);
    expect(q.items[1]).toMatchObject({ state: 'failed', reason: 'Cancelled.' });
    await f.finish('a.txt', { status: 'imported' });
    expect(f.started).toEqual(['a.txt']);
    q.clearFinished();
    expect(q.items).toEqual([]);
  });

  it('forgets every file on reset (a session change): queued ones are never sent, uploads under way are stopped', async () => {
    const f = fakeUploader();
    const q = new ImportQueue(f.upload, 1);
    q.add([file('a.txt'), file('b.txt'), file('c.txt')]);
    expect(f.started).toEqual(['a.txt']);
    q.reset();
    expect(q.items).toEqual([]);
    expect(q.active).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    // a.txt was stopped; b and c never start, and the queue takes new files again.
    expect(f.started).toEqual(['a.txt']);
    q.add([file('d.txt')]);
    expect(f.started).toEqual(['a.txt', 'd.txt']);
    expect(q.items.map((i) => i.name)).toEqual(['d.txt']);
  });

  it('waits and retries a file when the server says it is busy (429/503), keeping the others going', async () => {
    const f = fakeUploader();
    const timers: Array<() => void> = [];
    const q = new ImportQueue(f.upload, 1, (fn) => timers.push(fn));
    q.add([file('a.txt'), file('b.txt')]);
    await f.finish('a.txt', { status: 'failed', reason: 'busy', reasonCode: 'rate-limited', retryAfterMs: 3000 });
    expect(q.items[0]).toMatchObject({ state: 'waiting', reason: 'Server busy — retrying in 3 s' });
    expect(f.started).toEqual(['a.txt', 'b.txt']); // b goes ahead meanwhile
    expect(q.active).toBe(true);
    await f.finish('b.txt', { status: 'imported' });
    timers.shift()!();
    expect(f.started).toEqual(['a.txt', 'b.txt', 'a.txt']);
    await f.finish('a.txt', { status: 'imported' });
    expect(q.items.map((i) => i.state)).toEqual(['imported', 'imported']);
  });
});
