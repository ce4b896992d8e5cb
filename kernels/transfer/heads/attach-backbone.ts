/**
 * A head with its backbone attached: `head.predict(images)` extracts the
 * features the way the training rows were extracted (same backbone, input
 * size, crop, range and test-time augmentation), then classifies them.
 * Feature input still works as before.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';
import { imagesToBatch, listImages, type ImagesInput } from '../export/model-inputs.ts';
import type { FeatureSet } from '../types.ts';
import { isFeatureSet } from './feature-input.ts';
import type { FeatureHead, FeatureInput, Head, HeadPrediction } from './head-types.ts';

/** How the training rows were extracted, as far as the FeatureSet says. */
export interface FeatureOrigin {
  backbone?: string;
  preprocessing?: string;
  tta: 'none' | 'flip';
}

/** Reads the origin recorded by `extractFeatures` on a FeatureSet. */
export function featureOrigin(set: FeatureSet): FeatureOrigin {
  return { backbone: set.source?.backbone, preprocessing: set.source?.preprocessing, tta: set.source?.tta ?? 'none' };
}

/** True for what heads take as feature rows (a rank-2 tensor, rows, a FeatureSet); false for images. */
export function isFeatureInput(input: FeatureInput | ImagesInput): input is FeatureInput {
  if (input instanceof tf.Tensor) return input.rank === 2;
  if (input instanceof Float32Array || isFeatureSet(input)) return true;
  return Array.isArray(input) && (input.length === 0 || Array.isArray(input[0]));
}

const batchSize = 32;

/** Features `[n, dim]` of images through `net` (caller disposes), flip-averaged when `tta` is 'flip'. */
async function imageFeatures(net: Backbone, images: ImagesInput, tta: 'none' | 'flip'): Promise<tf.Tensor2D> {
  const run = (batch: tf.Tensor4D) =>
    tf.tidy(() => (tta === 'flip' ? net.features(batch).add(net.features(tf.reverse(batch, 2) as tf.Tensor4D)).div(2) : net.features(batch)) as tf.Tensor2D);
  if (images instanceof tf.Tensor && images.rank === 4) return run(images as unknown as tf.Tensor4D);
  const list = listImages(images);
  const preprocessing = { inputSize: net.info.inputSize, inputRange: net.info.inputRange, crop: net.info.crop };
  const parts: tf.Tensor2D[] = [];
  try {
    for (let i = 0; i < list.length; i += batchSize) {
      const batch = await imagesToBatch(list.slice(i, i + batchSize), preprocessing);
      parts.push(run(batch));
      batch.dispose();
    }
    return parts.length === 1 ? parts[0].clone() : (tf.concat(parts) as tf.Tensor2D);
  } finally {
    tf.dispose(parts);
  }
}

/** Throws unless `net` gives the features the head was trained on. */
function assertMatches(head: FeatureHead, net: Backbone, origin: FeatureOrigin): void {
  if (net.info.featureDim !== head.dim) {
    throw new RangeError(`The head expects ${head.dim}-long features but '${net.info.id}' gives ${net.info.featureDim}; attach the backbone its training features came from.`);
  }
  if (origin.backbone !== undefined && origin.backbone !== net.info.id) {
    throw new RangeError(`The head was trained on features of '${origin.backbone}', not '${net.info.id}'; attach that backbone.`);
  }
  if (origin.preprocessing !== undefined && origin.preprocessing !== net.info.preprocessing) {
    throw new RangeError(
      `The head was trained on features preprocessed as ${origin.preprocessing} but this backbone preprocesses as ${net.info.preprocessing}; ` +
        'load it with the same options (inputSize, crop) as for training.',
    );
  }
}

/**
 * Gives `head` an `attach(net)` method and makes its `predict` take images
 * once a backbone is attached. Mutates and returns `head`. The head does not
 * own the backbone: disposing the head leaves it alone.
 */
export function makeAttachable<H extends Head>(built: FeatureHead<H>, origin: FeatureOrigin): H {
  const head = built as H;
  const predictFeatures = head.predict.bind(head) as (input: FeatureInput) => Promise<HeadPrediction[]>;
  let attached: Backbone | undefined;
  const self = head as H & { backbone?: Backbone };
  Object.defineProperty(self, 'backbone', { get: () => attached, enumerable: true });
  self.attach = (net: Backbone) => {
    assertMatches(head, net, origin);
    attached = net;
    return self;
  };
  self.predict = async (input: FeatureInput | ImagesInput): Promise<HeadPrediction[]> => {
    if (isFeatureInput(input)) return predictFeatures(input);
    if (!attached) {
      throw new TypeError(
        'predict() got images but no backbone is attached: call head.attach(net) (or trainHead(train, {backbone: net})) first, ' +
          'or pass features from extractFeatures(net, images).',
      );
    }
    const features = await imageFeatures(attached, input, origin.tta);
    try {
      return await predictFeatures(features);
    } finally {
      features.dispose();
    }
  };
  return self;
}
