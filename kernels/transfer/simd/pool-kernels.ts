/**
 * The small kernels around the convolutions: max pooling (v128 over padded
 * channels; padding never counts), and the two ways a chain ends — global
 * average pooling or NHWC flatten — which also strip the channel padding so
 * the output rows are exactly `[n, featureDim]`. The last two are a tiny share
 * of the work, so they stay scalar.
 */
import { F32, FunctionBuilder, I32, ModuleBuilder, V128 } from './wasm-emitter.ts';

/**
 * Export `maxpool(in, out, H, W, C, outH, outW, kh, kw, sy, sx, padTop, padLeft,
 * rowStart, rowEnd, thread)`; C a multiple of 4; rows are n·outH.
 */
export function addMaxPool(mod: ModuleBuilder): void {
  const P = Array<typeof I32>(16).fill(I32);
  const f = new FunctionBuilder('maxpool', P);
  const [inp, out, H, W, C, outH, outW, kh, kw, sy, sx, pt, pl, r0, r1] = P.map((_, i) => i);
  const [r, img, iy0, ix0, ox, c, ky, kx, iy, ix, o, cBytes] = Array.from({ length: 12 }, () => f.local(I32));
  const m = f.local(V128);
  f.get(C).i32(4).mul().set(cBytes);
  f.forLoop(r, () => f.get(r0), () => f.get(r1), 1, () => {
    f.get(inp).get(r).get(outH).emit(0x6d).get(H).mul().get(W).mul().get(cBytes).mul().add().set(img);
    f.get(r).get(outH).emit(0x6f).get(sy).mul().get(pt).sub().set(iy0);
    f.get(out).get(r).get(outW).mul().get(cBytes).mul().add().set(o);
    f.forLoop(ox, () => f.i32(0), () => f.get(outW), 1, () => {
      f.get(ox).get(sx).mul().get(pl).sub().set(ix0);
      f.forLoop(c, () => f.i32(0), () => f.get(cBytes), 16, () => {
        f.f32(-Infinity).simd('f32x4Splat').set(m);
        f.forLoop(ky, () => f.i32(0), () => f.get(kh), 1, () => {
          f.get(iy0).get(ky).add().set(iy);
          f.forLoop(kx, () => f.i32(0), () => f.get(kw), 1, () => {
            f.get(ix0).get(kx).add().set(ix);
            f.get(iy).get(H).ltU().get(ix).get(W).ltU().and().if(() => {
              f.get(m).get(img).get(iy).get(W).mul().get(ix).add().get(cBytes).mul().add().get(c).add().v128Load(0);
              f.simd('f32x4Pmax').set(m);
            });
          });
        });
        f.get(o).get(m).v128Store(0).inc(o, 16);
      });
    });
  });
  mod.add(f);
}

/**
 * Export `avgpool(in, out, P, Cp, C, scale, rowStart, rowEnd, thread)`: per image
 * (rows are n), out[c] = scale·Σ_p in[p·Cp + c] for c < C (scale = 1/P).
 */
export function addAvgPool(mod: ModuleBuilder): void {
  const P = [I32, I32, I32, I32, I32, F32, I32, I32, I32];
  const f = new FunctionBuilder('avgpool', P);
  const [inp, out, pixels, Cp, C, scale, r0, r1] = P.map((_, i) => i);
  const [r, c, p, src, dst] = Array.from({ length: 5 }, () => f.local(I32));
  const sum = f.local(F32);
  f.forLoop(r, () => f.get(r0), () => f.get(r1), 1, () => {
    f.get(out).get(r).get(C).mul().i32(4).mul().add().set(dst);
    f.forLoop(c, () => f.i32(0), () => f.get(C), 1, () => {
      f.f32(0).set(sum);
      f.get(inp).get(r).get(pixels).mul().get(Cp).mul().get(c).add().i32(4).mul().add().set(src);
      f.forLoop(p, () => f.i32(0), () => f.get(pixels), 1, () => {
        f.get(sum).get(src).f32Load(0).emit(0x92).set(sum); // f32.add
        f.get(src).get(Cp).i32(4).mul().add().set(src);
      });
      f.get(dst).get(sum).get(scale).emit(0x94).f32Store(0); // f32.mul
      f.inc(dst, 4);
    });
  });
  mod.add(f);
}

/**
 * Export `flatten(in, out, P, Cp, C, rowStart, rowEnd, thread)`: per image
 * (rows are n), out[p·C + c] = in[p·Cp + c] — NHWC order without padding.
 */
export function addFlatten(mod: ModuleBuilder): void {
  const P = Array<typeof I32>(8).fill(I32);
  const f = new FunctionBuilder('flatten', P);
  const [inp, out, pixels, Cp, C, r0, r1] = P.map((_, i) => i);
  const [r, p, c, src, dst] = Array.from({ length: 5 }, () => f.local(I32));
  f.forLoop(r, () => f.get(r0), () => f.get(r1), 1, () => {
    f.get(out).get(r).get(pixels).mul().get(C).mul().i32(4).mul().add().set(dst);
    f.get(inp).get(r).get(pixels).mul().get(Cp).mul().i32(4).mul().add().set(src);
    f.forLoop(p, () => f.i32(0), () => f.get(pixels), 1, () => {
      f.forLoop(c, () => f.i32(0), () => f.get(C), 1, () => {
        f.get(dst).get(src).get(c).i32(4).mul().add().f32Load(0).f32Store(0).inc(dst, 4);
      });
      f.get(src).get(Cp).i32(4).mul().add().set(src);
    });
  });
  mod.add(f);
}
