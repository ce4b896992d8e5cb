/**
 * The kernel in a Node `worker_threads` worker (started by `node-kernel.ts`):
 * messages from the parent are validated and handed to the runtime; the
 * runtime's messages are posted back. PNGs are compressed with node:zlib.
 */
import { parentPort } from 'node:worker_threads';
import { deflateSync } from 'node:zlib';
import { errorMessage, validateMessage } from '../protocol/index.ts';
import { createRuntime } from '../runtime/index.ts';

const port = parentPort;
if (!port) throw new Error('kernels/host/node.ts runs inside a worker thread; start it with startNodeKernel().');

const runtime = createRuntime({ send: (message) => port.postMessage(message), deflate: (bytes) => deflateSync(bytes) });

port.on('message', (data: unknown) => {
  const checked = validateMessage(data);
  if (checked.ok) runtime.handle(checked.message);
  else port.postMessage(errorMessage({ ename: 'InvalidMessage', evalue: checked.error, traceback: [checked.error] }));
});

// A cell must not end the kernel's thread: say what to do instead.
process.exit = function exit(code?: number) {
  const error = new Error(`process.exit(${code ?? ''}) would stop the kernel and lose every variable. Use the notebook's Restart instead.`);
  Error.captureStackTrace(error, exit);
  throw error;
} as typeof process.exit;
// `close()` ends a worker in the page; a notebook written there says the same thing here, not "close is not defined".
Object.assign(globalThis, {
  close: function close() {
    throw new Error("close() would stop the kernel and lose every variable. Use the notebook's Restart instead.");
  },
});

await runtime.ready;
// The wasm backend's emscripten glue rethrows unhandled rejections (which would kill the thread);
// report them, and uncaught errors from timers, in the cell instead.
process.removeAllListeners('unhandledRejection');
process.removeAllListeners('uncaughtException');
process.on('unhandledRejection', (reason) => runtime.reportUncaught(reason));
process.on('uncaughtException', (error) => runtime.reportUncaught(error));
