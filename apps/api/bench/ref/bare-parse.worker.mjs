// The physical floor of an import: read the file and decode every frame with dji-log-parser-js, nothing else.
// One fresh worker per file, like the API's parse worker (apps/api/src/workers/parse.worker.ts).
// mode 'flightlog': the same, through our own parse (`parseFlightLog`: decode, extraction to columns, battery records,
// normalisation) — what the API's worker does without the server around it, to show where an import's time goes.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const t0 = performance.now();
const bytes = new Uint8Array(fs.readFileSync(workerData.file));
if (workerData.mode === 'flightlog') {
  const { parseFlightLog } = await import('@dronelog/flightlog/parse-only');
  const t1 = performance.now();
  const flight = await parseFlightLog(bytes);
  const t2 = performance.now();
  parentPort.postMessage({ frames: flight.telemetry.length, loadMs: t1 - t0, parseMs: t2 - t1 });
} else {
  const { DJILog } = await import('dji-log-parser-js');
  const t1 = performance.now();
  const log = new DJILog(bytes);
  const frames = log.frames();
  const t2 = performance.now();
  const count = frames.length;
  log.free();
  parentPort.postMessage({ frames: count, loadMs: t1 - t0, parseMs: t2 - t1 });
}
