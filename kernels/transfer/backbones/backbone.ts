import type * as tf from '@tensorflow/tfjs';
import type { ImageInput } from '../images/preprocess.ts';
import type { CropMode } from '../images/raw-image.ts';
import type { InputRange } from '../types.ts';

/** One class prediction. */
export interface Prediction {
  /** Class index (ImageNet's standard order for the catalogued backbones). */
  index: number;
  label: string;
  probability: number;
}

/** What a loaded backbone is, for display and for cache keys. */
export interface BackboneInfo {
  /** Catalogue id, or the name given in the options / derived from the source. */
  id: string;
  description: string;
  format: 'layers' | 'graph';
  /** Side of the square input, in pixels. */
  inputSize: number;
  /** Pixel values [0, 255] are mapped onto this range. */
  inputRange: InputRange;
  /** How images are fitted to the input (default `center`). */
  crop: CropMode;
  /** The layer (or graph node) features are read from. */
  featureLayer: string;
  /** Whether that layer's spatial map is global-average-pooled into the vector. */
  pool: boolean;
  /** Length of a feature vector. */
  featureDim: number;
  /** The spatial layer for visualisation (`featureMap`). */
  spatialLayer?: string;
  /** Number of classes `classify` chooses from. */
  numClasses: number;
  params: number;
  /** model.json + weight bytes. */
  sizeBytes: number;
  /** Where the weights came from: `public`, `cache`, `download`, `url`, `folder`, `files`, `handler`. */
  source: { kind: string; location: string };
  /** False for catalogue entries not tested offline (ResNet-50, Inception v3, …) and for custom models. */
  verified: boolean;
  /** Whether inference uses the fused form (BatchNorm folded, fused conv + activation). */
  fused: boolean;
  /** SHA-256 of the weight bytes (part of the feature-cache key). */
  weightsHash: string;
  /** The preprocessing as text (part of the feature-cache key). */
  preprocessing: string;
  /**
   * What computes `features`: Tailor's wasm SIMD kernels and their threads,
   * or TF.js on its backend (then with the reason the SIMD engine is not used).
   */
  engine: string;
}

/** Options of `classify`. */
export interface ClassifyOptions {
  /** How many of the most probable classes to return (default 5). */
  topK?: number;
}

/**
 * A pretrained network ready for classification and feature extraction.
 * Every method leaves `tf.memory().numTensors` as it found it, except the
 * returned tensors, which the caller disposes. Call `dispose()` when done.
 */
export interface Backbone {
  readonly info: BackboneInfo;
  /**
   * The underlying `tf.LayersModel` (undefined for graph models, which are
   * inference-only). For fine-tuning: it takes `[n, size, size, 3]` input in
   * `info.inputRange` and ends in the original classifier; cut it at a layer
   * with `tf.model({inputs: net.model.inputs, outputs: net.model.getLayer(name).output})`.
   * Owned by the backbone: `net.dispose()` disposes it.
   */
  readonly model: tf.LayersModel | undefined;
  /** The underlying `tf.GraphModel` (graph-format backbones only). */
  readonly graph: tf.GraphModel | undefined;
  /** Top-`topK` ImageNet classes (label order of the backbone) of one image, or of each image of an array. */
  classify(image: ImageInput, options?: ClassifyOptions): Promise<Prediction[]>;
  classify(images: ImageInput[], options?: ClassifyOptions): Promise<Prediction[][]>;
  /** Decodes, fits and scales images into one input batch `[n, size, size, 3]`. Caller disposes. */
  preprocess(images: ImageInput[]): Promise<tf.Tensor4D>;
  /** Feature vectors `[n, featureDim]` of a preprocessed batch (input range). Caller disposes. */
  features(batch: tf.Tensor4D): tf.Tensor2D;
  /** The spatial map `[n, h, w, c]` at `layer` (default `info.spatialLayer`) of a preprocessed batch. Caller disposes. */
  featureMap(batch: tf.Tensor4D, layer?: string): tf.Tensor4D;
  /** Class probabilities `[n, numClasses]` of a preprocessed batch. Caller disposes. */
  predict(batch: tf.Tensor4D): tf.Tensor2D;
  /** Class names, index-aligned with `predict`'s columns. */
  readonly labels: readonly string[];
  /** Frees every tensor the backbone holds (weights, folded weights). */
  dispose(): void;
}
