import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { KeychainRequest, Keychains, LogHeader, ParsedFlight } from '@dronelog/flightlog';
import type { HeaderVerdict, MainAnswer, MainToWorker, ParseWorkerData, SerializedError, WorkerMemory, WorkerToMain } from './parse-protocol.js';

/** The parse took longer than the configured budget (time spent waiting for the main thread excluded). */
export class ParseTimeoutError extends Error {
  override readonly name = 'ParseTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`parsing took longer than ${timeoutMs} ms`);
  }
}

/** The worker died without answering: a crash, an abort, or it ran out of memory. */
export class WorkerCrashError extends Error {
  override readonly name = 'WorkerCrashError';
  constructor(
    message: string,
    readonly outOfMemory: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The worker reported an error (a FlightLogError keeps its `code`, a WASM panic arrives as RuntimeError). */
export class RemoteParseError extends Error {
  override readonly name = 'RemoteParseError';
  readonly remoteName: string;
  readonly code: string | undefined;
  readonly offset: number | undefined;
  constructor(e: SerializedError) {
    super(e.message);
    this.remoteName = e.name;
    this.code = e.code;
    this.offset = e.offset;
  }
}

export class PoolClosedError extends Error {
  override readonly name = 'PoolClosedError';
  constructor() {
    super('the parse workers were shut down');
  }
}

/** Everything a parse needs from the main thread. Throwing in a callback aborts the parse with that message. */
export interface ParseJob {
  filePath: string;
  fileName: string;
  /** Called with the header before any frame is decoded (and before any keychain request). */
  onHeader(header: LogHeader): Promise<HeaderVerdict>;
  getKeychains(request: KeychainRequest, header: LogHeader): Promise<Keychains>;
}

export interface ParseWorkerPoolOptions {
  /** Parses running at once; further jobs wait in FIFO order. */
  concurrency: number;
  /** Budget of one parse, excluding the time the worker waits for answers from the main thread. */
  timeoutMs: number;
  /**
   * V8 old-generation (JS heap) limit of each worker, MiB; a parse that needs more fails as `WorkerCrashError` with
   * `outOfMemory` instead of growing the process until the kernel kills it. Not the WASM heap (outside V8's limits).
   * Note: Node lets a process-wide `--max-old-space-size` (e.g. in NODE_OPTIONS) override it for every worker.
   * Undefined: V8's default.
   */
  maxHeapMb?: number | undefined;
  /** When a worker parses the next file too (default DEFAULT_REUSE); `false`: a fresh worker for every file. */
  reuse?: WorkerReuse | false;
  /** Worker script; defaults to parse.worker (.ts under vitest/tsx, .js when built). Tests pass their own. */
  workerFile?: URL;
}

/**
 * A worker that parsed a file successfully takes the next one while it is small (the WASM heap never shrinks, and
 * V8 keeps its grown heap): its WASM memory plus V8 heap right after the parse below `maxMemoryMb`, at most
 * `maxParses` files, then terminated. An idle worker is terminated after `idleMs`. A failed parse (error, timeout,
 * crash) always ends its worker. Saves the worker start and module load (~100 ms) per file of a sync run.
 */
export interface WorkerReuse {
  maxParses: number;
  maxMemoryMb: number;
  idleMs: number;
}

export const DEFAULT_REUSE: WorkerReuse = { maxParses: 20, maxMemoryMb: 160, idleMs: 2_000 };

const MIB = 1024 * 1024;

/**
 * V8 young generation of a parse worker, MiB. The frame objects of a parse live until they are turned into columns, so
 * they are promoted anyway; V8's default young generation (up to 3 × 16 MiB semi-spaces) adds to the peak. 8 MiB:
 * ≈ 28 MiB less peak RSS importing a 33-min log (400/394 → 369/369 MiB) for ≈ 80 ms more scavenging in its ≈ 1 s
 * parse; 16 MiB put the 100-log batch's peak ≈ 20 MiB higher (docs/benchmarks.md, Misses 3 (d)).
 */
const PARSE_WORKER_YOUNG_GENERATION_MB = 8;

/**
 * V8 limits of a parse worker: its young generation, and `maxHeapMb` (PARSE_WORKER_MAX_HEAP_MB) for the old one. The
 * benchmark runs its own-parse reference under the same limits.
 */
export function parseWorkerResourceLimits(maxHeapMb: number | undefined): ResourceLimits {
  return {
    maxYoungGenerationSizeMb: PARSE_WORKER_YOUNG_GENERATION_MB,
    ...(maxHeapMb === undefined ? {} : { maxOldGenerationSizeMb: maxHeapMb }),
  };
}

interface PooledWorker {
  worker: Worker;
  parses: number;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * Removes this pool's listeners of a worker. Only these events: a bare removeAllListeners() also removes Node's own
 * listeners that keep the worker's message port referenced, after which a reused worker never sees its next job.
 */
function detach(worker: Worker): void {
  for (const event of ['message', 'error', 'exit'] as const) worker.removeAllListeners(event);
}

const ownUrl = import.meta.url;
const runningFromSource = ownUrl.endsWith('.ts');

function defaultWorkerFile(): URL {
  return new URL(runningFromSource ? './parse.worker.ts' : './parse.worker.js', ownUrl);
}

/**
 * The script a Worker is started with. A built .js worker runs as is. A .ts worker (vitest, `tsx watch`) needs
 * tsx; `execArgv: ['--import', 'tsx']` does not work for workers on Node 20 (module hooks registered by a
 * worker's --import are not applied to its entry point: "Unknown file extension .ts"), so a tiny ESM bootstrap
 * (data: URL) loads the .ts file through tsx's tsImport API instead.
 */
function entryFor(file: URL): URL {
  if (!file.pathname.endsWith('.ts')) return file;
  const tsxApi = pathToFileURL(createRequire(ownUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import { tsImport } from ${JSON.stringify(tsxApi)};\nawait tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(file.href)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * Runs each parse in a worker thread, at most `concurrency` at a time. A worker is terminated after any failed
 * parse (a panic can leave the WASM instance unusable) and once it has grown (the WASM parser's heap never shrinks);
 * until then it takes the next file (see WorkerReuse).
 */
export class ParseWorkerPool {
  readonly #opts: Required<Omit<ParseWorkerPoolOptions, 'maxHeapMb'>> & Pick<ParseWorkerPoolOptions, 'maxHeapMb'>;
  /** Workers that finished a parse and wait for the next file (newest last). */
  readonly #idle: PooledWorker[] = [];
  readonly #entry: URL;
  readonly #waiting: Array<{ start: () => void; cancel: (err: Error) => void }> = [];
  readonly #workers = new Set<Worker>();
  /** Workers being terminated, until their thread has exited (and its WASM and V8 heaps are freed). */
  readonly #ending = new Set<Promise<unknown>>();
  #active = 0;
  #closed = false;
  /** Counters for tests and metrics. */
  readonly stats = { started: 0, reused: 0, prewarmed: 0, succeeded: 0, failed: 0, timedOut: 0, crashed: 0, peakThreads: 0 };

  constructor(opts: ParseWorkerPoolOptions) {
    const workerFile = opts.workerFile ?? defaultWorkerFile();
    this.#opts = { ...opts, workerFile, concurrency: Math.max(1, opts.concurrency), reuse: opts.reuse ?? DEFAULT_REUSE };
    this.#entry = entryFor(workerFile);
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  async parse(job: ParseJob): Promise<ParsedFlight> {
    await this.#acquire();
    try {
      // A fresh worker starts only once the ones being ended are gone: otherwise the heaps of a worker that just
      // parsed a long log and of the next one add up for a moment (the memory peak of a batch of uploads).
      while (this.#idle.length === 0 && this.#ending.size > 0) await Promise.all(this.#ending);
      return await this.#run(job);
    } finally {
      this.#release();
    }
  }

  /** Terminates running workers and rejects queued jobs. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#waiting.splice(0)) w.cancel(new PoolClosedError());
    for (const idle of this.#idle.splice(0)) if (idle.idleTimer) clearTimeout(idle.idleTimer);
    await Promise.all([...this.#workers].map((w) => w.terminate().catch(() => undefined)));
  }

  /**
   * Starts a worker ahead of a parse that is about to be asked for (an upload being received), so its thread start
   * and module load overlap the upload's staging and hashing instead of adding to them. It waits idle like a reused
   * worker (ended after `idleMs`). Nothing when a worker is idle already, when every slot has its thread, or while a
   * worker is still being ended (their heaps must not add up).
   */
  prewarm(): void {
    if (this.#closed || this.#idle.length > 0 || this.#ending.size > 0 || this.#workers.size >= this.#opts.concurrency) return;
    const pooled: PooledWorker = { worker: this.#spawn(null), parses: 0, idleTimer: null };
    this.stats.prewarmed++;
    this.#park(pooled, (this.#opts.reuse || DEFAULT_REUSE).idleMs);
  }

  #acquire(): Promise<void> {
    if (this.#closed) return Promise.reject(new PoolClosedError());
    if (this.#active < this.#opts.concurrency) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({
        start: () => {
          this.#active++;
          resolve();
        },
        cancel: reject,
      });
    });
  }

  #release(): void {
    this.#active--;
    const next = this.#waiting.shift();
    next?.start();
  }

  /** A fresh worker started on `job`, or an idle (reused or prewarmed) one sent `job`. */
  #workerFor(job: ParseJob): PooledWorker {
    const idle = this.#idle.pop();
    if (idle) {
      if (idle.idleTimer) clearTimeout(idle.idleTimer);
      idle.idleTimer = null;
      detach(idle.worker);
      idle.worker.ref();
      const msg: MainToWorker = { type: 'job', filePath: job.filePath, fileName: job.fileName };
      idle.worker.postMessage(msg);
      if (idle.parses > 0) this.stats.reused++;
      return idle;
    }
    return { worker: this.#spawn({ filePath: job.filePath, fileName: job.fileName }), parses: 0, idleTimer: null };
  }

  /** A new worker thread; `first`: the file it parses right away (null: it waits for a `job`). */
  #spawn(first: ParseWorkerData | null): Worker {
    const { maxHeapMb } = this.#opts;
    // Worker threads alive at once, those still being ended included: never more than `concurrency`.
    this.stats.peakThreads = Math.max(this.stats.peakThreads, this.#workers.size + this.#ending.size + 1);
    const worker = new Worker(this.#entry, {
      workerData: first,
      resourceLimits: parseWorkerResourceLimits(maxHeapMb),
    });
    this.stats.started++;
    this.#workers.add(worker);
    return worker;
  }

  /** After a successful parse: keep the worker for the next file while it is small, else terminate it. */
  #keepOrEnd(pooled: PooledWorker, memory: WorkerMemory | undefined): void {
    const { worker } = pooled;
    detach(worker);
    const reuse = this.#opts.reuse;
    pooled.parses++;
    const small =
      reuse !== false &&
      memory !== undefined &&
      pooled.parses < reuse.maxParses &&
      memory.wasmBytes + memory.heapBytes < reuse.maxMemoryMb * MIB;
    if (!small || this.#closed) {
      this.#end(worker);
      return;
    }
    this.#park(pooled, reuse.idleMs);
  }

  /** Keeps a worker idle for the next job; it is ended after `idleMs` without one, and forgotten if it dies. */
  #park(pooled: PooledWorker, idleMs: number): void {
    const { worker } = pooled;
    const drop = () => {
      const at = this.#idle.indexOf(pooled);
      if (at >= 0) this.#idle.splice(at, 1);
      if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
      this.#end(worker);
    };
    worker.on('error', drop);
    worker.on('exit', drop);
    pooled.idleTimer = setTimeout(drop, idleMs);
    pooled.idleTimer.unref();
    worker.unref();
    this.#idle.push(pooled);
  }

  #end(worker: Worker): void {
    this.#workers.delete(worker);
    detach(worker);
    worker.on('error', () => undefined); // a late 'error' of a worker being ended must not become an unhandled one
    const exited = worker.terminate().catch(() => undefined);
    this.#ending.add(exited);
    void exited.finally(() => this.#ending.delete(exited));
  }

  #run(job: ParseJob): Promise<ParsedFlight> {
    if (this.#closed) return Promise.reject(new PoolClosedError());
    const pooled = this.#workerFor(job);
    const { worker } = pooled;

    return new Promise<ParsedFlight>((resolve, reject) => {
      let settled = false;
      let remaining = this.#opts.timeoutMs;
      let since = Date.now();
      let timer: NodeJS.Timeout | null = null;
      let asksOpen = 0;

      const finish = (err: Error | null, flight?: ParsedFlight, memory?: WorkerMemory) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        if (err) this.#end(worker);
        else this.#keepOrEnd(pooled, memory);
        if (err) {
          this.stats.failed++;
          reject(err);
        } else {
          this.stats.succeeded++;
          resolve(flight!);
        }
      };
      const arm = () => {
        since = Date.now();
        timer = setTimeout(() => {
          this.stats.timedOut++;
          finish(new ParseTimeoutError(this.#opts.timeoutMs));
        }, Math.max(0, remaining));
      };
      const pause = () => {
        if (!timer) return;
        clearTimeout(timer);
        timer = null;
        remaining -= Date.now() - since;
      };
      arm();

      const answer = (msg: MainAnswer) => {
        if (!settled) worker.postMessage(msg);
      };

      worker.on('message', (msg: WorkerToMain) => {
        if (settled) return;
        switch (msg.type) {
          case 'result':
            finish(null, msg.flight, msg.memory);
            return;
          case 'error':
            finish(new RemoteParseError(msg.error));
            return;
          case 'ask': {
            // The clock stops while the worker waits for us (e.g. a keychain request to DJI).
            if (asksOpen++ === 0) pause();
            const handled: Promise<MainAnswer> =
              msg.kind === 'header'
                ? job.onHeader(msg.header).then((v) =>
                    v.proceed ? { type: 'answer', id: msg.id, ok: true } : { type: 'answer', id: msg.id, ok: false, message: v.reason },
                  )
                : job.getKeychains(msg.request, msg.header).then((keychains) => ({ type: 'answer', id: msg.id, ok: true, keychains }));
            handled
              .catch((err: unknown): MainAnswer => ({ type: 'answer', id: msg.id, ok: false, message: (err as Error)?.message ?? String(err) }))
              .then((a) => {
                if (--asksOpen === 0 && !settled) arm();
                answer(a);
              });
            return;
          }
        }
      });
      worker.on('error', (err: Error & { code?: string }) => {
        this.stats.crashed++;
        const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
        finish(new WorkerCrashError(oom ? 'the parser ran out of memory' : `the parse worker crashed: ${err.message}`, oom, { cause: err }));
      });
      worker.on('exit', (code) => {
        if (settled) return;
        this.stats.crashed++;
        finish(
          this.#closed ? new PoolClosedError() : new WorkerCrashError(`the parse worker exited (code ${code}) without an answer`, false),
        );
      });
    });
  }
}
