import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../../../kernels/transfer/backend.ts';
import { loadBackbone } from '../../../kernels/transfer/backbones/load-backbone.ts';
import { loadImageFolder } from '../../../kernels/transfer/datasets/load-image-folder.ts';
import { extractFeatures } from '../../../kernels/transfer/features/extract-features.ts';
import { createNodeFeatureStore } from '../../../kernels/transfer/features/node-store.ts';
process.env.TAILOR_PUBLIC_DIR = '/work/shared';
await ensureBackend();
const ds = await loadImageFolder('hymenoptera_data', {verify: false});
const store = await createNodeFeatureStore('/tmp/tailor-t5-cache');
await store.clear();
for (const id of ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224']) {
  const net = await loadBackbone(id);
  const n0 = tf.memory().numTensors;
  for (let r = 0; r < 2; r++) {
    const t = performance.now();
    const f = await extractFeatures(net, ds.all, { cache: store, batchSize: 32 });
    console.log(id, r, ((performance.now() - t)/1000).toFixed(3), 's', f.x.length / f.dim, f.cache, f.skipped.length, (f.x.length / f.dim / ((performance.now() - t)/1000)).toFixed(1), 'img/s');
  }
  console.log('leak', tf.memory().numTensors - n0);
  net.dispose();
}
