import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../backend.ts';
import { sha256Hex } from '../env.ts';
import { checkCrop, imageInputToRaw, preprocessingKey, rawImagesToBatch, type ImageInput } from '../images/preprocess.ts';
import type { CropMode } from '../images/raw-image.ts';
import type { InputRange } from '../types.ts';
import type { Backbone, BackboneInfo, ClassifyOptions, Prediction } from './backbone.ts';
import { catalogEntry, type CatalogEntry, type OutputSpec } from './catalog.ts';
import { guessOutputSpec, toProbabilities, topClasses } from './class-scores.ts';
import { fuseLayersModel, type FusedModel } from './fuse.ts';
import { IMAGENET_CLASSES } from './imagenet-classes.ts';
import { droppedFiles, folderFiles, readHandlerArtifacts, readModelArtifacts, urlFiles, type LoadedArtifacts } from './model-files.ts';
import { resolveCatalogWeights, type WeightsOrigin } from './resolve-weights.ts';
import { resizeModelInput } from './resize-input.ts';
import { releaseOnnxFeatures } from '../onnx/onnx-features.ts';
import { SIMD_BACKEND, startSimd, type SimdFeatures } from '../simd/simd-features.ts';

/** Where a backbone comes from: a catalogue id, a URL or folder of `model.json`, dropped files, or a tf.io handler. */
export type BackboneSource = string | { url: string } | { folder: string } | { files: ArrayLike<File> } | tf.io.IOHandler;

/** Options of `loadBackbone`. Every field is optional; catalogued models know their own values. */
export interface BackboneOptions {
  /** Layer (layers model) or node (graph model) to read features from. Default: the catalogue's pooled layer; for other models the layer before the classifier's last. */
  featureLayer?: string;
  /** Global-average-pool a spatial feature layer into a vector (default true for 4-D layers). */
  pool?: boolean;
  /** Use the fused inference form when the model is a chain of layers (default true). */
  fused?: boolean;
  /**
   * Compute `features` on Tailor's wasm SIMD kernels, on every core (default
   * true; `TAILOR_SIMD=0` in Node turns it off): for fused chains of the
   * layers MobileNet v1 and Darknet use, when TF.js runs on wasm.
   * Checked against the TF.js features (max difference 1e-3) at load;
   * `info.engine` says what runs and, when the TF.js path does, why.
   */
  simd?: boolean;
  /** How images are fitted to the input (default `center`). */
  crop?: CropMode;
  /** For uncatalogued models: the input range (default [-1, 1], the TF.js MobileNet convention). */
  inputRange?: InputRange;
  /** For uncatalogued models: class names in output order (default: ImageNet's for 1000/1001 outputs). */
  labels?: string[];
  /** For uncatalogued models: a name for `info.id` and cache keys. */
  id?: string;
  /**
   * Run a layers backbone at this square input size instead of its own
   * (same weights; the model is rebuilt for the new input). Pooled features
   * at a higher resolution than training (e.g. 288 for a 224 MobileNet) often
   * separate small objects better. Part of `info.preprocessing`, so cached
   * features and exported models follow it. Default: the model's own size.
   */
  inputSize?: number;
}

/**
 * Loads a pretrained backbone. A string is a catalogue id (`CATALOG`): its
 * weights come from `public/models/<id>/`, then the download cache, then the
 * publisher's URL. Validates every option and lists the valid choices in its
 * errors; warms the network up before returning.
 */
export async function loadBackbone(source: BackboneSource, options: BackboneOptions = {}): Promise<Backbone> {
  const entry = typeof source === 'string' && !source.includes('/') ? catalogEntry(source) : undefined;
  if (options.crop !== undefined) checkCrop(options.crop);
  await ensureBackend();
  const { loaded, origin } = entry ? await resolveCatalogWeights(entry) : await readCustom(source);
  const weightsHash = await sha256Hex(loaded.weightBytes);
  let model = loaded.format === 'layers' ? await loadLayers(loaded, origin.location) : undefined;
  if (options.inputSize !== undefined) {
    if (!model) throw new Error(`inputSize works with layers backbones only; '${origin.location}' is a graph model: leave inputSize out.`);
    if (model.inputs[0].shape[1] !== options.inputSize || model.inputs[0].shape[2] !== options.inputSize) {
      const original = model;
      try {
        model = resizeModelInput(original, options.inputSize);
      } finally {
        original.dispose();
      }
    }
  }
  const graph = loaded.format === 'graph' ? await tf.loadGraphModel(tf.io.fromMemory(loaded.artifacts)) : undefined;
  try {
    return await buildBackbone({ entry, options, loaded, origin, weightsHash, model, graph });
  } catch (error) {
    model?.dispose();
    graph?.dispose();
    throw error;
  }
}

