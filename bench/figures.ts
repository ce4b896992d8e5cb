import type { Throughput } from './timing.ts';

/** Where a figure's throughput is compared: native FP32 peak or the 128-bit SIMD peak (what wasm can use). */
export type CeilingKind = 'native' | 'simd128';

/** One measured configuration of one runner. */
export interface Figure extends Throughput {
  backbone: string;
  scope: 'backbone' | 'end-to-end';
  where: 'node' | 'browser';
  /** `tailor-wasm`, `tailor-onnx`, `tfjs-layers`, `torch-eager`, `torch-optimised`, `onnxruntime`. */
  runner: string;
  /** Whether the runner is Tailor itself (else a peer). */
  tailor: boolean;
  threads: number;
  /** Max abs feature difference from Tailor's fused TF.js features on the parity photos. */
  parity: number;
  macsPerImage: number;
  /** Median GFLOP/s (2 FLOPs per MAC). */
  gflops: number;
  ceiling: CeilingKind;
  /** gflops / the measured ceiling of that kind. */
  fractionOfCeiling: number;
}

/** Describes a runner for the report. */
export interface RunnerInfo {
  runner: string;
  tailor: boolean;
  threads: number;
  ceiling: CeilingKind;
  details: string;
}

/** `{backbone, batch, scope, where, peer, tailorImgPerSec, peerImgPerSec, ratio}`: Tailor's median over a peer's. */
export interface Ratio {
  backbone: string;
  batch: number;
  scope: 'backbone' | 'end-to-end';
  where: 'node' | 'browser';
  peer: string;
  /** Which Tailor path the figure is (`tailor-onnx` in Node when ONNX Runtime is installed, else `tailor-wasm`). */
  tailorRunner: string;
  tailorImgPerSec: number;
  peerImgPerSec: number;
  ratio: number;
}

/** Builds a Figure from a throughput. */
export function figureOf(
  t: Throughput,
  base: { backbone: string; scope: 'backbone' | 'end-to-end'; where: 'node' | 'browser'; parity: number; macsPerImage: number },
  runner: RunnerInfo,
  ceilings: Record<CeilingKind, number>,
): Figure {
  const gflops = (t.median * base.macsPerImage * 2) / 1e9;
  return {
    ...t,
    ...base,
    runner: runner.runner,
    tailor: runner.tailor,
    threads: runner.threads,
    gflops,
    ceiling: runner.ceiling,
    fractionOfCeiling: gflops / ceilings[runner.ceiling],
  };
}

/**
 * Tailor-vs-peer ratios per backbone/batch/scope/where. Tailor's figure is
 * its fastest path measured there (`tailor-onnx` beats `tailor-wasm` in Node
 * when ONNX Runtime is installed). End-to-end figures are compared with
 * Tailor's own backbone-only figure at the same batch (peer `tailor-backbone`).
 */
export function ratiosOf(figures: Figure[]): Ratio[] {
  const out: Ratio[] = [];
  const key = (f: Figure) => `${f.backbone}|${f.batch}|${f.where}`;
  const groups = new Map<string, Figure[]>();
  for (const f of figures) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
  for (const group of groups.values()) {
    const tailorBackbone = group.filter((f) => f.tailor && f.scope === 'backbone').sort((a, b) => b.median - a.median)[0];
    if (!tailorBackbone) continue;
    const ratio = (t: Figure, peer: string, p: number, scope: 'backbone' | 'end-to-end'): Ratio => ({
      backbone: t.backbone, batch: t.batch, scope, where: t.where, peer, tailorRunner: t.runner,
      tailorImgPerSec: t.median, peerImgPerSec: p, ratio: t.median / p,
    });
    for (const f of group.filter((g) => !g.tailor && g.scope === 'backbone')) out.push(ratio(tailorBackbone, f.runner, f.median, 'backbone'));
    for (const e of group.filter((g) => g.tailor && g.scope === 'end-to-end')) {
      const same = group.find((g) => g.tailor && g.scope === 'backbone' && g.runner === e.runner) ?? tailorBackbone;
      out.push(ratio(e, `${same.runner} backbone-only`, same.median, 'end-to-end'));
    }
  }
  return out;
}
