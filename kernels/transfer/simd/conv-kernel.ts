/**
 * A general convolution (any kh×kw, strides, pads; the 3-channel first layer
 * and Darknet's 3×3 convolutions) as im2col + GEMM, one output row at a time:
 * `rowsPerChunk` output rows at a time: their patches go to the calling thread's
 * scratch (`scratch + thread·scratchStride`, chunk·outW·Kp floats), then the
 * shared GEMM driver multiplies them by the packed weights in one go (small
 * maps would otherwise give GEMMs of a few pixels that reload every B panel).
 * Rows are n·outH output rows; consecutive rows are contiguous in the output,
 * even across images, so a chunk is one GEMM.
 */
import { F32, FunctionBuilder, I32, ModuleBuilder, V128 } from './wasm-emitter.ts';

/**
 * Export `conv(in, b, bias, out, H, W, C, outH, outW, kh, kw, sy, sx, padTop, padLeft,
 * Kp, N, act, alpha, mb, scratch, scratchStride, rowsPerChunk, rowStart, rowEnd, thread)`.
 * `C` is the stored input channel count (any; copies go by v128 while 4+ floats remain);
 * Kp = kh·kw·C rounded up to 4, the GEMM unroll (zeros in the tail, matching zero weight rows).
 */
export function addConv(mod: ModuleBuilder, gemm: number): void {
  const P = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, I32, I32, I32, I32, I32, I32, I32];
  const f = new FunctionBuilder('conv', P);
  const [inp, b, bias, out, H, W, C, outH, outW, kh, kw, sy, sx, pt, pl, Kp, N, act, alpha, mb, scratch, sstride, chunk, r0, r1, thread] =
    P.map((_, i) => i);
  const r = f.local(I32);
  const img = f.local(I32);
  const oy = f.local(I32);
  const iy = f.local(I32);
  const ix = f.local(I32);
  const ox = f.local(I32);
  const ky = f.local(I32);
  const kx = f.local(I32);
  const sc = f.local(I32);
  const dst = f.local(I32);
  const src = f.local(I32);
  const end = f.local(I32);
  const cBytes = f.local(I32);
  const rowBytes = f.local(I32);
  const rr = f.local(I32);
  const rEnd = f.local(I32);
  const patch = f.local(I32);
  const len = f.local(I32);
  const zero = f.local(V128);

  f.get(scratch).get(thread).get(sstride).mul().add().set(sc);
  f.get(C).i32(4).mul().set(cBytes);
  f.get(kw).get(cBytes).mul().set(rowBytes);
  f.f32(0).simd('f32x4Splat').set(zero);

  /**
   * Copies `len` bytes from src to dst (dst ends at dst + len), 16 at a time: the last
   * store may run up to 12 bytes past, which the next copy or zeroing overwrites
   * (patches are written in increasing order; the scratch has 64 bytes of slack).
   */
  const copy = () => {
    f.get(dst).get(len).add().set(end);
    f.doWhile(
      () => f.get(dst).get(src).v128Load(0).v128Store(0).inc(src, 16).inc(dst, 16),
      () => f.get(dst).get(end).ltS(),
    );
    f.get(end).set(dst);
  };
  /** Zeroes from dst up to `end` (dst ends there), 16 bytes at a time, overrunning like `copy`. */
  const zeroTo = () => {
    f.forLoop(dst, () => f.get(dst), () => f.get(end), 16, () => f.get(dst).get(zero).v128Store(0));
    f.get(end).set(dst);
  };

  f.forLoop(r, () => f.get(r0), () => f.get(r1), () => f.get(chunk), () => {
    // rEnd = min(r + chunk, r1)
    f.get(r).get(chunk).add().tee(rEnd).get(r1).get(rEnd).get(r1).ltS().emit(0x1b).set(rEnd);
    f.get(sc).set(dst);
    f.forLoop(rr, () => f.get(r), () => f.get(rEnd), 1, () => {
      // img = in + (rr / outH)·H·W·C·4; oy = rr % outH
      f.get(inp).get(rr).get(outH).emit(0x6d).get(H).mul().get(W).mul().get(cBytes).mul().add().set(img);
      f.get(rr).get(outH).emit(0x6f).set(oy);
      f.forLoop(ox, () => f.i32(0), () => f.get(outW), 1, () => {
        f.get(dst).set(patch);
        f.forLoop(ky, () => f.i32(0), () => f.get(kh), 1, () => {
          f.get(oy).get(sy).mul().get(pt).sub().get(ky).add().set(iy);
          f.get(ox).get(sx).mul().get(pl).sub().set(ix);
          // The whole kernel row inside the map: its kw pixels are contiguous, one copy.
          f.get(iy).get(H).ltU().get(ix).i32(0).geS().and().get(ix).get(kw).add().get(W).emit(0x4c).and().if(
            () => {
              f.get(img).get(iy).get(W).mul().get(ix).add().get(cBytes).mul().add().set(src);
              f.get(rowBytes).set(len);
              copy();
            },
            () => {
              f.forLoop(kx, () => f.i32(0), () => f.get(kw), 1, () => {
                f.get(ox).get(sx).mul().get(pl).sub().get(kx).add().set(ix);
                f.get(iy).get(H).ltU().get(ix).get(W).ltU().and().if(
                  () => {
                    f.get(img).get(iy).get(W).mul().get(ix).add().get(cBytes).mul().add().set(src);
                    f.get(cBytes).set(len);
                    copy();
                  },
                  () => {
                    f.get(dst).get(cBytes).add().set(end);
                    zeroTo();
                  },
                );
              });
            },
          );
        });
        // zero the Kp − kh·kw·C tail of this patch
        f.get(patch).get(Kp).i32(4).mul().add().set(end);
        zeroTo();
      });
    });
    // gemm(sc, Kp·4, b, bias, out + r·outW·N·4, N·4, Kp, N, act, alpha, 0, (rEnd − r)·outW, mb)
    f.get(sc).get(Kp).i32(4).mul().get(b).get(bias);
    f.get(out).get(r).get(outW).mul().get(N).mul().i32(4).mul().add().get(N).i32(4).mul();
    f.get(Kp).get(N).get(act).get(alpha).i32(0).get(rEnd).get(r).sub().get(outW).mul().get(mb).call(gemm);
  });
  mod.add(f);
}
