/**
 * The GEMM at the heart of every full convolution: out[M×N] = act(A[M×K]·B[K×N] + bias),
 * A row-major (pixels × input channels, or an im2col block), B packed by
 * `packConv` as [N/8][K][8] so one 8-channel panel is contiguous. N is a
 * multiple of 8 and K of 4 (zero-padded), so there are no channel tails.
 *
 * The microkernel keeps MR×8 outputs in 2·MR v128 accumulators (V8 on x64 has
 * 16 xmm registers: MR = 6 uses 12 + 2 for B + 1 splat), broadcasts one A value
 * per row with `v128.load32_splat`, and unrolls K by 4 with static offsets.
 */
import { ACTIVATION_CODES, activationTemp, emitActivation } from './epilogue.ts';
import { F32, FunctionBuilder, I32, ModuleBuilder, V128 } from './wasm-emitter.ts';

export { ACTIVATION_CODES };

/**
 * Pixels per microkernel tile. Measured on MobileNet 0.75's pointwise layers
 * in Chromium 156 (best of 15): MR 6 ≈ MR 5, MR 4 15–25 % slower; Node 20 the same within noise.
 */
export const GEMM_MR = 6;
const UNROLL = 4;

/**
 * `micro(a, lda, b, K, bias, out, ldo, act, alpha)`: mr rows × 8 channels,
 * all byte pointers/strides; K floats (multiple of 4).
 */
function microKernel(mr: number, relaxed: boolean): FunctionBuilder {
  const f = new FunctionBuilder(undefined, [I32, I32, I32, I32, I32, I32, I32, I32, F32]);
  const [a, lda, b, K, bias, out, ldo, act, alpha] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const rows = Array.from({ length: mr }, (_, r) => (r === 0 ? a : f.local(I32)));
  const bEnd = f.local(I32);
  const acc = Array.from({ length: mr }, () => [f.local(V128), f.local(V128)]);
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const s = f.local(V128);
  const tmp = activationTemp(f);
  for (let r = 1; r < mr; r++) f.get(rows[r - 1]).get(lda).add().set(rows[r]);
  f.get(bias).v128Load(0).set(acc[0][0]).get(bias).v128Load(16).set(acc[0][1]);
  for (let r = 1; r < mr; r++) f.get(acc[0][0]).set(acc[r][0]).get(acc[0][1]).set(acc[r][1]);
  f.get(b).get(K).i32(32).mul().add().set(bEnd);
  f.doWhile(
    () => {
      for (let u = 0; u < UNROLL; u++) {
        f.get(b).v128Load(u * 32).set(b0).get(b).v128Load(u * 32 + 16).set(b1);
        for (let r = 0; r < mr; r++) {
          f.get(rows[r]).load32Splat(u * 4).set(s);
          for (const [h, bv] of [[0, b0], [1, b1]] as const) {
            if (relaxed) f.get(s).get(bv).get(acc[r][h]).simd('f32x4RelaxedMadd').set(acc[r][h]);
            else f.get(acc[r][h]).get(s).get(bv).simd('f32x4Mul').simd('f32x4Add').set(acc[r][h]);
          }
        }
      }
      for (let r = 0; r < mr; r++) f.inc(rows[r], UNROLL * 4);
      f.inc(b, UNROLL * 32);
    },
    () => f.get(b).get(bEnd).ltU(),
  );
  emitActivation(f, acc.flat(), act, alpha, tmp);
  for (let r = 0; r < mr; r++) {
    f.get(out).get(acc[r][0]).v128Store(0).get(out).get(acc[r][1]).v128Store(16);
    if (r < mr - 1) f.incBy(out, ldo);
  }
  return f;
}

/**
 * Internal `gemm(a, lda, b, bias, out, ldo, K, N, act, alpha, m0, m1, mb)`:
 * rows m0…m1 of A (row m at a + m·lda) into out (row m at out + m·ldo), in
 * blocks of `mb` rows; inside a block, panel by panel so the B panel (K·32
 * bytes) stays in L1 while the block's A rows (from L2) are reused N/8 times.
 */
function gemmDriver(mr: number, micros: number[]): FunctionBuilder {
  const f = new FunctionBuilder(undefined, [I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, I32, I32, I32]);
  const [a, lda, b, bias, out, ldo, K, N, act, alpha, m0, m1, mb] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const ms = f.local(I32);
  const me = f.local(I32);
  const j = f.local(I32);
  const m = f.local(I32);
  const bp = f.local(I32);
  const callMicro = (fn: number) => {
    f.get(a).get(m).get(lda).mul().add().get(lda).get(bp).get(K).get(bias).get(j).i32(4).mul().add();
    f.get(out).get(m).get(ldo).mul().add().get(j).i32(4).mul().add().get(ldo).get(act).get(alpha).call(fn);
  };
  f.forLoop(ms, () => f.get(m0), () => f.get(m1), () => f.get(mb), () => {
    // me = min(ms + mb, m1)
    f.get(ms).get(mb).add().tee(me).get(m1).get(me).get(m1).ltS().emit(0x1b).set(me);
    f.forLoop(j, () => f.i32(0), () => f.get(N), 8, () => {
      f.get(b).get(j).get(K).mul().i32(4).mul().add().set(bp);
      f.forLoop(m, () => f.get(ms), () => f.get(me).i32(mr - 1).sub(), mr, () => callMicro(micros[mr]));
      // the 1…mr−1 rows left: one call of the microkernel of that height
      for (let t = 1; t < mr; t++) f.get(me).get(m).sub().i32(t).eq().if(() => callMicro(micros[t]));
    });
  });
  return f;
}

/** Adds the microkernels (`mr` pixels, and 1…mr−1 for tails) and the driver; returns the driver's function index. */
export function addGemm(mod: ModuleBuilder, relaxed: boolean, mr = GEMM_MR): number {
  const micros = [-1];
  for (let t = 1; t <= mr; t++) micros.push(mod.add(microKernel(t, relaxed)));
  return mod.add(gemmDriver(mr, micros));
}

/**
 * Export `pointwise(a, b, bias, out, K, N, act, alpha, mb, rowStart, rowEnd, thread)`:
 * a 1×1 stride-1 convolution as a direct GEMM; rows are pixels (n·h·w).
 */
export function addPointwise(mod: ModuleBuilder, gemm: number): void {
  const f = new FunctionBuilder('pointwise', [I32, I32, I32, I32, I32, I32, I32, F32, I32, I32, I32, I32]);
  const [a, b, bias, out, K, N, act, alpha, mb, r0, r1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  f.get(a).get(K).i32(4).mul().get(b).get(bias).get(out).get(N).i32(4).mul();
  f.get(K).get(N).get(act).get(alpha).get(r0).get(r1).get(mb).call(gemm);
  mod.add(f);
}
