/**
 * The reference of every import figure: the bare `dji-log-parser-js` parse of the same bytes, in a fresh worker
 * thread of a plain Node process (bench/ref/bare-parse-runner.mjs), like the API's throw-away parse worker.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadConfig } from '../../src/config/config.js';
import { parseWorkerResourceLimits } from '../../src/workers/parse-worker-pool.js';
import { paths } from './paths.js';

/** The API's parse-worker limits with its default settings: what our own parse runs under in the server. */
const API_WORKER_LIMITS = parseWorkerResourceLimits(loadConfig({}).parseWorkerMaxHeapMb);

export interface BareParse {
  /** `new Worker` → answer, ms (worker start, module load, file read, parse). */
  wallMs: number;
  /** `new DJILog(bytes)` + `frames()` only, ms. */
  parseMs: number;
  loadMs: number;
  frames: number;
  /** Peak RSS of the reference process during this parse, MiB. */
  peakMiB: number;
}

export class BareParser {
  #child: ChildProcess;
  #next = 1;
  #pending = new Map<number, { resolve: (r: BareParse) => void; reject: (e: Error) => void }>();

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (msg: { id?: number; ok?: boolean; error?: string } & Partial<BareParse>) => {
      const p = msg.id === undefined ? undefined : this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id!);
      if (msg.ok) p.resolve(msg as BareParse);
      else p.reject(new Error(msg.error ?? 'reference parse failed'));
    });
    child.on('exit', () => {
      for (const p of this.#pending.values()) p.reject(new Error('reference process exited'));
      this.#pending.clear();
    });
  }

  static async start(): Promise<BareParser> {
    // execArgv: [] — plain Node, without the tsx loader this benchmark runs under.
    const child = fork(paths.refRunner, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: paths.apiDir });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`reference process exited (code ${code})`)));
    });
    return new BareParser(child);
  }

  /**
   * `mode` 'bare' (the reference): `new DJILog(bytes).frames()`. 'flightlog': our `parseFlightLog()` of the same bytes
   * under the API worker's limits — not a reference, a breakdown: what the parse costs without the server around it.
   */
  parse(file: string, mode: 'bare' | 'flightlog' = 'bare'): Promise<BareParse> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, file, mode, ...(mode === 'flightlog' ? { resourceLimits: API_WORKER_LIMITS } : {}) });
    });
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.send({ type: 'exit' });
    await exited;
  }
}
