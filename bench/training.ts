/**
 * Training figures in Node (TF.js wasm, as a headless notebook runs them):
 * the softmax head on MobileNet 0.75 features of the ants/bees training set
 * (244 × 768, validated on the 153 val images, early stopping on: the guided
 * notebook's setup), and fine-tuning epochs of the last block of MobileNet
 * 0.25 (and 0.75 in the full run) over the 244 training photos.
 */
import { createMemoryFeatureStore, evaluate, extractFeatures, fineTune, loadBackbone, trainHead, type ImageDataset } from '../kernels/transfer/index.ts';
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

/** Fine-tunes the last block of `id` for `epochs` epochs (no validation, augmentation on) and reports the time per epoch. */
export async function fineTuneEpochs(set: ImageDataset, id: string, epochs: number): Promise<FineTuneFigures> {
  const net = await loadBackbone(id);
  const features = await extractFeatures(net, set.train, { cache: createMemoryFeatureStore() });
  const head = await trainHead(features, { epochs: 20 });
  const batchSize = 16;
  const tuned = await fineTune(net, head, set.train, { epochs, batchSize });
  const secondsPerEpoch = tuned.trainMs / 1000 / epochs;
  const result = { backbone: id, images: set.train.items.length, batchSize, epochs, secondsPerEpoch, imgPerSec: set.train.items.length / secondsPerEpoch, backend: tuned.backend };
  tuned.dispose();
  head.dispose();
  net.dispose();
  return result;
}
