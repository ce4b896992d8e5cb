import * as tf from '@tensorflow/tfjs';

/** Activations tf.fused kernels apply in the same pass as the convolution. */
type FusedActivation = 'linear' | 'relu' | 'relu6' | 'leakyrelu';

interface ConvOp {
  kind: 'conv' | 'depthwise';
  /** Name of the last Keras layer this op covers (where its output can be tapped). */
  name: string;
  filter: tf.Tensor4D;
  bias?: tf.Tensor1D;
  strides: [number, number];
  pad: 'same' | 'valid';
  dilations: [number, number];
  activation: FusedActivation;
  alpha: number;
}

interface LayerOp {
  kind: 'layer';
  name: string;
  layer: tf.layers.Layer;
}

type Op = ConvOp | LayerOp;

/**
 * A layers model compiled into its fast inference form: every
 * BatchNormalization folded into the preceding (depthwise) convolution and
 * every ReLU/ReLU6/LeakyReLU after it applied by the same `tf.fused` kernel.
 * Any other layer runs as itself. Holds its own folded weight tensors:
 * call `dispose()`.
 */
export interface FusedModel {
  /** Runs the input through the ops; stops after the op that ends at `stopAt` (a layer name). */
  run(input: tf.Tensor4D, stopAt?: string): tf.Tensor;
  /** Layer names where `run` can stop. */
  readonly taps: ReadonlySet<string>;
  /** Convolutions that were fused (for info and tests). */
  readonly fusedConvs: number;
  dispose(): void;
}

interface KerasConfig {
  strides?: number[];
  padding?: string;
  dilation_rate?: number[] | number;
  dilationRate?: number[] | number;
  activation?: string;
  use_bias?: boolean;
  useBias?: boolean;
  epsilon?: number;
  alpha?: number;
  max_value?: number | null;
  maxValue?: number | null;
  negative_slope?: number;
  threshold?: number;
}

/** How `run` walks a batch through the ops (see `fuseLayersModel`). */
export interface FuseOptions {
  /**
   * Free each intermediate as soon as the next op has read it (default
   * true), so the allocator hands the same, cache-warm memory to the op
   * after; false keeps them all to the end of the pass, as a plain
   * `tf.tidy` does (for comparison in benchmarks).
   */
  freeEarly?: boolean;
}

type LayerWithNodes = tf.layers.Layer & { inboundNodes: Array<{ inboundLayers: tf.layers.Layer[] }> };

/**
 * Compiles `model` if it is a single chain of layers (MobileNet v1, Darknet,
 * VGG-like nets); returns `undefined` for branching graphs (ResNet, Inception),
 * which then run as the layers model. Fusion never extends past a layer named
 * in `boundaries`, so `run(x, name)` can stop exactly there.
 */
export function fuseLayersModel(model: tf.LayersModel, boundaries: Iterable<string> = [], options: FuseOptions = {}): FusedModel | undefined {
  const layers = model.layers;
  if (!isChain(layers as LayerWithNodes[])) return undefined;
  const stops = new Set(boundaries);
  const ops: Op[] = [];
  tf.tidy(() => {
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i];
      const type = layer.getClassName();
      if (type === 'InputLayer') continue;
      if ((type !== 'Conv2D' && type !== 'DepthwiseConv2D') || !simpleConv(layer)) {
        ops.push({ kind: 'layer', name: layer.name, layer });
        continue;
      }
      const op = convOp(layer, type === 'Conv2D' ? 'conv' : 'depthwise');
      // Fold a following BatchNormalization, then absorb a following activation.
      const next = layers[i + 1];
      if (!stops.has(op.name) && next?.getClassName() === 'BatchNormalization' && op.activation === 'linear') {
        foldBatchNorm(op, next);
        i++;
      }
      const act = layers[i + 1];
      const fused = act && !stops.has(op.name) && op.activation === 'linear' ? activationOf(act) : undefined;
      if (fused) {
        op.activation = fused.activation;
        op.alpha = fused.alpha;
        op.name = act.name;
        i++;
      }
      ops.push(op);
    }
    for (const op of ops) {
      if (op.kind !== 'layer') {
        tf.keep(op.filter);
        if (op.bias) tf.keep(op.bias);
      }
    }
  });
  const taps = new Set(ops.map((o) => o.name));
  const freeEarly = options.freeEarly ?? true;
  return {
    taps,
    fusedConvs: ops.filter((o) => o.kind !== 'layer').length,
    run(input, stopAt) {
      if (stopAt !== undefined && !taps.has(stopAt)) {
        throw new Error(`The fused model cannot stop at '${stopAt}'; it can stop at: ${[...taps].join(', ')}.`);
      }
      const last = stopAt === undefined ? ops.length - 1 : ops.findIndex((o) => o.name === stopAt);
      return runOps(ops, input, last, freeEarly);
    },
    dispose() {
      for (const op of ops) {
        if (op.kind !== 'layer') {
          op.filter.dispose();
          op.bias?.dispose();
        }
      }
    },
  };
}

