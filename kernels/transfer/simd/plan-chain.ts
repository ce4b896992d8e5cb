/**
 * Turns a `ChainSpec` into a `ChainPlan`: where weights, input, the two
 * ping-pong activation buffers, per-thread im2col scratch and the output live
 * in one memory, and the kernel calls for a batch. Activations between steps
 * keep channels padded to a multiple of 8 (zeros), so kernels never handle
 * channel tails; the final pooling/flatten strips the padding.
 */
import type { ChainSpec, ConvStep, MaxPoolStep } from '../onnx/chain-spec.ts';
import { ACTIVATION_CODES } from './epilogue.ts';
import { GEMM_MR } from './gemm-kernel.ts';
import { packConv, packDepthwise, roundUp } from './pack-weights.ts';
import type { ChainPlan, KernelCall } from './types.ts';

const ALIGN = 64;

/** Options of `planChain`. */
export interface PlanOptions {
  /** Run 3×3 RGB layers with the direct `rgbconv` kernels (default true; false uses im2col + GEMM, for tests). */
  rgbConv?: boolean;
  /**
   * Pixels a thread claims at a time in multiples of, for `pointwise` calls (default `GEMM_MR`): only a call's
   * last chunk can end in a short tile (1–5 rows keep 2–10 accumulators, latency-bound at a fraction of the speed).
   * Measured on MobileNet 0.75's late layers (calls 18–27, batch 8, 2 threads, Chromium): median 251 → 273 img/s.
   */
  pointwiseGrain?: number;
}

/**
 * GEMM block rows: enough that a block's A rows (mb·K floats) stay within
 * ~256 KiB of L2 while each 8-channel B panel is reused mb/MR times from L1.
 * Measured on MobileNet 0.75 in Chromium: blocks much smaller than this lose
 * up to half the speed (driver overhead); larger ones a few percent.
 */
export function gemmBlockRows(k: number): number {
  return Math.max(GEMM_MR, Math.floor(262_144 / (4 * k) / GEMM_MR) * GEMM_MR);
}

/** What one step needs, independent of the batch size. */
type StepCall = (n: number, src: number, dst: number) => KernelCall;

/**
 * Lays out memory and prepares the calls. `maxBatch` ≥ 1 images per call,
 * `threads` ≥ 1 (each gets its own im2col scratch). Throws for steps the
 * kernels do not cover (e.g. depthwise other than 3×3 with multiplier 1).
 */
