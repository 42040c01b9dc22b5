/**
 * The real API as a child process (`node apps/api/dist/server.js`), as a container would run it: its own port,
 * a temp DATA_DIR, NODE_OPTIONS with a heap limit, and its memory read from /proc/<pid>/status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { sleep } from './stats.js';
import { paths } from './paths.js';

export interface ServerOptions {
  dataDir: string;
  /** V8 old-space limit of the server (NODE_OPTIONS=--max-old-space-size=N), MiB. */
  maxOldSpaceMb: number;
  /** Built web app to serve, or null for the API only. */
  webDir?: string | null;
  /** Extra environment (SYNC_LOGS_PATH, …). */
  env?: Record<string, string>;
  /** Extra node flags before the script (e.g. --cpu-prof while investigating). */
  nodeArgs?: string[];
  /** How long start-up may take (a large database opens slower). */
  startTimeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (bound and released; fine for a benchmark on one machine). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * VmRSS / VmHWM of a process in MiB, and RssAnon: its anonymous part (heaps, WASM memory, DuckDB's buffers) — the
 * rest is file pages (the node binary, libduckdb) that the kernel can drop and re-read under pressure. NaN when the
 * process is gone.
 */
export function procMemory(pid: number): { rssMiB: number; hwmMiB: number; anonMiB: number } {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024, anonMiB: kb('RssAnon') / 1024 };
  } catch {
    return { rssMiB: Number.NaN, hwmMiB: Number.NaN, anonMiB: Number.NaN };
  }
}

/**
 * The malloc settings of the Docker image (`ENV MALLOC_…=` in the root Dockerfile), so the benchmark runs the server
 * with the allocator behaviour production has.
 */
export function imageMallocEnv(): Record<string, string> {
  const dockerfile = fs.readFileSync(path.join(paths.repo, 'Dockerfile'), 'utf8');
  return Object.fromEntries([...dockerfile.matchAll(/\b(MALLOC_[A-Z_]+_?)=(\d+)\b/g)].map((m) => [m[1]!, m[2]!]));
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0, own processes); false when not possible. */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; the peak also takes VmHWM into account. */
export function sampleRss(pid: number, everyMs = 20): { stop(): { peakMiB: number; peakAnonMiB: number; samples: number } } {
  let peak = 0;
  let peakAnon = 0;
  let samples = 0;
  const timer = setInterval(() => {
    const m = procMemory(pid);
    if (Number.isFinite(m.rssMiB)) {
      peak = Math.max(peak, m.rssMiB);
      peakAnon = Math.max(peakAnon, m.anonMiB);
      samples++;
    }
  }, everyMs);
  // Sampling never keeps the benchmark alive (a section that throws may not reach stop()).
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const m = procMemory(pid);
      return { peakMiB: Math.max(peak, Number.isFinite(m.hwmMiB) ? m.hwmMiB : 0), peakAnonMiB: peakAnon, samples };
    },
  };
}

/**
 * What the server says it holds (its `/metrics`): DuckDB's own accounting (`duckdb_memory()`: mostly its cache of the
 * file's blocks, bounded by memory_limit) and V8's heap and external memory of the main thread. NaN when not readable.
 */
export async function serverMemoryParts(url: string): Promise<{ duckdbMiB: number; heapTotalMiB: number; externalMiB: number }> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const sumOf = (re: RegExp) => [...text.matchAll(re)].reduce((total, m) => total + Number(m[1]), 0) / 1048576;
    return {
      duckdbMiB: sumOf(/^dronelog_duckdb_memory_bytes\{[^}]*\}\s+(\S+)$/gm),
      heapTotalMiB: sumOf(/^nodejs_heap_size_total_bytes\s+(\S+)$/gm),
      externalMiB: sumOf(/^nodejs_external_memory_bytes\s+(\S+)$/gm),
    };
  } catch {
    return { duckdbMiB: Number.NaN, heapTotalMiB: Number.NaN, externalMiB: Number.NaN };
  }
}

export class ApiServer {
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  #child: ChildProcess;
  #exit: Promise<number | null>;
  #exited = false;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  private constructor(child: ChildProcess, url: string, logFile: string) {
    this.#child = child;
    this.url = url;
    this.pid = child.pid!;
    this.logFile = logFile;
    this.#exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exited = true;
        this.exitCode = code;
        this.exitSignal = signal;
        resolve(code);
      });
    });
  }

  static async start(opts: ServerOptions): Promise<ApiServer> {
    if (!fs.existsSync(paths.serverJs)) {
      throw new Error(`${paths.serverJs} is missing: run \`pnpm build\` first (the benchmark runs the built server, as production does).`);
    }
    await fsp.mkdir(opts.dataDir, { recursive: true });
    const port = await freePort();
    const env: Record<string, string> = {};
    // A clean environment: nothing from the caller's shell changes what is measured (no SYNC_*, DJI_*, …).
    for (const k of ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG']) if (process.env[k]) env[k] = process.env[k]!;
    Object.assign(env, {
      NODE_ENV: 'production',
      NODE_OPTIONS: `--max-old-space-size=${opts.maxOldSpaceMb}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: opts.dataDir,
      WEB_DIR: opts.webDir ?? 'off',
      LOG_LEVEL: 'warn',
      DJI_API_KEY: '',
      // The benchmark sends more than 120 uploads a minute from one client; the limit would answer 429.
      RATE_LIMIT_IMPORTS: '0',
      ...imageMallocEnv(),
      ...opts.env,
    });
    const logFile = path.join(opts.dataDir, 'bench-server.log');
    const out = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), paths.serverJs], { env, stdio: ['ignore', out, out], cwd: paths.repo });
    fs.closeSync(out);
    const server = new ApiServer(child, `http://127.0.0.1:${port}`, logFile);
    await server.#waitReady(opts.startTimeoutMs ?? 120_000);
    return server;
  }

  async #waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.#exited) throw new Error(`the API exited during start-up (code ${this.exitCode}); see ${this.logFile}:\n${this.tail()}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    await this.stop();
    throw new Error(`the API did not become ready within ${timeoutMs} ms; see ${this.logFile}`);
  }

  get alive(): boolean {
    return !this.#exited;
  }

  memory(): { rssMiB: number; hwmMiB: number } {
    return procMemory(this.pid);
  }

  resetPeak(): boolean {
    return resetPeak(this.pid);
  }

  /** The last lines of the server's log (for error messages). */
  tail(lines = 20): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** SIGTERM (graceful close: DuckDB checkpoint, workers), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    if (this.#exited) return;
    this.#child.kill('SIGTERM');
    const killer = setTimeout(() => this.#child.kill('SIGKILL'), 30_000);
    await this.#exit;
    clearTimeout(killer);
  }
}
