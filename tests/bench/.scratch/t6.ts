import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../../../kernels/transfer/backend.ts';
import { loadBackbone } from '../../../kernels/transfer/backbones/load-backbone.ts';
import { loadImageFolder } from '../../../kernels/transfer/datasets/load-image-folder.ts';
import { decodeImage } from '../../../kernels/transfer/images/decode.ts';
import { readItemBytes } from '../../../kernels/transfer/datasets/load-image-folder.ts';
process.env.TAILOR_PUBLIC_DIR = '/work/shared';
await ensureBackend();
const ds = await loadImageFolder('hymenoptera_data', {verify: false});
const bytes = await Promise.all(ds.all.items.map((it) => readItemBytes(it)));
let t = performance.now();
await Promise.all(bytes.map((b) => decodeImage(b, { size: 224, crop: 'center' })));
console.log('decode all parallel', (397 / ((performance.now() - t) / 1000)).toFixed(1), 'img/s');
t = performance.now();
for (const b of bytes.slice(0, 100)) await decodeImage(b, { size: 224, crop: 'center' });
console.log('decode serial', (100 / ((performance.now() - t) / 1000)).toFixed(1), 'img/s');
for (const id of ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224']) {
  for (const fused of [true, false]) {
    const net = await loadBackbone(id, { fused });
    const x = tf.randomUniform([32, 224, 224, 3], -1, 1) as tf.Tensor4D;
    net.features(x).dispose();
    t = performance.now();
    for (let i = 0; i < 3; i++) { const o = net.features(x); await o.data(); o.dispose(); }
    console.log(id, fused ? 'fused' : 'layers', (96 / ((performance.now() - t) / 1000)).toFixed(1), 'img/s');
    x.dispose(); net.dispose();
  }
}
