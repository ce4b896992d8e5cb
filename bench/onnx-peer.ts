import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import { takePixels, type ParityInputs } from './inputs.ts';
import type { Runner } from './node-runners.ts';
import { maxAbsDiff, timedCalls } from './timing.ts';

/** ONNX Runtime's own figure: the PyTorch port exported by torch.onnx.export (NCHW), default session options. */
export async function onnxRuntimePeer(onnxFile: string, inputs: ParityInputs): Promise<Runner> {
  const session = await ort.InferenceSession.create(onnxFile, { logSeverityLevel: 3 });
  const size = inputs.batch.shape[1];
  const nchw = (n: number): ort.Tensor => {
    const nhwc = takePixels(inputs, n);
    const out = new Float32Array(nhwc.length);
    const plane = size * size;
    for (let i = 0; i < n; i++) for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[i * 3 * plane + c * plane + p] = nhwc[(i * plane + p) * 3 + c];
    return new ort.Tensor('float32', out, [n, 3, size, size]);
  };
  const all = nchw(inputs.batch.shape[0]);
  const result = await session.run({ input: all });
  const parity = maxAbsDiff(result.features.data as Float32Array, inputs.expected);
  return {
    info: { runner: 'onnxruntime', tailor: false, threads: os.availableParallelism(), ceiling: 'native', details: `onnxruntime-node ${ort.env.versions.common}, torch.onnx.export of the PyTorch port (NCHW), default session options` },
    parity,
    async prepare(batch) {
      const x = nchw(batch);
      return timedCalls(async () => {
        const out = await session.run({ input: x });
        out.features.dispose();
      });
    },
    dispose: () => session.release(),
  };
}
