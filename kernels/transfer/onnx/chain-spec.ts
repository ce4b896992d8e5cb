import type * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';

/** Activations a convolution step applies to its output. */
export type StepActivation = 'linear' | 'relu' | 'relu6' | 'leakyrelu';

/** A convolution with its BatchNormalization folded in (weights in TF layout). */
export interface ConvStep {
  op: 'conv';
  /** Keras layer name of the convolution. */
  name: string;
  depthwise: boolean;
  /** `[kh, kw, inC, outC]` (conv) or `[kh, kw, inC, multiplier]` (depthwise), as TF stores them. */
  shape: [number, number, number, number];
  kernel: Float32Array;
  /** One bias per output channel (zeros when the layer had none and no BatchNorm). */
  bias: Float32Array;
  strides: [number, number];
  /** Explicit zero padding `[top, left, bottom, right]` (TF 'same' puts the odd pixel bottom/right). */
  pads: [number, number, number, number];
  activation: StepActivation;
  /** LeakyReLU slope (0 otherwise). */
  alpha: number;
  /** Output map `[h, w, c]`. */
  out: [number, number, number];
}

/** A max pooling (padding never counts as a value). */
export interface MaxPoolStep {
  op: 'maxpool';
  name: string;
  size: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  out: [number, number, number];
}

export type ChainStep = ConvStep | MaxPoolStep;

/**
 * A backbone's feature path as plain numbers: the steps from the input to the
 * feature layer, then (when `pool`) a global average pooling. Portable to
 * other runtimes (ONNX, PyTorch) without TF.js.
 */
export interface ChainSpec {
  id: string;
  /** Input `[size, size, 3]`, NHWC, already scaled to the backbone's input range. */
  inputSize: number;
  steps: ChainStep[];
  /** Whether the last map is global-average-pooled (else flattened in NHWC order). */
  pool: boolean;
  featureDim: number;
  /** Multiply-accumulates per image (convolutions only). */
  macs: number;
}

interface LayerConfig {
  strides?: number[];
  pool_size?: number[];
  poolSize?: number[];
  padding?: string;
  kernel_size?: number[];
  dilation_rate?: number[] | number;
  activation?: string;
  use_bias?: boolean;
  useBias?: boolean;
  epsilon?: number;
  alpha?: number;
  max_value?: number | null;
  negative_slope?: number;
  threshold?: number;
}

const SUPPORTED = 'InputLayer, Conv2D, DepthwiseConv2D, BatchNormalization (after a convolution), Activation/ReLU (relu, relu6), LeakyReLU, MaxPooling2D, GlobalAveragePooling2D';

/**
 * Reads a layers backbone's feature path (input → `info.featureLayer`, then
 * pooling as `info.pool` says) into a `ChainSpec`, folding every
 * BatchNormalization into the convolution before it. Throws, naming the
 * layer, for graph models, branching models and layers outside the small
 * set chains of MobileNet v1 / Darknet use.
 */
export function describeChain(net: Backbone): ChainSpec {
  const model = net.model;
  if (!model) throw new Error(`Backbone '${net.info.id}' is a graph model; only layers models can be described as a chain.`);
  const size = net.info.inputSize;
  let map: [number, number, number] = [size, size, 3];
  const steps: ChainStep[] = [];
  let pooled = false;
  let macs = 0;
  let reached = false;
  for (const layer of model.layers) {
    const type = layer.getClassName();
    const c = layer.getConfig() as LayerConfig;
    const last = steps[steps.length - 1];
    if (type === 'InputLayer') {
      // nothing to do
    } else if (type === 'Conv2D' || type === 'DepthwiseConv2D') {
      const step = convStep(layer, type === 'DepthwiseConv2D', c, map);
      macs += step.out[0] * step.out[1] * step.shape[0] * step.shape[1] * step.shape[2] * step.shape[3];
      steps.push(step);
      map = step.out;
    } else if (type === 'BatchNormalization') {
      if (last?.op !== 'conv' || last.activation !== 'linear') throw unsupported(layer, 'a BatchNormalization not right after a convolution');
      foldBatchNorm(last, layer, c);
    } else if (type === 'Activation' || type === 'ReLU' || type === 'LeakyReLU') {
      const act = activationOf(type, c);
      if (!act) throw unsupported(layer, `activation ${JSON.stringify(c.activation ?? c)}`);
      if (act.activation === 'linear') {
        // identity
      } else if (last?.op === 'conv' && last.activation === 'linear') {
        last.activation = act.activation;
        last.alpha = act.alpha;
      } else throw unsupported(layer, 'an activation not right after a convolution');
    } else if (type === 'MaxPooling2D') {
      const step = poolStep(layer.name, c, map);
      steps.push(step);
      map = step.out;
    } else if (type === 'GlobalAveragePooling2D') {
      pooled = true;
    } else {
      throw unsupported(layer, type);
    }
    if (layer.name === net.info.featureLayer) {
      reached = true;
      break;
    }
    if (pooled) throw unsupported(layer, 'layers after the global pooling');
  }
  if (!reached) throw new Error(`Feature layer '${net.info.featureLayer}' was not found in '${net.info.id}'.`);
  const pool = pooled || net.info.pool;
  const featureDim = pool ? map[2] : map[0] * map[1] * map[2];
  if (featureDim !== net.info.featureDim) {
    throw new Error(`The chain of '${net.info.id}' gives ${featureDim} features but the backbone reports ${net.info.featureDim}.`);
  }
  return { id: net.info.id, inputSize: size, steps, pool, featureDim, macs };
}

