/**
 * The upload queue shared by the drop zone (anywhere in the app) and the import page.
 * Uploads run two at a time; each item carries its own progress and result.
 */
import { onSessionChange } from '$lib/api/profiles.js';
import { uploadFile, type UploadHandle, type UploadOutcome } from '$lib/api/upload.js';
import type { ImportOutcomeStatus } from '$lib/api/types.js';

export type ItemState = 'queued' | 'waiting' | 'uploading' | 'processing' | ImportOutcomeStatus;

export interface QueueItem {
  key: number;
  name: string;
  size: number;
  state: ItemState;
  loaded: number;
  reason: string | null;
  flightId: number | null;
}

const CONCURRENCY = 2;
/** How often one file is retried when the server says "later" (429/503) before giving up. */
const MAX_BUSY_RETRIES = 30;

export type Uploader = (file: File, onProgress: (loaded: number, total: number) => void) => UploadHandle;

export class ImportQueue {
  items = $state<QueueItem[]>([]);
  #files = new Map<number, File>();
  #aborts = new Map<number, () => void>();
  #next = 1;
  #busyRetries = new Map<number, number>();
  #schedule: (fn: () => void, ms: number) => void;
  #running = 0;
  /** Bumped whenever a file finishes as imported: pages listening re-load their data. */
  importedVersion = $state(0);
  #upload: Uploader;
  #concurrency: number;

  constructor(upload: Uploader = uploadFile, concurrency = CONCURRENCY, schedule: (fn: () => void, ms: number) => void = (fn, ms) => setTimeout(fn, ms)) {
    this.#upload = upload;
    this.#concurrency = concurrency;
    this.#schedule = schedule;
  }

  get active(): boolean {
    return this.items.some((i) => i.state === 'queued' || i.state === 'waiting' || i.state === 'uploading' || i.state === 'processing');
  }

  get counts(): Record<string, number> {
    const c: Record<string, number> = {};
    for (const i of this.items) c[i.state] = (c[i.state] ?? 0) + 1;
    return c;
  }

  add(files: Iterable<File>): void {
    for (const file of files) {
      const key = this.#next++;
      this.#files.set(key, file);
      this.items.push({ key, name: file.name, size: file.size, state: 'queued', loaded: 0, reason: null, flightId: null });
    }
    this.#pump();
  }

  /**
   * Forgets every file, for a session change (another profile, or logged out): a file not yet sent would otherwise
   * be imported into the new profile, and finished ones link to the old profile's flights. Uploads under way are
   * stopped (one whose bytes were all sent may still be imported into the profile it was sent to).
   */
  reset(): void {
    for (const abort of [...this.#aborts.values()]) abort();
    this.#aborts.clear();
    this.#files.clear();
    this.#busyRetries.clear();
    this.items = [];
  }

  clearFinished(): void {
    this.items = this.items.filter((i) => i.state === 'queued' || i.state === 'waiting' || i.state === 'uploading' || i.state === 'processing');
  }

  cancel(key: number): void {
    const abort = this.#aborts.get(key);
    if (abort) abort();
    else {
      const item = this.items.find((i) => i.key === key);
      if (item && (item.state === 'queued' || item.state === 'waiting')) {
        item.state = 'failed';
        item.reason = 'Cancelled.';
        this.#files.delete(key);
      }
    }
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const item = this.items.find((i) => i.state === 'queued');
      if (!item) return;
      this.#start(item.key);
    }
  }

  #start(key: number): void {
    const file = this.#files.get(key);
    const item = this.items.find((i) => i.key === key);
    if (!file || !item) return;
    this.#running++;
    item.state = 'uploading';
    const handle = this.#upload(file, (loaded, total) => {
      const it = this.items.find((i) => i.key === key);
      if (!it) return;
      it.loaded = loaded;
      // All bytes sent: the server is parsing now.
      if (loaded >= total && it.state === 'uploading') it.state = 'processing';
    });
    this.#aborts.set(key, handle.abort);
    handle.promise.then((r: UploadOutcome) => {
      this.#running--;
      this.#aborts.delete(key);
      const it = this.items.find((i) => i.key === key);
      const tries = this.#busyRetries.get(key) ?? 0;
      if (it && r.retryAfterMs !== undefined && tries < MAX_BUSY_RETRIES) {
        // The server asked to come back later: wait, then queue the file again (keeps its place).
        this.#busyRetries.set(key, tries + 1);
        it.state = 'waiting';
        it.loaded = 0;
        it.reason = `Server busy — retrying in ${Math.round(r.retryAfterMs / 1000)} s`;
        this.#schedule(() => {
          const again = this.items.find((i) => i.key === key);
          if (again && again.state === 'waiting') {
            again.state = 'queued';
            again.reason = null;
            this.#pump();
          }
        }, r.retryAfterMs);
        this.#pump();
        return;
      }
      this.#files.delete(key);
      this.#busyRetries.delete(key);
      if (it) {
        it.state = r.status;
        it.loaded = it.size;
        it.reason = r.reason;
        it.flightId = r.flightId;
      }
      if (r.status === 'imported') this.importedVersion++;
      this.#pump();
    });
  }
}

export const importQueue = new ImportQueue();
onSessionChange(() => importQueue.reset());
