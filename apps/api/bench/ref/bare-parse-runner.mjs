// Reference process for the import benchmark, plain Node (no tsx), forked by bench/lib/bare-parse.ts.
// For each request { id, file, mode, resourceLimits? } it starts a FRESH worker (bare-parse.worker.mjs), waits for its answer,
// terminates it and replies { id, wallMs, parseMs, loadMs, frames, peakMiB } — wall time from `new Worker`
// to the answer, as the API's pool measures a parse; peakMiB is this process's VmHWM during that parse.
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

const workerUrl = new URL('./bare-parse.worker.mjs', import.meta.url);

function hwmMiB() {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function resetPeak() {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not on Linux: the peak is then the process's lifetime peak
  }
}

// `resourceLimits`: our own parse gets the API's parse-worker limits (sent by bench/lib/bare-parse.ts), so its time
// is what the API's worker pays; the bare parse runs with Node's defaults.
async function parseOnce(file, mode, resourceLimits) {
  resetPeak();
  const started = performance.now();
  const worker = new Worker(workerUrl, { workerData: { file, mode }, ...(resourceLimits ? { resourceLimits } : {}) });
  try {
    const answer = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`reference worker exited with code ${code}`)));
    });
    return { ...answer, wallMs: performance.now() - started, peakMiB: hwmMiB() };
  } finally {
    await worker.terminate();
  }
}

process.on('message', (msg) => {
  if (msg?.type === 'exit') process.exit(0);
  parseOnce(msg.file, msg.mode ?? 'bare', msg.resourceLimits).then(
    (r) => process.send({ id: msg.id, ok: true, ...r }),
    (err) => process.send({ id: msg.id, ok: false, error: String(err?.message ?? err) }),
  );
});
process.send({ type: 'ready' });
