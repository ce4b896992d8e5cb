import type { FunctionBuilder } from './wasm-emitter.ts';
import { V128 } from './wasm-emitter.ts';

/** Activation codes the kernels take as an i32 argument (`ACTIVATION_CODES[step.activation]`). */
export const ACTIVATION_CODES = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3 } as const;

/**
 * Applies the activation (code in local `act`, LeakyReLU slope in f32 local
 * `alpha`) to the v128 locals `accs` in place. Branches once per tile, outside
 * the inner loops. `pmax`/`pmin` lower to one maxps/minps (no NaN fix-up);
 * LeakyReLU is max(x, αx), exact for 0 ≤ α ≤ 1.
 */
export function emitActivation(f: FunctionBuilder, accs: number[], act: number, alpha: number, tmp: number): void {
  f.get(act).i32(1).geS().if(() => {
    f.get(act).i32(3).eq().if(
      () => {
        f.get(alpha).simd('f32x4Splat').set(tmp);
        for (const a of accs) f.get(a).get(a).get(tmp).simd('f32x4Mul').simd('f32x4Pmax').set(a);
      },
      () => {
        f.f32(0).simd('f32x4Splat').set(tmp);
        for (const a of accs) f.get(a).get(tmp).simd('f32x4Pmax').set(a);
        f.get(act).i32(2).eq().if(() => {
          f.f32(6).simd('f32x4Splat').set(tmp);
          for (const a of accs) f.get(a).get(tmp).simd('f32x4Pmin').set(a);
        });
      },
    );
  });
}

/** Declares the v128 scratch local `emitActivation` needs. */
export function activationTemp(f: FunctionBuilder): number {
  return f.local(V128);
}