/** tf.loadLayersModel, with its "Unknown layer" essay turned into what it means for a backbone. */
async function loadLayers(loaded: LoadedArtifacts, location: string): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(loaded.artifacts));
  } catch (error) {
    const unknown = /Unknown layer: (\S+?)\./.exec((error as Error).message);
    if (!unknown) throw error;
    throw new Error(
      `The model at ${location} uses a layer type TensorFlow.js does not know: '${unknown[1]}' (a custom layer of the code that ` +
        'trained it). Re-export the model with built-in layers only, or register the class with tf.serialization.registerClass ' +
        'before loading it; or pick a catalogued backbone (e.g. mobilenet_v1_0.25_224).',
      { cause: error },
    );
  }
}

/** Throws unless the model takes a batch of RGB images `[n, h, w, 3]`. */
function checkImageInput(shape: readonly (number | null)[], location: string): void {
  if (shape.length === 4 && shape[3] === 3) return;
  const shown = `[${shape.map((d) => (d === null || d < 0 ? 'null' : d)).join(', ')}]`;
  const what = shape.length === 4 ? `${shape[3]}-channel images` : `rank-${shape.length} input, not images`;
  throw new Error(
    `The model at ${location} takes input of shape ${shown} (${what}); a backbone must take RGB images [n, height, width, 3]. ` +
      'Use a model trained on colour images.',
  );
}

/** Throws unless `batch` is `[n, size, size, 3]`, naming the call and how to make one. */
function checkBatch(call: string, batch: tf.Tensor, size: number): void {
  const [n, h, w, c] = batch.shape;
  if (batch.rank === 4 && h === size && w === size && c === 3 && n !== undefined) return;
  throw new Error(
    `${call} takes a batch of shape [n, ${size}, ${size}, 3]; got [${batch.shape.join(', ')}]. ` +
      'Make one with `await net.preprocess(images)` (it decodes, fits and scales images for this backbone).',
  );
}

