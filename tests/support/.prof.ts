import * as tf from '@tensorflow/tfjs';
import { backbone, hymenoptera, hymenopteraFeatures } from './heads-fixtures.ts';
import { trainHead } from '../../kernels/transfer/index.ts';
import { copyFeatureExtractor } from '../../kernels/transfer/export/compose-model.ts';
import { applyFreezing, selectUnfrozen } from '../../kernels/transfer/fine-tune/unfreeze.ts';
import { splitAtFirstTrainable } from '../../kernels/transfer/fine-tune/split-model.ts';
import { imagesToBatch } from '../../kernels/transfer/export/model-inputs.ts';
import { augment } from '../../kernels/transfer/index.ts';
const id = 'mobilenet_v1_0.25_224';
const net = await backbone(id); const ds = await hymenoptera();
const train = await hymenopteraFeatures(id, 'train');
const head = await trainHead(train, { epochs: 5 }) as any;
const ex = copyFeatureExtractor(net);
const bl = ex.model.layers.filter((l) => l.getClassName() !== 'InputLayer');
const unf = selectUnfrozen(bl, 'last-block'); console.log(unf);
const model = tf.model({ inputs: ex.inputs, outputs: head.applyLayers(ex.features, 'head') });
applyFreezing(model, new Set(bl.map((l) => l.name)), new Set(unf));
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable); console.log(vars.map(v => v.name));
const split = splitAtFirstTrainable(model); console.log(split.tail.map(l => l.name));
let t = Date.now();
const imgs = await imagesToBatch(ds.train!.items.slice(0, 16), { inputSize: 224, inputRange: [-1, 1], crop: 'center' });
console.log('decode16', Date.now() - t); t = Date.now();
const aug = augment(imgs, { seed: 1, range: [-1, 1] }); await aug.data(); console.log('augment', Date.now() - t); t = Date.now();
const act = split.front.predict(aug) as tf.Tensor; await act.data(); console.log('front', Date.now() - t, act.shape); t = Date.now();
const opt = tf.train.adam(1e-4);
await tf.setBackend('cpu'); console.log('switch', Date.now() - t); t = Date.now();
const y = tf.tensor1d(new Int32Array(16), 'int32');
const act2 = tf.tensor(await act.data(), act.shape); console.log('copy', Date.now() - t); t = Date.now();
for (const l of split.tail) { const q = tf.tidy(() => { let h: any = act2; for (const m of split.tail) { h = m.apply(h, {training: false}); if (m === l) break; } return h; }); await q.data(); console.log('fwd through', l.name, Date.now() - t); t = Date.now(); q.dispose(); }
const prof = await tf.profile(() => opt.minimize(() => { const p = split.runTail(act2); return tf.mean(tf.log(tf.sum(p.mul(tf.oneHot(y, 2)), 1).maximum(1e-7))).neg() as tf.Scalar; }, false, vars));
console.log(prof.kernels.map(k => [k.name, k.kernelTimeMs]).filter(k => (k[1] as number) > 50));
t = Date.now();
for (let i = 0; i < 1; i++) {
opt.minimize(() => { const p = split.runTail(act); return tf.mean(tf.log(tf.sum(p.mul(tf.oneHot(y, 2)), 1).maximum(1e-7))).neg() as tf.Scalar; }, false, vars);
console.log('cpu step', Date.now() - t); t = Date.now(); }
await tf.setBackend('wasm'); console.log('switch back', Date.now() - t);
