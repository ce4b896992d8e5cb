import { createMemoryFeatureStore, extractFeatures, type Backbone, type ImageSet } from '../kernels/transfer/index.ts';
import { summarise, type Throughput, type TimingPlan } from './timing.ts';

/**
 * End to end: JPEG files → features through Tailor's `extractFeatures`
 * (read, decode, resize, network; no cache). With `parts` = 1 every run goes
 * over the whole set; with `parts` > 1 run r goes over the r-th of `parts`
 * equal slices (run r mod parts), so `parts` runs decode every photo once
 * (the quick mode's way of timing ≥ 5 runs on all 397 photos in a fifth of
 * the time). Warm-up: one run over the first batch (starts the decode pool
 * and the ONNX Runtime session).
 */
export async function endToEnd(net: Backbone, set: ImageSet, batch: number, plan: TimingPlan, parts = 1): Promise<Throughput> {
  await extractFeatures(net, { classes: set.classes, items: set.items.slice(0, batch) }, { cache: false, batchSize: batch });
  const runs: number[] = [];
  const per = Math.ceil(set.items.length / parts);
  for (let r = 0; r < plan.runs; r++) {
    const part = r % parts;
    const items = parts === 1 ? set.items : set.items.slice(part * per, (part + 1) * per);
    const t0 = performance.now();
    const out = await extractFeatures(net, { classes: set.classes, items }, { cache: false, batchSize: batch });
    const seconds = (performance.now() - t0) / 1000;
    if (out.skipped.length > 0) throw new Error(`extractFeatures skipped ${out.skipped.length} images: ${out.skipped[0].path}: ${out.skipped[0].reason}`);
    runs.push(out.items.length / seconds);
  }
  return summarise(batch, runs);
}

/** Cache figures: a miss run fills a memory store; hit runs read it back (still reading and hashing each file). */
export interface CacheFigures {
  backbone: string;
  images: number;
  missImgPerSec: number;
  hit: Throughput;
  /** hit median / miss. */
  speedup: number;
}

/** Cache figures over `set`'s first `images` photos (default all; the quick run uses a fifth). */
export async function cacheHitVsMiss(net: Backbone, whole: ImageSet, batch: number, plan: TimingPlan, images = whole.items.length): Promise<CacheFigures> {
  const set = { classes: whole.classes, items: whole.items.slice(0, images) };
  const store = createMemoryFeatureStore();
  const t0 = performance.now();
  const first = await extractFeatures(net, set, { cache: store, batchSize: batch });
  const missImgPerSec = first.items.length / ((performance.now() - t0) / 1000);
  const runs: number[] = [];
  for (let r = 0; r < plan.runs; r++) {
    const t1 = performance.now();
    const again = await extractFeatures(net, set, { cache: store, batchSize: batch });
    if (again.cache?.misses !== 0) throw new Error(`expected only cache hits, got ${again.cache?.misses} misses`);
    runs.push(again.items.length / ((performance.now() - t1) / 1000));
  }
  const hit = summarise(batch, runs);
  return { backbone: net.info.id, images: first.items.length, missImgPerSec, hit, speedup: hit.median / missImgPerSec };
}
