/**
 * `TrainedModel`: one tf.LayersModel (image batch in, class probabilities
 * out) with its labels and preprocessing, which predicts from images and
 * saves in TF.js layers format with both in `userDefinedMetadata`.
 */
import * as tf from '@tensorflow/tfjs';
import { isNode } from '../env.ts';
import { toPredictions } from '../heads/feature-input.ts';
import type { HeadPrediction } from '../heads/head-types.ts';
import { fileSystemHandler, folderOf } from './file-io.ts';
import { imagesToBatch, listImages, type ImagesInput, type Preprocessing } from './model-inputs.ts';

/** What Tailor stores under `userDefinedMetadata.tailor`. */
export interface TailorMetadata {
  /** Format version of this record. */
  version: 1;
  labels: string[];
  preprocessing: Preprocessing;
  /** Backbone id, feature layer and head kind, for people reading model.json. */
  backbone?: string;
  featureLayer?: string;
  head?: string;
}

/** A classifier ready to use and to take away. */
export interface TrainedModel {
  /** The standard layers model: `[n, size, size, 3]` in `preprocessing.inputRange` → `[n, labels.length]` probabilities. */
  readonly model: tf.LayersModel;
  readonly labels: string[];
  /** Same as `labels` (lets `evaluate` treat it like a head). */
  readonly classes: string[];
  readonly preprocessing: Preprocessing;
  readonly metadata: TailorMetadata;
  /** Decodes and preprocesses images as stored, then predicts (batches of 32). */
  predict(images: ImagesInput): Promise<HeadPrediction[]>;
  /** Probabilities for a batch already preprocessed (in the input range). Caller disposes. */
  predictBatch(batch: tf.Tensor4D): tf.Tensor2D;
  /**
   * Saves in TF.js layers format with labels and preprocessing in
   * `userDefinedMetadata.tailor`: `downloads://name`, `indexeddb://name`,
   * `localstorage://name`, `http(s)://…` (POST), a `tf.io.IOHandler`, or in
   * Node `file://folder` / a folder path (model.json + weights.bin).
   */
  save(destination: string | tf.io.IOHandler): Promise<tf.io.SaveResult>;
  dispose(): void;
}

const batchSize = 32;

/** Wraps a layers model and its metadata (which is also set on the model). */
export function createTrainedModel(model: tf.LayersModel, metadata: TailorMetadata): TrainedModel {
  model.setUserDefinedMetadata({ tailor: metadata as unknown as object });
  const { labels, preprocessing } = metadata;
  const predictBatch = (batch: tf.Tensor4D): tf.Tensor2D => model.predict(batch) as tf.Tensor2D;
  return {
    model,
    labels,
    classes: labels,
    preprocessing,
    metadata,
    predictBatch,
    async predict(images: ImagesInput): Promise<HeadPrediction[]> {
      const list = listImages(images);
      const out: HeadPrediction[] = [];
      for (let i = 0; i < list.length; i += batchSize) {
        const batch = await imagesToBatch(list.slice(i, i + batchSize), preprocessing);
        const probs = predictBatch(batch);
        batch.dispose();
        const data = (await probs.data()) as Float32Array;
        probs.dispose();
        out.push(...toPredictions(data, labels));
      }
      return out;
    },
    async save(destination: string | tf.io.IOHandler): Promise<tf.io.SaveResult> {
      if (typeof destination === 'string') {
        const folder = folderOf(destination);
        if (folder !== undefined) {
          if (!isNode()) {
            throw new Error(`'${destination}' is a folder path, which only works in Node; in the page use 'downloads://name' or 'indexeddb://name'.`);
          }
          return model.save(fileSystemHandler(folder));
        }
      }
      return model.save(destination);
    },
    dispose() {
      model.dispose();
    },
  };
}
