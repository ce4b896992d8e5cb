import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
for (const backend of ['cpu']) {
  await tf.setBackend(backend);
  for (const size of [32, 48, 64]) {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [size, size, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tf.layers.globalAveragePooling2d({}));
    model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([242, size, size, 3]);
    const y = tf.oneHot(tf.randomUniform([242], 0, 2, 'int32') as tf.Tensor1D, 2);
    const t = performance.now();
    await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    console.log(backend, size, ((performance.now() - t) / 2 / 242 * 1000).toFixed(2), 'ms per image-pass');
  }
}
