import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Backends the library knows how to pick. */
export type BackendName = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

let chosen: BackendName = 'wasm';
let pending: Promise<string> | undefined;

/**
 * Makes sure tf.js runs on the library's backend and returns its name.
 *
 * Default: `wasm` in Node and the page (the `cpu` backend is ~50× slower;
 * WebGL without a real GPU is slower too). Pass `preferred` once (e.g.
 * `'webgl'` on a machine with a GPU) and later calls keep it. Falls back to
 * `cpu` with a console warning only when the backend cannot start.
 */
export function ensureBackend(preferred?: BackendName): Promise<string> {
  if (preferred && preferred !== chosen) {
    chosen = preferred;
    pending = undefined;
  }
  if (pending && tf.getBackend() === chosen) return pending;
  pending = switchTo(chosen);
  return pending;
}

async function switchTo(name: BackendName): Promise<string> {
  if (tf.getBackend() === name) return name;
  try {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
    await tf.ready();
    return name;
  } catch (error) {
    if (name === 'cpu') throw error;
    console.warn(`tailor: backend '${name}' failed to start (${String(error)}); using 'cpu', which is much slower.`);
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  }
}