export function planChain(spec: ChainSpec, maxBatch: number, threads: number, options: PlanOptions = {}): ChainPlan {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`maxBatch must be a positive integer, got ${maxBatch}.`);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}.`);
  const grain = options.pointwiseGrain ?? GEMM_MR;
  let top = 0;
  const reserve = (bytes: number) => {
    const at = top;
    top = roundUp(top + bytes, ALIGN);
    return at;
  };
  const weights: ChainPlan['weights'] = [];
  const steps: StepCall[] = [];
  const size = spec.inputSize;
  let [h, w, c] = [size, size, 3]; // current map, c = stored channels
  let largest = 0; // floats of the largest padded activation per image
  let scratchPerThread = 0;
  // Filled in once all steps are known; the conv calls read it when made.
  const scratch = { base: 0, stride: 0 };

  for (const step of spec.steps) {
    const [inH, inW, inC] = [h, w, c];
    if (step.op === 'maxpool') {
      // The kernel reads 4 channels at a time; only the raw RGB input has fewer than 8 stored channels.
      if (inC % 4 !== 0) throw new Error(`Max pooling '${step.name}' on the ${inC}-channel input is not supported; put a convolution first.`);
      steps.push(maxPoolCall(step, inH, inW, inC));
      [h, w] = [step.out[0], step.out[1]];
    } else if (step.depthwise) {
      const data = packDepthwise(step, inC);
      const at = reserve(data.byteLength);
      weights.push({ offset: at, data });
      steps.push(depthwiseCall(step, at, inH, inW, inC));
      [h, w] = [step.out[0], step.out[1]];
    } else {
      const packed = packConv(step, inC);
      const at = reserve(packed.data.byteLength);
      weights.push({ offset: at, data: packed.data });
      const act = ACTIVATION_CODES[step.activation];
      const bias = at + packed.biasOffset * 4;
      const [kh, kw] = step.shape;
      const [outH, outW] = step.out;
      const mb = gemmBlockRows(packed.kp);
      const pointwise =
        kh === 1 && kw === 1 && step.strides[0] === 1 && step.strides[1] === 1 && step.pads.every((p) => p === 0) && inC % 8 === 0;
      const [sy, sx] = step.strides;
      const rgb = inC === 3 && kh === 3 && kw === 3 && sy === sx && (sy === 1 || sy === 2) && options.rgbConv !== false;
      if (rgb) {
        const [pt, pl] = step.pads;
        // Interior columns: ox·s − pl ≥ 0 and ox·s − pl + 3 ≤ inW.
        const oxLo = Math.min(outW, Math.ceil(pl / sx));
        const oxHi = Math.max(oxLo, Math.min(outW, Math.floor((inW - 3 + pl) / sx) + 1));
        steps.push((n, src, dst) => ({
          fn: `rgbconv${sx}`,
          args: [src, at, bias, dst, inH, inW, outH, outW, pt, pl, oxLo, oxHi, packed.np, act, step.alpha],
          rows: n * outH,
        }));
      } else if (pointwise) {
        steps.push((n, src, dst) => ({
          fn: 'pointwise',
          args: [src, at, bias, dst, packed.kp, packed.np, act, step.alpha, mb],
          rows: n * outH * outW,
          grain,
        }));
      } else {
        // Chunks of output rows with ~64K scratch floats (≤ 256 KiB, L2) per thread.
        const chunk = Math.max(1, Math.floor(65_536 / packed.kp / outW));
        scratchPerThread = Math.max(scratchPerThread, chunk * outW * packed.kp * 4 + 64); // + slack for im2col's 16-byte overrun
        const s = step;
        steps.push((n, src, dst) => ({
          fn: 'conv',
          args: [src, at, bias, dst, inH, inW, inC, outH, outW, kh, kw, s.strides[0], s.strides[1], s.pads[0], s.pads[1],
            packed.kp, packed.np, act, s.alpha, mb, scratch.base, scratch.stride, chunk],
          rows: n * outH,
        }));
      }
      [h, w, c] = [outH, outW, packed.np];
    }
    largest = Math.max(largest, h * w * c);
  }

  const outC = spec.steps.length ? spec.steps[spec.steps.length - 1].out[2] : 3;
  const featureDim = spec.pool ? outC : h * w * outC;
  if (featureDim !== spec.featureDim) throw new Error(`Chain '${spec.id}' ends in ${featureDim} features but says ${spec.featureDim}.`);
  const inputOffset = reserve(maxBatch * size * size * 3 * 4);
  const buffers = [reserve(maxBatch * largest * 4), reserve(maxBatch * largest * 4)];
  scratch.stride = roundUp(scratchPerThread, ALIGN);
  scratch.base = reserve(threads * scratch.stride);
  const outputOffset = reserve(maxBatch * featureDim * 4);
  const [finalH, finalW, finalC] = [h, w, c];

  return {
    memoryBytes: top,
    weights,
    inputOffset,
    outputOffset,
    maxBatch,
    featureDim,
    callsFor(n: number): KernelCall[] {
      if (!Number.isInteger(n) || n < 1 || n > maxBatch) throw new Error(`Batch size must be an integer from 1 to ${maxBatch}, got ${n}.`);
      const calls: KernelCall[] = [];
      let src = inputOffset;
      steps.forEach((make, i) => {
        const dst = buffers[i % 2];
        calls.push(make(n, src, dst));
        src = dst;
      });
      const pixels = finalH * finalW;
      calls.push(
        spec.pool
          ? { fn: 'avgpool', args: [src, outputOffset, pixels, finalC, outC, 1 / pixels], rows: n }
          : { fn: 'flatten', args: [src, outputOffset, pixels, finalC, outC], rows: n },
      );
      return calls;
    },
  };
}

function depthwiseCall(step: ConvStep, at: number, inH: number, inW: number, inC: number): StepCall {
  const [sy, sx] = step.strides;
  const [pt, pl] = step.pads;
  const [outH, outW] = step.out;
  // Interior columns: every tap inside the map, ox·sx − pl ≥ 0 and ox·sx − pl + 3 ≤ inW.
  const oxLo = Math.min(outW, Math.ceil(pl / sx));
  const oxHi = Math.max(oxLo, Math.min(outW, Math.floor((inW - 3 + pl) / sx) + 1));
  const act = ACTIVATION_CODES[step.activation];
  return (n, src, dst) => ({
    fn: 'depthwise',
    args: [src, at, dst, inH, inW, inC, outH, outW, sy, sx, pt, pl, oxLo, oxHi, act, step.alpha],
    rows: n * outH,
  });
}

function maxPoolCall(step: MaxPoolStep, inH: number, inW: number, inC: number): StepCall {
  const [outH, outW] = step.out;
  return (n, src, dst) => ({
    fn: 'maxpool',
    args: [src, dst, inH, inW, inC, outH, outW, step.size[0], step.size[1], step.strides[0], step.strides[1], step.pads[0], step.pads[1]],
    rows: n * outH,
  });
}
