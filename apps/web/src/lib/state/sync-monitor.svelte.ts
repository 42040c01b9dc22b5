/**
 * Live sync status: polls GET /api/v1/sync every second while a run is going (progress: phase, current file,
 * n of m) and slowly while idle (a scheduled run may start), starts runs, and tells the page when a run has
 * finished so it can reload the file lists. One request in flight at a time; stops on destroy().
 */
import type { SyncStatus } from '@dronelog/contracts';
import { ApiError } from '$lib/api/client.js';
import { logbookApi, type LogbookApi } from '$lib/api/logbook.js';

export const POLL_RUNNING_MS = 1000;
export const POLL_IDLE_MS = 20_000;

type SyncClient = Pick<LogbookApi, 'syncStatus' | 'startSync'>;

export class SyncMonitor {
  #status = $state<SyncStatus | null>(null);
  #error = $state<string | null>(null);
  #starting = $state(false);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #destroyed = false;
  #inFlight: Promise<void> | null = null;
  readonly #client: SyncClient;
  readonly #onFinished: (() => void) | undefined;

  constructor(opts: { initial?: SyncStatus | null; client?: SyncClient; onFinished?: () => void } = {}) {
    this.#status = opts.initial ?? null;
    this.#client = opts.client ?? logbookApi();
    this.#onFinished = opts.onFinished;
  }

  get status(): SyncStatus | null {
    return this.#status;
  }

  get error(): string | null {
    return this.#error;
  }

  get starting(): boolean {
    return this.#starting;
  }

  get running(): boolean {
    return this.#status?.current?.status === 'running';
  }

  /** Begin polling (at once when `now`, else after the interval for the current state). */
  watch(now = true): void {
    if (this.#destroyed) return;
    if (now) void this.refresh();
    else this.#schedule();
  }

  async refresh(): Promise<void> {
    if (this.#destroyed) return;
    if (this.#inFlight) return this.#inFlight;
    const wasRunning = this.running;
    this.#inFlight = (async () => {
      try {
        const s = await this.#client.syncStatus();
        if (this.#destroyed) return;
        this.#status = s;
        this.#error = null;
      } catch (e) {
        if (this.#destroyed) return;
        this.#error = (e as Error).message;
      } finally {
        this.#inFlight = null;
      }
      if (wasRunning && !this.running) this.#onFinished?.();
      this.#schedule();
    })();
    return this.#inFlight;
  }

  /** POST /api/v1/sync; a run already going (409) is simply followed. */
  async start(): Promise<void> {
    if (this.#starting || this.#destroyed) return;
    this.#starting = true;
    this.#error = null;
    try {
      const run = await this.#client.startSync();
      if (this.#status && !this.#destroyed) this.#status = { ...this.#status, current: run };
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) {
        this.#error = (e as Error).message;
        return;
      }
    } finally {
      this.#starting = false;
    }
    await this.refresh();
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#destroyed || (this.#status && !this.#status.enabled)) return;
    this.#timer = setTimeout(() => void this.refresh(), this.running ? POLL_RUNNING_MS : POLL_IDLE_MS);
  }

  destroy(): void {
    this.#destroyed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
