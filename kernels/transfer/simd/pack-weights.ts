/**
 * Packs a chain's folded weights into the layouts the kernels read with
 * static offsets and no channel tails (padding channels get zero weights and
 * zero bias, so padded activations stay exactly 0 through every activation).
 */
import type { ConvStep } from '../onnx/chain-spec.ts';

/** `n` rounded up to a multiple of `m`. */
export function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/** A full convolution's GEMM operand: `data` = panels then bias; `biasOffset` in floats. */
export interface PackedConv {
  data: Float32Array;
  /** GEMM depth: kh·kw·storedC rounded up to 4 (the GEMM unrolls K by 4; 27 → 28 for the RGB layer). */
  kp: number;
  /** Output channels rounded up to 8 (the stored channel count of the output). */
  np: number;
  biasOffset: number;
}

/**
 * B[K×N] as [Np/8][Kp][8] panels (row k = (ky·kw + kx)·storedC + c, the order
 * im2col and a 1×1 pointwise read the input in), then the bias padded to Np.
 * `storedC` ≥ inC is the input's channel count in memory (padding channels read as 0).
 */
export function packConv(step: ConvStep, storedC: number): PackedConv {
  const [kh, kw, inC, outC] = step.shape;
  if (storedC < inC) throw new Error(`Layer '${step.name}': input stored with ${storedC} channels but the kernel expects ${inC}.`);
  const kp = roundUp(kh * kw * storedC, 4);
  const np = roundUp(outC, 8);
  const data = new Float32Array(np * kp + np);
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let c = 0; c < inC; c++) {
        const k = (ky * kw + kx) * storedC + c;
        const src = ((ky * kw + kx) * inC + c) * outC;
        for (let o = 0; o < outC; o++) data[((o >> 3) * kp + k) * 8 + (o & 7)] = step.kernel[src + o];
      }
    }
  }
  data.set(step.bias, np * kp);
  return { data, kp, np, biasOffset: np * kp };
}

/** A 3×3 depthwise kernel as [C/8][10][8]: 9 taps then the bias per 8-channel block; C = `storedC` (multiple of 8). */
export function packDepthwise(step: ConvStep, storedC: number): Float32Array {
  const [kh, kw, inC, mult] = step.shape;
  if (kh !== 3 || kw !== 3 || mult !== 1) {
    throw new Error(`Layer '${step.name}': only 3×3 depthwise convolutions with multiplier 1 are supported, got ${kh}×${kw}×${mult}.`);
  }
  if (storedC % 8 !== 0 || storedC < inC) throw new Error(`Layer '${step.name}': depthwise input needs channels padded to 8, got ${storedC}.`);
  const data = new Float32Array((storedC / 8) * 80);
  for (let c = 0; c < inC; c++) {
    const base = (c >> 3) * 80 + (c & 7);
    for (let t = 0; t < 9; t++) data[base + t * 8] = step.kernel[t * inC + c];
    data[base + 72] = step.bias[c];
  }
  return data;
}
