/**
 * Parse worker: reads a log file, parses it with @dronelog/flightlog and posts the flight back with its memory
 * figures. The first file comes in workerData (none for a worker started ahead of an upload), later ones as `job` messages: the pool reuses a worker for the next
 * file only while it is small, and terminates it otherwise (the WASM heap never shrinks) and after any failure.
 *
 * The header and keychain questions go to the main thread (duplicate check, keychain cache, DJI),
 * so this worker holds no database or network access. Typed telemetry columns are transferred, not copied. It imports
 * `@dronelog/flightlog/parse-only`, not the main entry: that one also loads smart tags and place look-ups (country-coder
 * rebuilds its data in every thread that imports it), which a parse does not use.
 */
import fs from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { FlightLogError, parseFlightLog, parserMemoryBytes, type Keychains, type ParsedFlight } from '@dronelog/flightlog/parse-only';
import type { MainAnswer, MainToWorker, ParseWorkerData, SerializedError, WorkerAsk, WorkerToMain } from './parse-protocol.js';

const port = parentPort;
if (!port) throw new Error('parse.worker must run in a worker thread');

let nextId = 1;
const waiting = new Map<number, (answer: MainAnswer) => void>();

port.on('message', (msg: MainToWorker) => {
  if (msg?.type === 'job') {
    run({ filePath: msg.filePath, fileName: msg.fileName });
    return;
  }
  if (msg?.type !== 'answer') return;
  const resolve = waiting.get(msg.id);
  waiting.delete(msg.id);
  resolve?.(msg);
});

type AskBody = WorkerAsk extends infer A ? (A extends WorkerAsk ? Omit<A, 'type' | 'id'> : never) : never;

function ask(body: AskBody): Promise<MainAnswer> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    post({ type: 'ask', id, ...body } as WorkerAsk);
  });
}

function post(msg: WorkerToMain, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

function serializeError(err: unknown): SerializedError {
  if (err instanceof FlightLogError) {
    return { name: err.name, message: err.message, code: err.code, ...(err.offset !== undefined ? { offset: err.offset } : {}) };
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(err) };
}

/** Distinct transferable buffers of the typed columns (a shared buffer must be listed once). */
function transferables(flight: ParsedFlight): ArrayBuffer[] {
  const t = flight.telemetry;
  const views: ArrayBufferView[] = [t.timeMs, t.isPhoto, t.isVideo, ...Object.values(t.numeric)];
  const buffers = new Set<ArrayBuffer>();
  for (const v of views) {
    if (v?.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
  }
  return [...buffers];
}

async function parse(data: ParseWorkerData): Promise<void> {
  const bytes = new Uint8Array(await fs.readFile(data.filePath));
  const flight = await parseFlightLog(bytes, {
    fileName: data.fileName,
    onHeader: async (header) => {
      const answer = await ask({ kind: 'header', header });
      if (!answer.ok) throw new Error(answer.message);
    },
    keyProvider: {
      getKeychains: async (request, header): Promise<Keychains> => {
        const answer = await ask({ kind: 'keychains', request, header });
        if (!answer.ok) throw new Error(answer.message);
        return answer.keychains ?? [];
      },
    },
  });
  const memory = { wasmBytes: await parserMemoryBytes(), heapBytes: getHeapStatistics().total_heap_size };
  try {
    post({ type: 'result', flight, memory }, transferables(flight));
  } catch {
    // A buffer that cannot be transferred (e.g. a view on WASM memory): copy instead.
    post({ type: 'result', flight, memory });
  }
}

function run(data: ParseWorkerData): void {
  parse(data).catch((err: unknown) => {
    post({ type: 'error', error: serializeError(err) });
  });
}

// A prewarmed worker (no first file) loads the WASM parser now and waits for its `job`.
const first = workerData as ParseWorkerData | null;
if (first) run(first);
else void parserMemoryBytes().catch(() => undefined);
