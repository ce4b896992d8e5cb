/**
 * Gradient kernels the tf.js 4.22 wasm backend lacks, written in plain JS
 * over the backend's memory: `Conv2DBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropFilter` and `…BackpropInput`. Without them
 * fine-tuning a conv layer fails on wasm, and the cpu backend's version of
 * the first takes ~30 s per MobileNet step (measured); these take well under
 * a second. Channels-last (NHWC) only, as tf.layers uses.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmLike {
  readSync(dataId: object): Float32Array;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

type Attrs = Record<string, unknown>;
type Info = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

function convInfo(xShape: number[], filterShape: number[], attrs: Attrs, depthwise: boolean): Info {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    (attrs.dilations as [number, number] | undefined) ?? 1,
    attrs.pad as 'same' | 'valid',
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    depthwise,
  );
}

/** Calls `visit(b, oh, ow, fh, fw, ih, iw)` for every output position and filter tap inside the input. */
function forEachTap(c: Info, visit: (b: number, oh: number, ow: number, fh: number, fw: number, ih: number, iw: number) => void): void {
  for (let b = 0; b < c.batchSize; b++)
    for (let oh = 0; oh < c.outHeight; oh++)
      for (let ow = 0; ow < c.outWidth; ow++)
        for (let fh = 0; fh < c.filterHeight; fh++) {
          const ih = oh * c.strideHeight - c.padInfo.top + fh * c.dilationHeight;
          if (ih < 0 || ih >= c.inHeight) continue;
          for (let fw = 0; fw < c.filterWidth; fw++) {
            const iw = ow * c.strideWidth - c.padInfo.left + fw * c.dilationWidth;
            if (iw >= 0 && iw < c.inWidth) visit(b, oh, ow, fh, fw, ih, iw);
          }
        }
}

function output(backend: WasmLike, shape: number[], values: Float32Array): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  backend.typedArrayFromHeap(out).set(values);
  return out;
}

const conv2dBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const w = backend as unknown as WasmLike;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const filterShape = (attrs as Attrs).filterShape as number[];
  const c = convInfo(x.shape, filterShape, { ...(attrs as Attrs), dilations: 1 }, false);
  const xv = w.readSync(x.dataId);
  const dyv = w.readSync(dy.dataId);
  const ci = c.inChannels;
  const co = c.outChannels;
  const dW = new Float32Array(filterShape.reduce((a, b) => a * b, 1));
  forEachTap(c, (b, oh, ow, fh, fw, ih, iw) => {
    const xOff = ((b * c.inHeight + ih) * c.inWidth + iw) * ci;
    const dyOff = ((b * c.outHeight + oh) * c.outWidth + ow) * co;
    const wOff = (fh * c.filterWidth + fw) * ci * co;
    for (let i = 0; i < ci; i++) {
      const v = xv[xOff + i];
      if (v === 0) continue;
      const base = wOff + i * co;
      for (let o = 0; o < co; o++) dW[base + o] += v * dyv[dyOff + o];
    }
  });
  return output(w, filterShape, dW);
};

const depthwiseBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const w = backend as unknown as WasmLike;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const filterShape = (attrs as Attrs).filterShape as number[];
  const c = convInfo(x.shape, filterShape, attrs as Attrs, true);
  const xv = w.readSync(x.dataId);
  const dyv = w.readSync(dy.dataId);
  const ci = c.inChannels;
  const m = c.outChannels / ci;
  const dW = new Float32Array(filterShape.reduce((a, b) => a * b, 1));
  forEachTap(c, (b, oh, ow, fh, fw, ih, iw) => {
    const xOff = ((b * c.inHeight + ih) * c.inWidth + iw) * ci;
    const dyOff = ((b * c.outHeight + oh) * c.outWidth + ow) * ci * m;
    const wOff = (fh * c.filterWidth + fw) * ci * m;
    for (let i = 0; i < ci * m; i++) dW[wOff + i] += xv[xOff + Math.floor(i / m)] * dyv[dyOff + i];
  });
  return output(w, filterShape, dW);
};

const depthwiseBackpropInput: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const w = backend as unknown as WasmLike;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const inputShape = (attrs as Attrs).inputShape as number[];
  const c = convInfo(inputShape, filter.shape, attrs as Attrs, true);
  const fv = w.readSync(filter.dataId);
  const dyv = w.readSync(dy.dataId);
  const ci = c.inChannels;
  const m = c.outChannels / ci;
  const dx = new Float32Array(inputShape.reduce((a, b) => a * b, 1));
  forEachTap(c, (b, oh, ow, fh, fw, ih, iw) => {
    const xOff = ((b * c.inHeight + ih) * c.inWidth + iw) * ci;
    const dyOff = ((b * c.outHeight + oh) * c.outWidth + ow) * ci * m;
    const wOff = (fh * c.filterWidth + fw) * ci * m;
    for (let i = 0; i < ci * m; i++) dx[xOff + Math.floor(i / m)] += fv[wOff + i] * dyv[dyOff + i];
  });
  return output(w, inputShape, dx);
};

const kernels: [string, tf.KernelFunc][] = [
  ['Conv2DBackpropFilter', conv2dBackpropFilter],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput],
];

const supplied: string[] = [];

/** Registers the kernels the wasm backend lacks; returns every name Tailor supplies (now or earlier). */
export function registerWasmGradientKernels(): string[] {
  const present = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  for (const [kernelName, kernelFunc] of kernels) {
    if (present.has(kernelName)) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    supplied.push(kernelName);
  }
  return [...supplied];
}
