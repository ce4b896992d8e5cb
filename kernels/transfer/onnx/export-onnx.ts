import type { ChainSpec, ConvStep } from './chain-spec.ts';
import { ProtoMessage } from './protobuf-writer.ts';

/** ONNX opset the exported graphs use (Clip takes min/max as inputs from 11 on). */
export const ONNX_OPSET = 13;
const IR_VERSION = 7;
const FLOAT = 1;
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 } as const;

/** Names of the exported graph's input and output. */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'features';

/**
 * Encodes a chain as an ONNX model (`ModelProto` bytes): input `input`
 * `[n, size, size, 3]` float32 NHWC in the backbone's input range (as
 * `Backbone.preprocess` gives it), output `features` `[n, featureDim]`.
 * Convolutions carry the folded BatchNorm and explicit TF-style asymmetric
 * padding; depthwise convolutions are grouped `Conv`s; ReLU6 is `Clip(0, 6)`.
 */
export function exportOnnx(spec: ChainSpec): Uint8Array {
  const nodes: ProtoMessage[] = [];
  const initializers: ProtoMessage[] = [];
  let current = 'nchw_input';
  nodes.push(node('Transpose', [ONNX_INPUT], [current], 'to_nchw', [intsAttr('perm', [0, 3, 1, 2])]));
  if (spec.steps.some((s) => s.op === 'conv' && s.activation === 'relu6')) {
    initializers.push(tensor('relu6_min', [], new Float32Array([0])), tensor('relu6_max', [], new Float32Array([6])));
  }

  spec.steps.forEach((step, i) => {
    const out = `${step.name}_${i}`;
    if (step.op === 'maxpool') {
      nodes.push(
        node('MaxPool', [current], [out], step.name, [
          intsAttr('kernel_shape', step.size),
          intsAttr('strides', step.strides),
          intsAttr('pads', step.pads),
        ]),
      );
      current = out;
      return;
    }
    const { weight, dims } = onnxKernel(step);
    initializers.push(tensor(`${step.name}_W`, dims, weight), tensor(`${step.name}_B`, [step.bias.length], step.bias));
    const conv = step.activation === 'linear' ? out : `${out}_conv`;
    nodes.push(
      node('Conv', [current, `${step.name}_W`, `${step.name}_B`], [conv], step.name, [
        intsAttr('kernel_shape', [step.shape[0], step.shape[1]]),
        intsAttr('strides', step.strides),
        intsAttr('pads', step.pads),
        intAttr('group', step.depthwise ? step.shape[2] : 1),
      ]),
    );
    if (step.activation === 'relu') nodes.push(node('Relu', [conv], [out], `${step.name}_relu`));
    if (step.activation === 'relu6') nodes.push(node('Clip', [conv, 'relu6_min', 'relu6_max'], [out], `${step.name}_relu6`));
    if (step.activation === 'leakyrelu') nodes.push(node('LeakyRelu', [conv], [out], `${step.name}_leaky`, [floatAttr('alpha', step.alpha)]));
    current = out;
  });

  if (spec.pool) {
    nodes.push(node('GlobalAveragePool', [current], ['pooled'], 'pool'));
    nodes.push(node('Flatten', ['pooled'], [ONNX_OUTPUT], 'flatten', [intAttr('axis', 1)]));
  } else {
    // Tailor flattens an unpooled map in NHWC order.
    nodes.push(node('Transpose', [current], ['nhwc_out'], 'to_nhwc', [intsAttr('perm', [0, 2, 3, 1])]));
    nodes.push(node('Flatten', ['nhwc_out'], [ONNX_OUTPUT], 'flatten', [intAttr('axis', 1)]));
  }

  const graph = new ProtoMessage();
  for (const n of nodes) graph.message(1, n);
  graph.string(2, `tailor_${spec.id}`);
  for (const t of initializers) graph.message(5, t);
  graph.message(11, valueInfo(ONNX_INPUT, ['n', spec.inputSize, spec.inputSize, 3]));
  graph.message(12, valueInfo(ONNX_OUTPUT, ['n', spec.featureDim]));

  return new ProtoMessage()
    .varint(1, IR_VERSION)
    .string(2, 'tailor')
    .string(3, '0.1')
    .message(7, graph)
    .message(8, new ProtoMessage().string(1, '').varint(2, ONNX_OPSET))
    .toBytes();
}

/** TF `[kh, kw, in, out]` → ONNX `[out, in, kh, kw]`; depthwise `[kh, kw, c, m]` → `[c·m, 1, kh, kw]`. */
function onnxKernel(step: ConvStep): { weight: Float32Array; dims: number[] } {
  const [kh, kw, inC, last] = step.shape;
  const outC = step.depthwise ? inC * last : last;
  const perOut = step.depthwise ? 1 : inC;
  const weight = new Float32Array(step.kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let c = 0; c < inC; c++) {
        for (let m = 0; m < last; m++) {
          const src = ((y * kw + x) * inC + c) * last + m;
          const o = step.depthwise ? c * last + m : m;
          const i = step.depthwise ? 0 : c;
          weight[((o * perOut + i) * kh + y) * kw + x] = step.kernel[src];
        }
      }
    }
  }
  return { weight, dims: [outC, perOut, kh, kw] };
}

function node(op: string, inputs: string[], outputs: string[], name: string, attrs: ProtoMessage[] = []): ProtoMessage {
  const n = new ProtoMessage();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  n.string(3, name).string(4, op);
  for (const a of attrs) n.message(5, a);
  return n;
}

function intAttr(name: string, value: number): ProtoMessage {
  return new ProtoMessage().string(1, name).varint(3, value).varint(20, ATTR.INT);
}

function floatAttr(name: string, value: number): ProtoMessage {
  return new ProtoMessage().string(1, name).float32(2, value).varint(20, ATTR.FLOAT);
}

function intsAttr(name: string, values: readonly number[]): ProtoMessage {
  const a = new ProtoMessage().string(1, name);
  for (const v of values) a.varint(8, v);
  return a.varint(20, ATTR.INTS);
}

function tensor(name: string, dims: number[], data: Float32Array): ProtoMessage {
  const t = new ProtoMessage();
  for (const d of dims) t.varint(1, d);
  t.varint(2, FLOAT).string(8, name);
  // raw_data is little-endian, as Float32Array is on every platform tf.js runs on.
  return t.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function valueInfo(name: string, dims: Array<number | string>): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoMessage().varint(1, d) : new ProtoMessage().string(2, d));
  const tensorType = new ProtoMessage().varint(1, FLOAT).message(2, shape);
  return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
}
