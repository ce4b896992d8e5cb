/**
 * The first layer of every backbone here: a 3×3 convolution of the raw RGB
 * input (3 channels, stride 1 or 2), computed directly instead of through
 * im2col. With C and the stride fixed at build time, the 27 inputs of 6
 * neighbouring output pixels all sit at static offsets from one pointer per
 * kernel row, so the tile is a GEMM microkernel (6 pixels × 8 channels, 12
 * accumulators) with no copying. Weights are `packConv`'s [N/8][28][8] panels.
 */
import { activationTemp, emitActivation } from './epilogue.ts';
import { F32, FunctionBuilder, I32, ModuleBuilder, V128 } from './wasm-emitter.ts';

const TILE = 6;
const C = 3;

/**
 * Export `rgbconv{stride}(in, b, bias, out, H, W, outH, outW, padTop, padLeft, oxLo, oxHi,
 * N, act, alpha, rowStart, rowEnd, thread)`; columns oxLo…oxHi−1 have all 3 kernel
 * columns inside the map; rows are n·outH.
 */
export function addRgbConv(mod: ModuleBuilder, relaxed: boolean, stride: 1 | 2): void {
  const P = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, I32, I32, I32];
  const f = new FunctionBuilder(`rgbconv${stride}`, P);
  const [inp, b, bias, out, H, W, outH, outW, pt, pl, oxLo, oxHi, N, act, alpha, r0, r1] = P.map((_, i) => i);
  const [r, img, iy0, ix0, ox, o, j, bp, biasP, outStride, p] = Array.from({ length: 11 }, () => f.local(I32));
  const acc = Array.from({ length: TILE }, () => [f.local(V128), f.local(V128)]);
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const s = f.local(V128);
  const tmp = activationTemp(f);

  /** `count` pixels from ox (input column ix0), every 8-channel panel; `checked` tests each tap's column. */
  const tile = (count: number, checked: boolean) => {
    f.get(out).get(r).get(outW).mul().get(ox).add().get(outStride).mul().add().set(o);
    f.get(b).set(bp);
    f.get(bias).set(biasP);
    f.forLoop(j, () => f.i32(0), () => f.get(N), 8, () => {
      f.get(biasP).v128Load(0).set(acc[0][0]).get(biasP).v128Load(16).set(acc[0][1]);
      for (let q = 1; q < count; q++) f.get(acc[0][0]).set(acc[q][0]).get(acc[0][1]).set(acc[q][1]);
      for (let ky = 0; ky < 3; ky++) {
        // p = the tile's first input pixel in kernel row ky; rows outside the map add nothing
        f.get(iy0).i32(ky).add().get(H).ltU().if(() => {
          f.get(img).get(iy0).i32(ky).add().get(W).mul().get(ix0).add().i32(C * 4).mul().add().set(p);
          for (let kx = 0; kx < 3; kx++) {
            const taps = () => {
              for (let c = 0; c < C; c++) {
                const k = (ky * 3 + kx) * C + c;
                f.get(bp).v128Load(k * 32).set(b0).get(bp).v128Load(k * 32 + 16).set(b1);
                for (let q = 0; q < count; q++) {
                  f.get(p).load32Splat((q * stride * C + kx * C + c) * 4).set(s);
                  for (const [h, bv] of [[0, b0], [1, b1]] as const) {
                    if (relaxed) f.get(s).get(bv).get(acc[q][h]).simd('f32x4RelaxedMadd').set(acc[q][h]);
                    else f.get(acc[q][h]).get(s).get(bv).simd('f32x4Mul').simd('f32x4Add').set(acc[q][h]);
                  }
                }
              }
            };
            if (checked) f.get(ix0).i32(kx).add().get(W).ltU().if(taps);
            else taps();
          }
        });
      }
      emitActivation(f, acc.slice(0, count).flat(), act, alpha, tmp);
      for (let q = 0; q < count; q++) {
        f.get(o).get(acc[q][0]).v128Store(0).get(o).get(acc[q][1]).v128Store(16);
        if (q < count - 1) f.incBy(o, outStride);
      }
      // next panel: back to pixel 0, 8 channels on
      if (count > 1) f.get(o).get(outStride).i32(count - 1).mul().sub().set(o);
      f.inc(o, 32).inc(biasP, 32).inc(bp, 28 * 32);
    });
  };

  f.get(N).i32(4).mul().set(outStride);
  f.forLoop(r, () => f.get(r0), () => f.get(r1), 1, () => {
    f.get(inp).get(r).get(outH).emit(0x6d).get(H).mul().get(W).mul().i32(C * 4).mul().add().set(img);
    f.get(r).get(outH).emit(0x6f).i32(stride).mul().get(pt).sub().set(iy0);
    f.i32(0).set(ox);
    f.block(() => {
      f.emit(0x03, 0x40); // loop over ox, advancing by TILE or 1
      f.get(ox).get(outW).geS().emit(0x0d, 1);
      f.get(ox).i32(stride).mul().get(pl).sub().set(ix0);
      f.get(ox).get(oxLo).geS().get(ox).i32(TILE).add().get(oxHi).emit(0x4c).and().if(
        () => {
          tile(TILE, false);
          f.inc(ox, TILE);
        },
        () => {
          tile(1, true);
          f.inc(ox, 1);
        },
      );
      f.emit(0x0c, 0, 0x0b);
    });
  });
  mod.add(f);
}