/**
 * `input` through `ops[0..last]`. Each intermediate is freed as soon as the
 * next op has read it (not at the end of the tidy), so the wasm allocator
 * hands that cache-warm memory to the op after: with every intermediate
 * alive, a MobileNet v1 0.75 pass writes ~14 MB of fresh memory per image.
 * With `freeEarly` false every intermediate lives to the end of the tidy.
 */
function runOps(ops: Op[], input: tf.Tensor, last: number, freeEarly: boolean): tf.Tensor {
  return tf.tidy(() => {
    let x: tf.Tensor = input;
    for (let i = 0; i <= last; i++) {
      const y = applyOp(ops[i], x);
      // A layer may hand its input back (Dropout at inference): keep it then.
      if (freeEarly && y !== x && x !== input) x.dispose();
      x = y;
    }
    return x;
  });
}

function applyOp(op: Op, x: tf.Tensor): tf.Tensor {
  if (op.kind === 'layer') return op.layer.apply(x) as tf.Tensor;
  const args = {
    x: x as tf.Tensor4D,
    filter: op.filter,
    strides: op.strides,
    pad: op.pad,
    dilations: op.dilations,
    bias: op.bias,
    activation: op.activation,
    leakyreluAlpha: op.alpha,
  };
  return op.kind === 'conv' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args);
}

function isChain(layers: LayerWithNodes[]): boolean {
  for (let i = 1; i < layers.length; i++) {
    const nodes = layers[i].inboundNodes;
    if (nodes.length !== 1 || nodes[0].inboundLayers.length !== 1) return false;
    if (nodes[0].inboundLayers[0] !== layers[i - 1]) return false;
  }
  return true;
}

function config(layer: tf.layers.Layer): KerasConfig {
  return layer.getConfig() as KerasConfig;
}

function simpleConv(layer: tf.layers.Layer): boolean {
  const c = config(layer);
  const act = c.activation ?? 'linear';
  return ['linear', 'relu', 'relu6'].includes(act) && (c.padding === 'same' || c.padding === 'valid');
}

function pair(v: number[] | number | undefined, fallback: number): [number, number] {
  if (v === undefined) return [fallback, fallback];
  return typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];
}

function convOp(layer: tf.layers.Layer, kind: 'conv' | 'depthwise'): ConvOp {
  const c = config(layer);
  const weights = layer.getWeights();
  const useBias = c.use_bias ?? c.useBias ?? false;
  return {
    kind,
    name: layer.name,
    filter: weights[0].clone() as tf.Tensor4D,
    bias: useBias ? (weights[1].clone() as tf.Tensor1D) : undefined,
    strides: pair(c.strides, 1),
    pad: c.padding as 'same' | 'valid',
    dilations: pair(c.dilation_rate ?? c.dilationRate, 1),
    activation: (c.activation ?? 'linear') as FusedActivation,
    alpha: 0.2,
  };
}

/** W' = W·γ/√(σ²+ε); b' = (b − μ)·γ/√(σ²+ε) + β, per output channel. */
function foldBatchNorm(op: ConvOp, bn: tf.layers.Layer): void {
  const c = config(bn);
  const byName = new Map(bn.weights.map((w, i) => [w.originalName.split('/').pop()!, bn.getWeights()[i]]));
  const mean = byName.get('moving_mean')!;
  const variance = byName.get('moving_variance')!;
  const channels = mean.shape[0];
  const gamma = byName.get('gamma') ?? tf.ones([channels]);
  const beta = byName.get('beta') ?? tf.zeros([channels]);
  const scale = gamma.div(variance.add(c.epsilon ?? 1e-3).sqrt());
  const [kh, kw, inC, mult] = op.filter.shape;
  const filterScale = op.kind === 'conv' ? scale : scale.reshape([inC, mult]);
  op.filter = op.filter.mul(filterScale).reshape([kh, kw, inC, mult]) as tf.Tensor4D;
  const bias = op.bias ?? tf.zeros([channels]);
  op.bias = bias.sub(mean).mul(scale).add(beta) as tf.Tensor1D;
}

function activationOf(layer: tf.layers.Layer): { activation: FusedActivation; alpha: number } | undefined {
  const c = config(layer);
  switch (layer.getClassName()) {
    case 'Activation':
      if (c.activation === 'relu' || c.activation === 'relu6' || c.activation === 'linear') {
        return { activation: c.activation, alpha: 0 };
      }
      return undefined;
    case 'ReLU': {
      const max = c.max_value ?? c.maxValue ?? null;
      if ((c.negative_slope ?? 0) !== 0 || (c.threshold ?? 0) !== 0) return undefined;
      if (max === null || max === undefined) return { activation: 'relu', alpha: 0 };
      return max === 6 ? { activation: 'relu6', alpha: 0 } : undefined;
    }
    case 'LeakyReLU':
      return { activation: 'leakyrelu', alpha: c.alpha ?? 0.3 };
    default:
      return undefined;
  }
}
