import { createMemoryFeatureStore, extractFeatures, type Backbone, type ImageSet } from '../kernels/transfer/index.ts';
import { summarise, type Throughput, type TimingPlan } from './timing.ts';

/**
 * End to end: JPEG files → features through Tailor's `extractFeatures`
 * (read, decode, resize, network; no cache), every run over the whole set.
 * Warm-up: one run over the first batch.
 */
export async function endToEnd(net: Backbone, set: ImageSet, batch: number, plan: TimingPlan): Promise<Throughput> {
  await extractFeatures(net, { classes: set.classes, items: set.items.slice(0, batch) }, { cache: false, batchSize: batch });
  const runs: number[] = [];
  for (let r = 0; r < plan.runs; r++) {
    const t0 = performance.now();
    const out = await extractFeatures(net, set, { cache: false, batchSize: batch });
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

export async function cacheHitVsMiss(net: Backbone, set: ImageSet, batch: number, plan: TimingPlan): Promise<CacheFigures> {
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
