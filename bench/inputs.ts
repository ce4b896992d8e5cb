import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadImageFolder, type Backbone, type ImageDataset } from '../kernels/transfer/index.ts';

/** The backbones the bench measures (shipped weights only: random weights can hit denormals). */
export const BACKBONES = ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224', 'darknet_tiny'] as const;
export type BenchBackbone = (typeof BACKBONES)[number];

/** Real photos the timed batches and the parity checks use: the ants/bees set. */
export async function loadBenchDataset(): Promise<ImageDataset> {
  const set = await loadImageFolder('hymenoptera_data', { verify: false });
  if (set.all.items.length < 32) throw new Error(`hymenoptera_data has ${set.all.items.length} images; run \`npm run assets\`.`);
  return set;
}

/** `n` photos alternating between the classes (so a batch is not all ants). */
export function pickPhotos(set: ImageDataset, n: number): string[] {
  const byClass = set.classes.map((_, c) => set.all.items.filter((it) => it.label === c));
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const list = byClass[i % byClass.length];
    out.push(list[Math.floor(i / byClass.length) % list.length].path);
  }
  return out;
}

/** A preprocessed input batch and Tailor's features of it, also written as float32 files for the peers. */
export interface ParityInputs {
  batch: tf.Tensor4D;
  pixels: Float32Array;
  expected: Float32Array;
  inputFile: string;
  expectFile: string;
}

/** Preprocesses `photos` with the backbone's own preprocessing and records its (fused TF.js) features. */
export async function parityInputs(net: Backbone, photos: string[], outDir: string): Promise<ParityInputs> {
  const batch = await net.preprocess(photos);
  const pixels = (await batch.data()) as Float32Array;
  const out = net.features(batch);
  const expected = (await out.data()) as Float32Array;
  out.dispose();
  fs.mkdirSync(outDir, { recursive: true });
  const inputFile = path.join(outDir, `${net.info.id}-input.f32`);
  const expectFile = path.join(outDir, `${net.info.id}-tailor-features.f32`);
  fs.writeFileSync(inputFile, pixels);
  fs.writeFileSync(expectFile, expected);
  return { batch, pixels, expected, inputFile, expectFile };
}

/** The first `n` images of `inputs` (repeated cyclically) as a batch. Caller disposes. */
export function takeBatch(inputs: ParityInputs, n: number): tf.Tensor4D {
  const have = inputs.batch.shape[0];
  const idx = Array.from({ length: n }, (_, i) => i % have);
  return tf.tidy(() => tf.gather(inputs.batch, idx) as tf.Tensor4D);
}

/** Plain float32 data of the first `n` images (cyclic), for native runtimes. */
export function takePixels(inputs: ParityInputs, n: number): Float32Array {
  const per = inputs.pixels.length / inputs.batch.shape[0];
  const out = new Float32Array(n * per);
  for (let i = 0; i < n; i++) out.set(inputs.pixels.subarray((i % inputs.batch.shape[0]) * per, ((i % inputs.batch.shape[0]) + 1) * per), i * per);
  return out;
}