function unsupported(layer: tf.layers.Layer, what: string): Error {
  return new Error(`Cannot describe layer '${layer.name}' (${what}) as a chain step; supported: ${SUPPORTED}.`);
}

function pair(v: number[] | number | undefined, fallback: number): [number, number] {
  if (v === undefined) return [fallback, fallback];
  return typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];
}

/** TF padding: 'same' gives ceil(in/stride) outputs and puts the odd padding pixel at the end. */
function padding(mode: string | undefined, input: number, k: number, s: number): { out: number; before: number; after: number } {
  if (mode === 'valid') return { out: Math.floor((input - k) / s) + 1, before: 0, after: 0 };
  if (mode !== 'same') throw new Error(`Unsupported padding '${mode}'; expected 'same' or 'valid'.`);
  const out = Math.ceil(input / s);
  const total = Math.max((out - 1) * s + k - input, 0);
  return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

function convStep(layer: tf.layers.Layer, depthwise: boolean, c: LayerConfig, map: [number, number, number]): ConvStep {
  const dil = pair(c.dilation_rate, 1);
  if (dil[0] !== 1 || dil[1] !== 1) throw unsupported(layer, 'dilated convolution');
  const weights = layer.getWeights();
  const shape = weights[0].shape as [number, number, number, number];
  const strides = pair(c.strides, 1);
  const ph = padding(c.padding, map[0], shape[0], strides[0]);
  const pw = padding(c.padding, map[1], shape[1], strides[1]);
  const outC = depthwise ? shape[2] * shape[3] : shape[3];
  const useBias = c.use_bias ?? c.useBias ?? false;
  const act = c.activation ?? 'linear';
  if (!['linear', 'relu', 'relu6'].includes(act)) throw unsupported(layer, `built-in activation '${act}'`);
  return {
    op: 'conv',
    name: layer.name,
    depthwise,
    shape,
    kernel: Float32Array.from(weights[0].dataSync()),
    bias: useBias ? Float32Array.from(weights[1].dataSync()) : new Float32Array(outC),
    strides,
    pads: [ph.before, pw.before, ph.after, pw.after],
    activation: act as StepActivation,
    alpha: 0,
    out: [ph.out, pw.out, outC],
  };
}

function poolStep(name: string, c: LayerConfig, map: [number, number, number]): MaxPoolStep {
  const size = pair(c.pool_size ?? c.poolSize, 2);
  const strides = pair(c.strides ?? size, 2);
  const ph = padding(c.padding ?? 'valid', map[0], size[0], strides[0]);
  const pw = padding(c.padding ?? 'valid', map[1], size[1], strides[1]);
  return { op: 'maxpool', name, size, strides, pads: [ph.before, pw.before, ph.after, pw.after], out: [ph.out, pw.out, map[2]] };
}

/** W' = W·γ/√(σ²+ε); b' = (b − μ)·γ/√(σ²+ε) + β per output channel, computed in float64. */
function foldBatchNorm(step: ConvStep, bn: tf.layers.Layer, c: LayerConfig): void {
  const byName = new Map(bn.weights.map((w, i) => [w.originalName.split('/').pop()!, bn.getWeights()[i].dataSync()]));
  const mean = byName.get('moving_mean')!;
  const variance = byName.get('moving_variance')!;
  const gamma = byName.get('gamma');
  const beta = byName.get('beta');
  const eps = c.epsilon ?? 1e-3;
  const channels = mean.length;
  const scale = Float64Array.from({ length: channels }, (_, o) => (gamma ? gamma[o] : 1) / Math.sqrt(variance[o] + eps));
  // In both TF layouts the output channel is the fastest-varying index of the kernel.
  for (let i = 0; i < step.kernel.length; i++) step.kernel[i] *= scale[i % channels];
  for (let o = 0; o < channels; o++) step.bias[o] = (step.bias[o] - mean[o]) * scale[o] + (beta ? beta[o] : 0);
}

function activationOf(type: string, c: LayerConfig): { activation: StepActivation; alpha: number } | undefined {
  if (type === 'LeakyReLU') return { activation: 'leakyrelu', alpha: c.alpha ?? 0.3 };
  if (type === 'ReLU') {
    if ((c.negative_slope ?? 0) !== 0 || (c.threshold ?? 0) !== 0) return undefined;
    const max = c.max_value ?? null;
    if (max === null) return { activation: 'relu', alpha: 0 };
    return max === 6 ? { activation: 'relu6', alpha: 0 } : undefined;
  }
  const a = c.activation;
  return a === 'relu' || a === 'relu6' || a === 'linear' ? { activation: a, alpha: 0 } : undefined;
}
