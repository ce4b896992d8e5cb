/**
 * Training figures in Node (TF.js wasm, as a headless notebook runs them):
 * the softmax head on MobileNet 0.75 features of the ants/bees training set
 * (244 × 768, validated on the 153 val images, early stopping on: the guided
 * notebook's setup), and fine-tuning epochs of the last block of MobileNet
 * 0.25 (and 0.75 in the full run) over the 244 training photos (64 in `--quick`).
 */
import { createMemoryFeatureStore, evaluate, extractFeatures, fineTune, loadBackbone, trainHead, type ImageDataset, type ImageSet } from '../kernels/transfer/index.ts';
import { summarise, type Throughput } from './timing.ts';

export interface HeadFigures {
  backbone: string;
  rows: number;
  dim: number;
  /** Seconds per `trainHead` call (median of the runs, min–max), epochs run and validation accuracy of the last run. */
  seconds: Throughput;
  epochs: number;
  valAccuracy: number;
}

export interface FineTuneFigures {
  backbone: string;
  images: number;
  batchSize: number;
  epochs: number;
  /** Seconds per epoch (training steps only, no validation). */
  secondsPerEpoch: number;
  imgPerSec: number;
  backend: string;
}

/** Times `trainHead` (softmax, defaults, validation with early stopping) `runs` times. */
export async function headTraining(set: ImageDataset, runs: number): Promise<HeadFigures> {
  const id = 'mobilenet_v1_0.75_224';
  const net = await loadBackbone(id);
  const store = createMemoryFeatureStore();
  const train = await extractFeatures(net, set.train, { cache: store });
  const val = await extractFeatures(net, set.val!, { cache: store });
  net.dispose();
  const seconds: number[] = [];
  let epochs = 0;
  let valAccuracy = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    let last = 0;
    const head = await trainHead(train, { validation: val, onEpoch: (log) => (last = log.epoch) });
    seconds.push((performance.now() - t0) / 1000);
    epochs = last;
    valAccuracy = (await evaluate(head, val)).accuracy;
    head.dispose();
  }
  return { backbone: id, rows: train.items.length, dim: train.dim, seconds: summarise(0, seconds), epochs, valAccuracy };
}

/** The first `n` training images alternating between classes (all of them when `n` is undefined). */
function balanced(set: ImageDataset, n?: number): ImageSet {
  if (n === undefined || n >= set.train.items.length) return set.train;
  const byClass = set.classes.map((_, c) => set.train.items.filter((it) => it.label === c));
  const items = Array.from({ length: n }, (_, i) => byClass[i % byClass.length][Math.floor(i / byClass.length)]).filter((it) => it !== undefined);
  return { classes: set.train.classes, items };
}

/**
 * Fine-tunes the last block of `id` for `epochs` epochs over `images`
 * training photos (default all 244; no validation, augmentation on) and
 * reports the time per epoch.
 */
export async function fineTuneEpochs(set: ImageDataset, id: string, epochs: number, images?: number): Promise<FineTuneFigures> {
  const train = balanced(set, images);
  const net = await loadBackbone(id);
  const features = await extractFeatures(net, train, { cache: createMemoryFeatureStore() });
  const head = await trainHead(features, { epochs: 20 });
  const batchSize = 16;
  const tuned = await fineTune(net, head, train, { epochs, batchSize });
  const secondsPerEpoch = tuned.trainMs / 1000 / epochs;
  const result = { backbone: id, images: train.items.length, batchSize, epochs, secondsPerEpoch, imgPerSec: train.items.length / secondsPerEpoch, backend: tuned.backend };
  tuned.dispose();
  head.dispose();
  net.dispose();
  return result;
}
