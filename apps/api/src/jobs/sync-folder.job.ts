import { Cron } from 'croner';

export interface SyncJobTarget {
  runScheduled(): Promise<unknown>;
}

export interface SyncJobLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * The SYNC_INTERVAL schedule: a croner job that only calls the sync service. Created paused; `start()` once
 * the app is ready. `protect` skips a tick while the previous run is still going (a long first import can
 * outlast a short interval); the service itself also never runs two at once.
 */
export class SyncFolderJob {
  readonly #cron: Cron;

  constructor(schedule: string, target: SyncJobTarget, log: SyncJobLogger) {
    this.#cron = new Cron(
      schedule,
      {
        paused: true,
        mode: '6-or-7-parts',
        protect: () => log.warn({ schedule }, 'sync: a scheduled run is due but the previous one is still running; skipped'),
        catch: (err: unknown) => log.error({ err }, 'sync: scheduled run failed'),
      },
      async () => {
        await target.runScheduled();
      },
    );
  }

  start(): void {
    this.#cron.resume();
  }

  /** Next time the schedule fires, or null when stopped. */
  nextRun(): Date | null {
    return this.#cron.nextRun();
  }

  stop(): void {
    this.#cron.stop();
  }
}
