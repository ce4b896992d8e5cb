/**
 * Running out of memory in a cell, made clear and survivable.
 *
 * TF.js's wasm backend does not check `malloc`'s result: when its heap (at
 * most 4 GB) is full, `malloc` returns 0 and the tensor's bytes are copied
 * over the start of the heap, so every later tensor fails with "memory access
 * out of bounds". `guardWasmMemory` makes a failed allocation throw instead,
 * leaving the heap intact; `memoryAdvice` says what to do about an
 * allocation error.
 */
import type * as tf from '@tensorflow/tfjs';

/** The wasm backend's heap limit (a 32-bit wasm memory). */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;

/** A tensor the kernel could not allocate; the kernel and its other tensors are unharmed. */
export class OutOfMemoryError extends RangeError {
  override name = 'OutOfMemoryError';
}

/** Bytes in binary units, as "1.6 GB" / "12 MB" / "3 kB" (so the 4 GB limit reads as 4.0 GB). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.round(bytes / 1024)} kB`;
}

const DISPOSE_HINT = 'Dispose tensors you no longer need (tensor.dispose(), tf.tidy), or work in smaller batches.';

interface WasmModule {
  _malloc(bytes: number): number;
}

const guarded = new WeakSet<object>();

/**
 * Makes the current backend's failed allocations throw an `OutOfMemoryError`
 * that says how much was asked for and how much is in use. Does nothing on
 * backends other than wasm, and only once per wasm module.
 */
export function guardWasmMemory(tfjs: typeof tf): void {
  const wasm = (tfjs.backend() as unknown as { wasm?: WasmModule }).wasm;
  if (!wasm || typeof wasm._malloc !== 'function' || guarded.has(wasm)) return;
  guarded.add(wasm);
  // Emscripten replaces `Module._malloc` with the raw export on its first call: keep ours on top.
  let malloc = wasm._malloc;
  const checked = (bytes: number): number => {
    const pointer = malloc(bytes);
    if (pointer === 0 && bytes > 0) {
      const { numBytes, numTensors } = tfjs.memory();
      throw new OutOfMemoryError(
        `Out of memory: TensorFlow.js could not allocate ${formatBytes(bytes)} for a tensor ` +
          `(its wasm memory holds at most ${formatBytes(WASM_HEAP_BYTES)}; ${formatBytes(numBytes)} is in use by ${numTensors} tensors). ` +
          DISPOSE_HINT,
      );
    }
    return pointer;
  };
  Object.defineProperty(wasm, '_malloc', {
    configurable: true,
    get: () => checked,
    set: (replacement: typeof malloc) => {
      malloc = replacement;
    },
  });
}

/**
 * What to do about an error thrown by an allocation that cannot succeed, or
 * `undefined` for other errors: a typed array longer than JavaScript allows
 * (a 20 GB tensor), an ArrayBuffer the engine refused, or a wasm heap that
 * was damaged before the guard was in place.
 */
export function memoryAdvice(error: Error): string | undefined {
  const message = error.message;
  const length = /Invalid typed array length: (\d+)/.exec(message);
  if (length) {
    const values = Number(length[1]);
    return `Out of memory: the cell asked for a tensor or array of ${values.toLocaleString('en')} values (${formatBytes(values * 4)} as float32), more than the kernel can hold (at most ${formatBytes(WASM_HEAP_BYTES)} of tensors). ${DISPOSE_HINT}`;
  }
  if (/Array buffer allocation failed|Invalid array buffer length|Invalid array length/.test(message)) {
    return `Out of memory: the cell asked for more memory than the kernel can hold. ${DISPOSE_HINT}`;
  }
  if (/memory access out of bounds|Aborted\(OOM\)|Cannot enlarge memory|could not grow/i.test(message)) {
    return 'TensorFlow.js ran out of memory and its memory may be damaged. Restart the kernel, re-run the cells above, and keep tensors smaller.';
  }
  return undefined;
}
