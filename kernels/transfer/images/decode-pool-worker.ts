/**
 * A decode-pool thread (Node worker_threads; started by `decode-pool.ts`):
 * answers `{id, bytes, fit}` with `decodeImage(bytes, fit)` — the very code
 * the main thread would run (sharp, then the shared resampler), so pixels
 * are the same — as `{id, raw}` with its bytes transferred (with `range`:
 * `{id, pixels}`, float32 scaled by `rawImagesToPixels`), or `{id, error}`
 * with the decoder's message.
 */
import type { MessagePort } from 'node:worker_threads';
import { importNode } from '../env.ts';
import type { InputRange } from '../types.ts';
import { decodeImage } from './decode.ts';
import { rawImagesToPixels } from './pixel-batch.ts';
import type { FitSpec, RawImage } from './raw-image.ts';

interface Task {
  id: number;
  bytes: Uint8Array;
  fit?: FitSpec;
  /** When given, answer with the pixels scaled onto this range as float32 (`rawImagesToPixels`). */
  range?: InputRange;
}

const { parentPort } = await importNode<{ parentPort: MessagePort | null }>('node:worker_threads');
const port = parentPort!;

/** The pixels in an ArrayBuffer of their own, so they can be transferred (not copied) back. */
function owned(raw: RawImage): RawImage {
  const d = raw.data;
  if (d.byteOffset === 0 && d.byteLength === d.buffer.byteLength && d.buffer instanceof ArrayBuffer) return raw;
  return { ...raw, data: d.slice() };
}

port.on('message', async (task: Task) => {
  try {
    const decoded = await decodeImage(task.bytes, task.fit);
    if (task.range) {
      const pixels = rawImagesToPixels([decoded], task.range);
      port.postMessage({ id: task.id, pixels }, [pixels.buffer as ArrayBuffer]);
      return;
    }
    const raw = owned(decoded);
    port.postMessage({ id: task.id, raw }, [raw.data.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: task.id, error: (error as Error).message ?? String(error) });
  }
});
port.postMessage({ ready: true });