async function readCustom(source: BackboneSource): Promise<{ loaded: LoadedArtifacts; origin: WeightsOrigin }> {
  const hint = 'Check the path or URL: it must point at a TensorFlow.js model.json with its weight shards beside it.';
  if (typeof source === 'string') {
    const files = /^(https?:|\/|\.)/.test(source) && /model\.json([?#].*)?$/.test(source) ? urlFiles(source) : folderFiles(source);
    const kind = /^https?:/.test(source) ? 'url' : 'folder';
    return { loaded: await readModelArtifacts(files, hint), origin: { kind, location: source } };
  }
  if ('url' in source && typeof source.url === 'string') {
    const url = /\.json([?#].*)?$/.test(source.url) ? source.url : `${source.url.replace(/\/$/, '')}/model.json`;
    return { loaded: await readModelArtifacts(urlFiles(url), hint), origin: { kind: 'url', location: url } };
  }
  if ('folder' in source && typeof source.folder === 'string') {
    return { loaded: await readModelArtifacts(folderFiles(source.folder), hint), origin: { kind: 'folder', location: source.folder } };
  }
  if ('files' in source && source.files) {
    const files = droppedFiles(source.files);
    return { loaded: await readModelArtifacts(files, 'Drop model.json together with every weight shard it names.'), origin: { kind: 'files', location: files.label } };
  }
  if ('load' in source && typeof source.load === 'function') {
    return { loaded: await readHandlerArtifacts(source), origin: { kind: 'handler', location: 'tf.io.IOHandler' } };
  }
  throw new Error(
    'loadBackbone needs a catalogue id (e.g. "mobilenet_v1_0.25_224"), {url}, {folder}, {files} or a tf.io.IOHandler.',
  );
}

interface Parts {
  entry: CatalogEntry | undefined;
  options: BackboneOptions;
  loaded: LoadedArtifacts;
  origin: WeightsOrigin;
  weightsHash: string;
  model: tf.LayersModel | undefined;
  graph: tf.GraphModel | undefined;
}

function layerNames(parts: Parts): string[] {
  if (parts.model) return parts.model.layers.map((l) => l.name);
  const topology = parts.loaded.artifacts.modelTopology as { node?: Array<{ name: string; op: string }> };
  return (topology.node ?? []).filter((n) => n.op !== 'Const').map((n) => n.name);
}

function defaultFeatureLayer(model: tf.LayersModel | undefined, graph: tf.GraphModel | undefined): string {
  if (model) {
    // The last layer whose output is a 4-D map or whose successor changes the rank: usually the pooled vector.
    const layers = model.layers;
    const pooled = [...layers].reverse().find((l) => /GlobalAveragePooling|GlobalMaxPooling|Flatten/.test(l.getClassName()));
    return (pooled ?? layers[Math.max(0, layers.length - 2)]).name;
  }
  return graph!.outputNodes[0];
}

async function buildBackbone(parts: Parts): Promise<Backbone> {
  const { entry, options, loaded, model, graph } = parts;
  const names = layerNames(parts);
  const featureLayer = options.featureLayer ?? entry?.featureLayer ?? defaultFeatureLayer(model, graph);
  if (!names.includes(featureLayer)) {
    const list = names.length > 400 ? `${names.slice(0, 400).join(', ')}, … (${names.length} in all)` : names.join(', ');
    throw new Error(`Unknown feature layer '${featureLayer}'. Layers of this model: ${list}.`);
  }
  const spatialLayer = options.featureLayer ? undefined : entry?.spatialLayer;
  const inputShape = (model ? model.inputs[0].shape : graph!.inputs[0].shape) ?? [];
  checkImageInput(inputShape, parts.origin.location);
  const inputSize = options.inputSize ?? entry?.inputSize ?? (inputShape[1] && inputShape[1] > 0 ? inputShape[1] : 224);
  const inputRange = entry?.inputRange ?? options.inputRange ?? [-1, 1];
  const crop = options.crop ?? 'center';
  const useFused = (options.fused ?? true) && model !== undefined;
  const boundaries = [featureLayer, ...(spatialLayer ? [spatialLayer] : [])];
  const fused: FusedModel | undefined = useFused ? fuseLayersModel(model!, boundaries) : undefined;
  const truncated = new Map<string, tf.LayersModel>();

  /** Output of `layer` for an input batch, by the fastest path available. */
  const runTo = (batch: tf.Tensor4D, layer: string): tf.Tensor => {
    if (fused) return fused.run(batch, layer);
    if (graph) return graph.execute(batch, layer) as tf.Tensor;
    let cut = truncated.get(layer);
    if (!cut) {
      cut = tf.model({ inputs: model!.inputs, outputs: model!.getLayer(layer).output as tf.SymbolicTensor });
      truncated.set(layer, cut);
    }
    return cut.predict(batch) as tf.Tensor;
  };
  const runAll = (batch: tf.Tensor4D): tf.Tensor => {
    if (fused) return fused.run(batch);
    if (graph) return graph.predict(batch) as tf.Tensor;
    return model!.predict(batch) as tf.Tensor;
  };
  const pool = options.pool ?? true;
  const tfjsFeatures = (batch: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      checkBatch('net.features', batch, inputSize);
      const out = runTo(batch, featureLayer);
      if (out.rank === 4) return (pool ? out.mean([1, 2]) : out.reshape([out.shape[0], -1])) as tf.Tensor2D;
      return out.reshape([out.shape[0], -1]) as tf.Tensor2D;
    });

  let simd: SimdFeatures | undefined;
  const features = (batch: tf.Tensor4D): tf.Tensor2D => {
    // The engine stands in for TF.js's wasm kernels only: on WebGL features stay on the GPU.
    if (!simd || tf.getBackend() !== SIMD_BACKEND) return tfjsFeatures(batch);
    checkBatch('net.features', batch, inputSize);
    return tf.tensor2d(simd.features(batch), [batch.shape[0], simd.featureDim]);
  };

  // Warm-up: compiles kernels, checks the input size and measures the feature and output widths.
  const zeros = tf.zeros([1, inputSize, inputSize, 3]) as tf.Tensor4D;
  const probe = tf.tidy(() => [features(zeros), runAll(zeros).reshape([1, -1]), runTo(zeros, featureLayer)]);
  const [featureDim, numOutputs] = probe.map((t) => t.shape[1] as number);
  const spatial = probe[2].rank === 4;
  tf.dispose([zeros, ...probe]);
  const outputSpec: OutputSpec = entry?.output ?? guessOutputSpec(model, numOutputs);
  const numClasses = numOutputs - (outputSpec.offset ?? 0);
  const labels = options.labels ?? (numClasses === 1000 ? IMAGENET_CLASSES : Array.from({ length: numClasses }, (_, i) => `class ${i}`));
  if (labels.length !== numClasses) {
    throw new Error(`options.labels has ${labels.length} names but the model has ${numClasses} classes.`);
  }
  const params = model ? model.countParams() : Object.values(graph!.weights).flat().reduce((n, t) => n + t.size, 0);
  const fit = { size: inputSize, crop };
  const info: BackboneInfo = {
    id: entry?.id ?? options.id ?? parts.origin.location.replace(/\/model\.json.*$/, '').split('/').pop() ?? 'custom',
    description: entry?.description ?? `${loaded.format} model from ${parts.origin.location}`,
    format: loaded.format,
    inputSize,
    inputRange,
    crop,
    featureLayer,
    pool: pool && spatial,
    featureDim,
    spatialLayer,
    numClasses,
    params,
    sizeBytes: loaded.sizeBytes,
    source: parts.origin,
    verified: entry?.verified ?? false,
    fused: fused !== undefined,
    weightsHash: parts.weightsHash,
    preprocessing: preprocessingKey(fit, inputRange),
    engine: `TF.js ${tf.getBackend()}${fused ? ', fused' : ''}`,
  };
  if (fused) {
    const started = await startSimd({ model: model!, info }, tfjsFeatures, options.simd);
    if (typeof started === 'string') info.engine += ` (${started})`;
    else {
      simd = started;
      info.engine = started.runtime;
    }
  }
  const preprocess = async (images: ImageInput[]): Promise<tf.Tensor4D> =>
    rawImagesToBatch(await Promise.all(images.map((im) => imageInputToRaw(im, fit))), inputRange);
  const predict = (batch: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      checkBatch('net.predict', batch, inputSize);
      return toProbabilities(runAll(batch), outputSpec);
    });

  async function classify(image: ImageInput, o?: ClassifyOptions): Promise<Prediction[]>;
  async function classify(images: ImageInput[], o?: ClassifyOptions): Promise<Prediction[][]>;
  async function classify(input: ImageInput | ImageInput[], o: ClassifyOptions = {}): Promise<Prediction[] | Prediction[][]> {
    const topK = o.topK ?? 5;
    if (!Number.isInteger(topK) || topK < 1) throw new Error(`topK must be a positive integer; got ${topK}.`);
    const list = Array.isArray(input) ? input : [input];
    const batch = await preprocess(list);
    const probabilities = predict(batch);
    batch.dispose();
    try {
      const rows = await topClasses(probabilities, labels, topK);
      return Array.isArray(input) ? rows : rows[0];
    } finally {
      probabilities.dispose();
    }
  }

  const net: Backbone = {
    info,
    model,
    graph,
    labels,
    classify,
    preprocess,
    features,
    predict,
    featureMap(batch, layer = spatialLayer ?? featureLayer) {
      checkBatch('net.featureMap', batch, inputSize);
      if (!names.includes(layer)) throw new Error(`Unknown layer '${layer}'. Layers of this model: ${names.join(', ')}.`);
      if (fused && !fused.taps.has(layer)) {
        return tf.tidy(() => {
          let cut = truncated.get(layer);
          if (!cut) {
            cut = tf.model({ inputs: model!.inputs, outputs: model!.getLayer(layer).output as tf.SymbolicTensor });
            truncated.set(layer, cut);
          }
          return cut.predict(batch) as tf.Tensor4D;
        });
      }
      const out = runTo(batch, layer);
      if (out.rank !== 4) {
        out.dispose();
        throw new Error(`Layer '${layer}' is not a spatial map (rank ${out.rank}); pick a convolutional layer.`);
      }
      return out as tf.Tensor4D;
    },
    dispose() {
      // The ONNX Runtime session extractFeatures may have opened for this backbone.
      void releaseOnnxFeatures(this);
      simd?.dispose();
      simd = undefined;
      fused?.dispose();
      model?.dispose();
      graph?.dispose();
    },
  };
  return net;
}
