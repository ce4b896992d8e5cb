import type { InputRange } from '../types.ts';

/** How a catalogued network's raw output becomes ImageNet class scores. */
export interface OutputSpec {
  /** `probabilities` are used as they are; `logits` go through softmax first. */
  kind: 'probabilities' | 'logits';
  /** Outputs to drop at the start (1 for TF-Hub models with a "background" class). */
  offset?: number;
  /** Output unit `i` (after `offset`) is ImageNet class `remap[i]`. */
  remap?: 'darknet';
}

/** One known ImageNet backbone. */
export interface CatalogEntry {
  id: string;
  description: string;
  /** `layers` models fuse and fine-tune; `graph` models are inference-only. */
  format: 'layers' | 'graph';
  inputSize: number;
  /** Pixel values [0, 255] are mapped linearly onto this range. */
  inputRange: InputRange;
  /** Default feature layer (layers) or node (graph). */
  featureLayer: string;
  /** Whether the feature layer is spatial and is global-average-pooled into a vector. */
  pool: boolean;
  /** The spatial map before pooling, for visualisation. */
  spatialLayer: string;
  /** Length of the pooled feature vector. */
  featureDim: number;
  output: OutputSpec;
  /** The publisher's URL of `model.json` (shards beside it). */
  url: string;
  /** Tested offline against the shipped weights and photos (false: needs network, untested here). */
  verified: boolean;
  /** TF-Hub style URLs need `fromTFHub` resolution (`?tfjs-format=file`). */
  fromTFHub?: boolean;
}

const TFJS_MODELS = 'https://storage.googleapis.com/tfjs-models';

function mobilenetV1(alpha: '0.25' | '0.50' | '0.75' | '1.0', dim: number, verified: boolean): CatalogEntry {
  return {
    id: `mobilenet_v1_${alpha}_224`,
    description: `MobileNet v1 α=${alpha}, 224×224 (Keras layers model)`,
    format: 'layers',
    inputSize: 224,
    inputRange: [-1, 1],
    featureLayer: 'global_average_pooling2d_1',
    pool: false,
    spatialLayer: 'conv_pw_13_relu',
    featureDim: dim,
    output: { kind: 'probabilities' },
    url: `${TFJS_MODELS}/tfjs/mobilenet_v1_${alpha}_224/model.json`,
    verified,
  };
}

/**
 * The known backbones, by id. `verified` ones ship in `public/models/` via
 * `npm run assets` and are covered by tests; the rest load from their
 * publisher's URL when the machine has network.
 */
export const CATALOG: Readonly<Record<string, CatalogEntry>> = Object.fromEntries(
  [
    mobilenetV1('0.25', 256, true),
    mobilenetV1('0.50', 512, false),
    mobilenetV1('0.75', 768, true),
    mobilenetV1('1.0', 1024, false),
    {
      id: 'mobilenet_v2_1.0_224',
      description: 'MobileNet v2 α=1.0, 224×224 (graph model; inference only)',
      format: 'graph',
      inputSize: 224,
      inputRange: [-1, 1],
      featureLayer: 'module_apply_default/MobilenetV2/Logits/AvgPool',
      pool: false,
      spatialLayer: 'module_apply_default/MobilenetV2/Conv_1/Relu6',
      featureDim: 1280,
      output: { kind: 'logits', offset: 1 },
      url: `${TFJS_MODELS}/savedmodel/mobilenet_v2_1.0_224/model.json`,
      verified: false,
    },
    {
      id: 'darknet_tiny',
      description: 'Darknet tiny ImageNet classifier, 224×224 (Keras layers model, LeakyReLU 0.1)',
      format: 'layers',
      inputSize: 224,
      inputRange: [0, 1],
      featureLayer: 'leaky_re_lu_14',
      pool: true,
      spatialLayer: 'leaky_re_lu_14',
      featureDim: 512,
      output: { kind: 'logits', remap: 'darknet' },
      url: 'https://raw.githubusercontent.com/ml5js/ml5-data-and-models/master/models/darknetclassifier/darknettiny/model.json',
      verified: true,
    },
    {
      id: 'resnet_v2_50',
      description: 'ResNet-50 v2, 224×224 (TF-Hub graph model; unverified offline)',
      format: 'graph',
      inputSize: 224,
      inputRange: [0, 1],
      featureLayer: 'module_apply_default/resnet_v2_50/pool5',
      pool: false,
      spatialLayer: 'module_apply_default/resnet_v2_50/postnorm/Relu',
      featureDim: 2048,
      output: { kind: 'logits', offset: 1 },
      url: 'https://tfhub.dev/google/tfjs-model/imagenet/resnet_v2_50/classification/3/default/1',
      verified: false,
      fromTFHub: true,
    },
    {
      id: 'inception_v3',
      description: 'Inception v3, 299×299 (TF-Hub graph model; unverified offline)',
      format: 'graph',
      inputSize: 299,
      inputRange: [0, 1],
      featureLayer: 'module_apply_default/InceptionV3/Logits/GlobalPool',
      pool: false,
      spatialLayer: 'module_apply_default/InceptionV3/InceptionV3/Mixed_7c/concat',
      featureDim: 2048,
      output: { kind: 'logits', offset: 1 },
      url: 'https://tfhub.dev/google/tfjs-model/imagenet/inception_v3/classification/3/default/1',
      verified: false,
      fromTFHub: true,
    },
  ].map((e) => [e.id, e as CatalogEntry]),
);

/** The catalogue entry for `id`, or an error listing every known id. */
export function catalogEntry(id: string): CatalogEntry {
  const entry = CATALOG[id];
  if (!entry) {
    const known = Object.values(CATALOG).map((e) => `${e.id}${e.verified ? '' : ' (unverified offline)'}`);
    throw new Error(
      `Unknown backbone '${id}'. Known backbones: ${known.join(', ')}. ` +
        'Any other TF.js model loads with loadBackbone({url}), loadBackbone({folder}) or loadBackbone({files}).',
    );
  }
  return entry;
}
