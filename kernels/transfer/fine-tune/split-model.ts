/**
 * Splits a composed model into its frozen front (run once per batch, no
 * gradients — so on any backend, in its fused BatchNorm-folded form) and
 * its trainable tail (a chain of layers applied by hand, the only part that
 * needs gradients).
 */
import * as tf from '@tensorflow/tfjs';
import { fuseLayersModel, type FusedModel } from '../backbones/fuse.ts';

/** The two halves of a model around its first trainable layer. */
export interface SplitModel {
  /** Input → activations entering the tail. Shares layers with the model. */
  front: tf.LayersModel;
  /** Layers from the first trainable one to the output, in order. */
  tail: tf.layers.Layer[];
  /** The front's output for an input batch: the fused form when the front is a chain (~2.5× faster). Caller disposes. */
  runFront(x: tf.Tensor): tf.Tensor;
  /** Applies the tail in inference mode (BatchNorm on moving statistics, dropout off). */
  runTail(x: tf.Tensor): tf.Tensor2D;
  /** Frees the fused front's folded weights (the layers stay with the model). */
  dispose(): void;
}

interface ConvConfig {
  kernelSize?: number[];
  strides?: number[];
  dilationRate?: number[] | number;
  dataFormat?: string;
  activation?: string;
  useBias?: boolean;
}

/**
 * `x · w` whose gradients are plain (untransposed) MatMuls of explicitly
 * transposed operands: the tf.js 4.22 wasm backend's MatMul with
 * `transposeA`/`transposeB` set is ~15× slower than without (measured on
 * 784×768·768×768: 50 ms vs 0.7–1.1 s), and autodiff's gradients set them.
 */
const matMulFastGrad = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(saved[1]) as tf.Tensor2D),
      tf.matMul(tf.transpose(saved[0]) as tf.Tensor2D, dy as tf.Tensor2D),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * A 1×1, stride-1 Conv2D written as a matrix product (`matMulFastGrad`):
 * the wasm backend's Conv2DBackpropInput and a JS Conv2DBackpropFilter take
 * ~15× longer on MobileNet's pointwise layers (measured). Undefined for any
 * other layer.
 */
function pointwiseAsMatMul(layer: tf.layers.Layer): ((x: tf.Tensor) => tf.Tensor) | undefined {
  if (layer.getClassName() !== 'Conv2D') return undefined;
  const c = layer.getConfig() as ConvConfig;
  const dilation = Array.isArray(c.dilationRate) ? c.dilationRate : [c.dilationRate ?? 1];
  const ones = (v: number[] | undefined) => v !== undefined && v.every((d) => d === 1);
  if (!ones(c.kernelSize) || !ones(c.strides) || !ones(dilation) || c.dataFormat === 'channels_first') return undefined;
  const activation = c.activation ?? 'linear';
  if (!['linear', 'relu', 'relu6'].includes(activation)) return undefined;
  const [kernel, bias] = layer.trainableWeights.length > 0 ? layer.trainableWeights.map((w) => w.read()) : layer.weights.map((w) => w.read());
  const [ci, co] = [kernel.shape[2]!, kernel.shape[3]!];
  return (x) => {
    const [n, h, w] = x.shape;
    let y: tf.Tensor = matMulFastGrad(x.reshape([-1, ci]) as tf.Tensor2D, kernel.reshape([ci, co]) as tf.Tensor2D);
    if (c.useBias && bias) y = y.add(bias);
    if (activation === 'relu') y = tf.relu(y);
    if (activation === 'relu6') y = tf.relu6(y);
    return y.reshape([n, h, w, co]);
  };
}

interface BatchNormConfig {
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

/**
 * A frozen BatchNormalization in inference mode as one per-channel scale
 * and offset (exact): its gradient is a multiply, where tf.batchNorm's goes
 * through slow Tile ops on wasm. Returns the step and its two constants.
 */
function frozenBatchNorm(layer: tf.layers.Layer): { step: (x: tf.Tensor) => tf.Tensor; constants: tf.Tensor[] } | undefined {
  if (layer.getClassName() !== 'BatchNormalization' || layer.trainable) return undefined;
  const c = layer.getConfig() as BatchNormConfig;
  const weights = layer.getWeights();
  const [gamma, beta] = [c.scale === false ? undefined : weights.shift(), c.center === false ? undefined : weights.shift()];
  const [mean, variance] = weights;
  if (!mean || !variance) return undefined;
  const constants = tf.tidy(() => {
    let scale = variance.add(c.epsilon ?? 1e-3).rsqrt();
    if (gamma) scale = scale.mul(gamma);
    let offset = mean.mul(scale).neg();
    if (beta) offset = offset.add(beta);
    return [scale, offset];
  });
  const [scale, offset] = constants;
  return { step: (x) => x.mul(scale).add(offset), constants };
}

/** Splits `model` before its first layer with trainable weights; the tail must be a simple chain. */
export function splitAtFirstTrainable(model: tf.LayersModel): SplitModel {
  const layers = model.layers;
  const first = layers.findIndex((l) => l.trainable && l.trainableWeights.length > 0);
  if (first < 1) throw new Error('Nothing to fine-tune: no layer after the input has trainable weights.');
  const tail = layers.slice(first);
  tail.forEach((layer, i) => {
    const from = layer.inboundNodes.flatMap((n) => n.inboundLayers.map((l) => l.name));
    const expected = layers[first + i - 1].name;
    if (from.length !== 1 || from[0] !== expected) {
      throw new Error(`Fine-tuning needs the trained layers to form a chain; '${layer.name}' takes [${from.join(', ')}], not just '${expected}'. Unfreeze fewer layers.`);
    }
  });
  const front = tf.model({ inputs: model.inputs, outputs: layers[first - 1].output as tf.SymbolicTensor });
  // The front is frozen, so folding its BatchNorms is exact; a branching front runs as layers.
  const fused: FusedModel | undefined = first > 1 ? fuseLayersModel(front) : undefined;
  const constants: tf.Tensor[] = [];
  const steps = tail.map((layer) => {
    const bn = frozenBatchNorm(layer);
    if (bn) constants.push(...bn.constants);
    return bn?.step ?? pointwiseAsMatMul(layer) ?? ((x: tf.Tensor) => layer.apply(x, { training: false }) as tf.Tensor);
  });
  return {
    front,
    tail,
    runFront: (x) => (fused ? fused.run(x as tf.Tensor4D) : (front.predict(x) as tf.Tensor)),
    runTail: (x) => steps.reduce((h, step) => step(h), x) as tf.Tensor2D,
    dispose: () => {
      fused?.dispose();
      tf.dispose(constants);
    },
  };
}
