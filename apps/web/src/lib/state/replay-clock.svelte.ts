/**
 * The flight page's one clock: the time (ms since flight start) that charts, map marker and
 * scrubber all show. Hovering a chart seeks it; playing advances it at `speed`× real time.
 */
export const REPLAY_SPEEDS = [0.5, 1, 2, 4, 8, 16] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

export class ReplayClock {
  #timeMs = $state(0);
  #playing = $state(false);
  #speed = $state<ReplaySpeed>(4);
  #durationMs = $state(0);
  #raf = 0;
  #last = 0;
  #now: () => number;
  #schedule: (cb: (t: number) => void) => number;
  #cancel: (id: number) => void;

  constructor(
    durationMs = 0,
    deps: { now?: () => number; schedule?: (cb: (t: number) => void) => number; cancel?: (id: number) => void } = {},
  ) {
    this.#durationMs = durationMs;
    this.#now = deps.now ?? (() => performance.now());
    this.#schedule = deps.schedule ?? ((cb) => requestAnimationFrame(cb));
    this.#cancel = deps.cancel ?? ((id) => cancelAnimationFrame(id));
  }

  get timeMs(): number {
    return this.#timeMs;
  }
  get playing(): boolean {
    return this.#playing;
  }
  get speed(): ReplaySpeed {
    return this.#speed;
  }
  set speed(s: ReplaySpeed) {
    this.#speed = s;
  }
  get durationMs(): number {
    return this.#durationMs;
  }
  set durationMs(d: number) {
    this.#durationMs = Math.max(0, d);
    if (this.#timeMs > this.#durationMs) this.#timeMs = this.#durationMs;
  }

  seek(ms: number): void {
    this.#timeMs = Math.min(this.#durationMs, Math.max(0, ms));
  }

  /** Relative jump (arrow keys). */
  step(deltaMs: number): void {
    this.seek(this.#timeMs + deltaMs);
  }

  play(): void {
    if (this.#playing || this.#durationMs <= 0) return;
    if (this.#timeMs >= this.#durationMs) this.#timeMs = 0;
    this.#playing = true;
    this.#last = this.#now();
    this.#raf = this.#schedule(this.#tick);
  }

  pause(): void {
    this.#playing = false;
    if (this.#raf) this.#cancel(this.#raf);
    this.#raf = 0;
  }

  toggle(): void {
    if (this.#playing) this.pause();
    else this.play();
  }

  faster(): void {
    const i = REPLAY_SPEEDS.indexOf(this.#speed);
    this.#speed = REPLAY_SPEEDS[Math.min(REPLAY_SPEEDS.length - 1, i + 1)]!;
  }

  slower(): void {
    const i = REPLAY_SPEEDS.indexOf(this.#speed);
    this.#speed = REPLAY_SPEEDS[Math.max(0, i - 1)]!;
  }

  /** Advance by wall-clock time since the last frame (exposed for tests). */
  advance(now: number): void {
    const dt = now - this.#last;
    this.#last = now;
    const next = this.#timeMs + dt * this.#speed;
    if (next >= this.#durationMs) {
      this.#timeMs = this.#durationMs;
      this.pause();
    } else {
      this.#timeMs = next;
    }
  }

  #tick = (now: number) => {
    if (!this.#playing) return;
    this.advance(now);
    if (this.#playing) this.#raf = this.#schedule(this.#tick);
  };

  destroy(): void {
    this.pause();
  }
}
