/**
 * Depthwise 3×3 convolution (multiplier 1, any stride/pads), vectorised over
 * channels 8 at a time. Weights are packed by `packDepthwise` as
 * [C/8][10][8]: the 9 taps then the bias of one 8-channel block, so every
 * weight load has a static offset. Interior pixels (all 9 taps inside the
 * map, range given by the planner) go `group` at a time without bounds checks;
 * border pixels go one by one and test each tap. Rows are n·outH output rows.
 */
import { activationTemp, emitActivation } from './epilogue.ts';
import { F32, FunctionBuilder, I32, ModuleBuilder, V128 } from './wasm-emitter.ts';

/**
 * Interior output pixels computed together (default): their accumulators share
 * each weight load and hide FMA latency. Chromium 156, MobileNet 0.25/0.75: 4 ≈ 6, 2 is 10–40 % slower.
 */
export const DEPTHWISE_GROUP = 4;

/**
 * Export `depthwise(in, w, out, H, W, C, outH, outW, sy, sx, padTop, padLeft, oxLo, oxHi,
 * act, alpha, rowStart, rowEnd, thread)`; C a multiple of 8; output columns
 * oxLo…oxHi−1 of rows whose 3 input rows are inside the map are interior.
 */
export function addDepthwise(mod: ModuleBuilder, relaxed: boolean, group = DEPTHWISE_GROUP): void {
  const P = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, I32, I32, I32];
  const f = new FunctionBuilder('depthwise', P);
  const [inp, w, out, H, W, C, outH, outW, sy, sx, pt, pl, oxLo, oxHi, act, alpha, r0, r1] = P.map((_, i) => i);
  const r = f.local(I32);
  const img = f.local(I32);
  const iy0 = f.local(I32);
  const ix0 = f.local(I32);
  const ox = f.local(I32);
  const rowInside = f.local(I32);
  const wp = f.local(I32);
  const o = f.local(I32);
  const cb = f.local(I32);
  const cBytes = f.local(I32);
  const addr = f.local(I32);
  const taps = Array.from({ length: 9 }, () => f.local(I32));
  const ps = Array.from({ length: group }, () => f.local(I32));
  const acc = Array.from({ length: group }, () => [f.local(V128), f.local(V128)]);
  const w0 = f.local(V128);
  const w1 = f.local(V128);
  const tmp = activationTemp(f);

  f.get(C).i32(4).mul().set(cBytes);
  // byte offset of tap (ky, kx) from the patch's top-left pixel
  for (let t = 0; t < 9; t++) {
    const [ky, kx] = [Math.floor(t / 3), t % 3];
    f.get(W).i32(ky).mul().i32(kx).add().get(cBytes).mul().set(taps[t]);
  }
  const madd = (accL: number, load: () => void, w: number) => {
    if (relaxed) {
      load();
      f.get(w).get(accL).simd('f32x4RelaxedMadd').set(accL);
    } else {
      f.get(accL);
      load();
      f.get(w).simd('f32x4Mul').simd('f32x4Add').set(accL);
    }
  };
  /**
   * `count` output pixels from ox on (input patches at ps[q]), all 8-channel blocks:
   * bias, 9 taps (each weight pair loaded once for all pixels; `checked` tests each tap), activation, store.
   */
  const pixels = (count: number, checked: boolean) => {
    f.get(img).get(iy0).get(W).mul().get(ix0).add().get(cBytes).mul().add().set(ps[0]);
    for (let q = 1; q < count; q++) f.get(ps[q - 1]).get(sx).get(cBytes).mul().add().set(ps[q]);
    f.get(w).set(wp);
    f.forLoop(cb, () => f.i32(0), () => f.get(cBytes), 32, () => {
      f.get(wp).v128Load(9 * 32).set(acc[0][0]).get(wp).v128Load(9 * 32 + 16).set(acc[0][1]);
      for (let q = 1; q < count; q++) f.get(acc[0][0]).set(acc[q][0]).get(acc[0][1]).set(acc[q][1]);
      for (let t = 0; t < 9; t++) {
        const body = () => {
          f.get(wp).v128Load(32 * t).set(w0).get(wp).v128Load(32 * t + 16).set(w1);
          for (let q = 0; q < count; q++) {
            madd(acc[q][0], () => f.get(ps[q]).get(taps[t]).add().tee(addr).v128Load(0), w0);
            madd(acc[q][1], () => f.get(addr).v128Load(16), w1);
          }
        };
        if (!checked) body();
        else {
          const [ky, kx] = [Math.floor(t / 3), t % 3];
          f.get(iy0).i32(ky).add().get(H).ltU().get(ix0).i32(kx).add().get(W).ltU().and().if(body);
        }
      }
      const used = acc.slice(0, count).flat();
      emitActivation(f, used, act, alpha, tmp);
      for (let q = 0; q < count; q++) {
        f.get(o).get(acc[q][0]).v128Store(0).get(o).get(acc[q][1]).v128Store(16);
        if (q < count - 1) f.incBy(o, cBytes);
      }
      // back to pixel 0's next block
      if (count > 1) f.get(o).get(cBytes).i32(count - 1).mul().sub().set(o);
      f.inc(o, 32).inc(wp, 320);
      for (let q = 0; q < count; q++) f.inc(ps[q], 32);
    });
    // o now points at pixel 0 + cBytes; move past the group
    if (count > 1) f.get(o).get(cBytes).i32(count - 1).mul().add().set(o);
  };

  f.forLoop(r, () => f.get(r0), () => f.get(r1), 1, () => {
    f.get(inp).get(r).get(outH).emit(0x6d).get(H).mul().get(W).mul().get(cBytes).mul().add().set(img);
    f.get(r).get(outH).emit(0x6f).get(sy).mul().get(pt).sub().set(iy0);
    // rowInside = iy0 ≥ 0 && iy0 + 3 ≤ H
    f.get(iy0).i32(0).geS().get(iy0).i32(3).add().get(H).emit(0x4c).and().set(rowInside);
    f.get(out).get(r).get(outW).mul().get(cBytes).mul().add().set(o);
    f.i32(0).set(ox);
    f.block(() => {
      f.emit(0x03, 0x40); // loop over ox, advancing by group or 1
      f.get(ox).get(outW).geS().emit(0x0d, 1);
      f.get(ox).get(sx).mul().get(pl).sub().set(ix0);
      f.get(rowInside).get(ox).get(oxLo).geS().and().get(ox).i32(group).add().get(oxHi).emit(0x4c).and().if(
        () => {
          pixels(group, false);
          f.inc(ox, group);
        },
        () => {
          f.get(rowInside).get(ox).get(oxLo).geS().and().get(ox).get(oxHi).ltS().and().if(
            () => pixels(1, false),
            () => pixels(1, true),
          );
          f.inc(ox, 1);
        },
      );
      f.emit(0x0c, 0, 0x0b);
    });
  });
  mod.add(f);
}
