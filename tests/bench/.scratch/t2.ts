import * as tf from '@tensorflow/tfjs';
import { loadBackbone } from '../../../kernels/transfer/backbones/load-backbone.ts';
process.env.TAILOR_PUBLIC_DIR = '/work/shared';
import { ensureBackend } from '../../../kernels/transfer/backend.ts';
await ensureBackend();
for (const id of ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224', 'darknet_tiny']) {
  const n0 = tf.memory().numTensors;
  let t = Date.now();
  const net = await loadBackbone(id);
  console.log(id, 'load', Date.now() - t, 'ms', JSON.stringify({ ...net.info, weightsHash: net.info.weightsHash.slice(0, 8) }));
  for (const p of ['cat', 'dog', 'ant', 'bee', 'pizza', 'teddy']) {
    t = Date.now();
    const r = await net.classify(`/work/shared/data/photos/${p}.jpg`, { topK: 3 });
    console.log(' ', p, Date.now() - t, 'ms', r.map((x) => `${x.index} ${x.label.split(',')[0]} ${(x.probability * 100).toFixed(1)}%`).join(' | '));
  }
  const lay = await loadBackbone(id, { fused: false });
  const batch = await net.preprocess(['cat', 'dog', 'ant', 'bee'].map((p) => `/work/shared/data/photos/${p}.jpg`));
  const a = net.features(batch), b = lay.features(batch);
  console.log(' parity', a.shape, (await a.sub(b).abs().max().data())[0], 'fused', net.info.fused, lay.info.fused);
  tf.dispose([a, b, batch]);
  net.dispose(); lay.dispose();
  console.log(' leak', tf.memory().numTensors - n0);
}
