// A stand-in parse worker for pipeline tests: misbehaves as its "file name" says.
import { parentPort, workerData } from 'node:worker_threads';

const mode = workerData.fileName;
switch (mode) {
  case 'hang':
    setInterval(() => {}, 1000);
    break;
  case 'exit':
    process.exit(7);
    break;
  case 'throw-uncaught':
    setTimeout(() => {
      throw new WebAssembly.RuntimeError('unreachable');
    });
    break;
  case 'post-panic':
    parentPort.postMessage({ type: 'error', error: { name: 'RuntimeError', message: 'unreachable' } });
    break;
  case 'slow-main-then-hang': {
    // Asks the main thread (which answers slowly), then does nothing: the wait must not count as parse time.
    parentPort.on('message', (m) => {
      if (m.type === 'answer') parentPort.postMessage({ type: 'error', error: { name: 'Error', message: 'answered', code: 'test-answered' } });
    });
    parentPort.postMessage({ type: 'ask', id: 1, kind: 'header', header: { version: 14 } });
    break;
  }
  default:
    parentPort.postMessage({ type: 'error', error: { name: 'Error', message: `unknown mode ${mode}` } });
}
