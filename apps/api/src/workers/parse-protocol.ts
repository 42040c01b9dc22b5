/**
 * Messages between the main thread and a parse worker (structured clone over the worker's port).
 *
 * main → worker (workerData): which file to parse first (null: started ahead of a parse, wait for a `job`); a `job` message for each later file of a reused worker.
 * worker → main: `ask` (header verdict, keychains), then exactly one `result` or `error` per file.
 * main → worker: `answer` to each `ask`.
 */
import type { KeychainRequest, Keychains, LogHeader, ParsedFlight } from '@dronelog/flightlog';

export interface ParseWorkerData {
  /** Absolute path of the file to parse; the worker reads it so the main thread never holds the bytes. */
  filePath: string;
  /** Original file name, passed to the parser for hints only (never used as a path). */
  fileName: string;
}

export type WorkerAsk =
  | { type: 'ask'; id: number; kind: 'header'; header: LogHeader }
  | { type: 'ask'; id: number; kind: 'keychains'; request: KeychainRequest; header: LogHeader };

export interface SerializedError {
  name: string;
  message: string;
  /** FlightLogError code when the error is one. */
  code?: string;
  offset?: number;
}

/** Memory of the worker right after a parse, for the pool's decision to reuse it. */
export interface WorkerMemory {
  /** WASM parser memory (never shrinks). */
  wasmBytes: number;
  /** V8 heap of the worker (total, incl. garbage not collected yet). */
  heapBytes: number;
}

export type MainToWorker = MainAnswer | ({ type: 'job' } & ParseWorkerData);

export type WorkerToMain =
  | WorkerAsk
  | { type: 'result'; flight: ParsedFlight; memory: WorkerMemory }
  | { type: 'error'; error: SerializedError };

export type MainAnswer =
  | { type: 'answer'; id: number; ok: true; keychains?: Keychains }
  | { type: 'answer'; id: number; ok: false; message: string };

/** What the main thread decides once it has seen a header. */
export type HeaderVerdict = { proceed: true } | { proceed: false; reason: string };
