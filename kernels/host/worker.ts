/**
 * The kernel in a module Web Worker (the page starts it with
 * `new Worker(new URL('…/kernels/host/worker.ts', import.meta.url), {type: 'module'})`):
 * messages from the page are validated and handed to the runtime; the
 * runtime's messages are posted back. The wasm backend's files are served by
 * Vite (their URLs come from `?url` imports).
 */
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import { errorMessage, validateMessage } from '../protocol/index.ts';
import { createRuntime } from '../runtime/index.ts';

/** The parts of DedicatedWorkerGlobalScope used here (the repo's tsconfig has DOM types, not WebWorker's). */
interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onunhandledrejection: ((event: PromiseRejectionEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  close(): void;
}

const scope = self as unknown as WorkerScope;
const post = scope.postMessage.bind(scope);

const runtime = createRuntime({
  send: (message) => post(message),
  wasmPaths: {
    'tfjs-backend-wasm.wasm': plainUrl,
    'tfjs-backend-wasm-simd.wasm': simdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedUrl,
  },
  // Every core: TF.js's default is half of them (1 thread on a 2-core laptop). Threads need
  // cross-origin isolation (the app's COOP/COEP headers); without it TF.js runs one thread.
  wasmThreads: (self as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated ? navigator.hardwareConcurrency : undefined,
});

scope.onmessage = (event: MessageEvent) => {
  const checked = validateMessage(event.data);
  if (checked.ok) runtime.handle(checked.message);
  else post(errorMessage({ ename: 'InvalidMessage', evalue: checked.error, traceback: [checked.error] }));
};
scope.onunhandledrejection = (event: PromiseRejectionEvent) => {
  event.preventDefault();
  runtime.reportUncaught(event.reason);
};
scope.onerror = (event: ErrorEvent) => {
  event.preventDefault();
  runtime.reportUncaught(event.error ?? new Error(event.message));
};
// A cell must not end the worker (it would die silently): say what to do instead.
scope.close = () => {
  throw new Error('close() would stop the kernel and lose every variable. Use the notebook\'s Restart instead.');
};
