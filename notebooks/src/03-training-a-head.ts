// %% [markdown]
// # 3. Training a head
//
// In [notebook 2](02-feature-extraction.ipynb) the features of ants and bees already fell into two groups.
// Now you train a **head**: a small classifier that sits on top of the pretrained network and learns to
// read its features for *your* classes. Then you ask the question this whole course is about: how much
// does starting from a pretrained network help, compared with learning from nothing?
//
// Previous: [2. Feature extraction](02-feature-extraction.ipynb) · Next: [4. Fine-tuning](04-fine-tuning.ipynb)

// %% tags=["parameters"]
const backbone = 'mobilenet_v1_0.25_224';
const dataset = 'hymenoptera_data';
const epochs = 60; // passes over the training features for each head
const scratchSize = 32; // side in pixels of the photos the from-scratch network sees (64 is fairer, and 4× slower)
const experimentSizes: (number | 'all')[] = [2, 5, 10, 20, 'all']; // training photos per class to compare (the checks use 2, 10 and 'all')

// %% [markdown]
// ## The features
//
// The same network and photos as in notebook 2, so the features come straight from the cache.

// %%
import { loadBackbone, loadImageFolder, extractFeatures, trainHead, evaluate, lossCurve, confusionMatrix, imageGrid } from 'tailor';
import { decodeImage, readItemBytes, rawImagesToBatch, seededRandom, shuffled, check } from 'tailor';
import type { EpochLog, FeatureSet, Head } from 'tailor';

const data = await loadImageFolder(dataset, { verify: false });
const net = await loadBackbone(backbone);
const bar = progress(data.train.items.length + data.val!.items.length, { label: 'features' });
const train = await extractFeatures(net, data.train, { onProgress: (p) => bar.set(p.done), signal });
const val = await extractFeatures(net, data.val!, { onProgress: (p) => bar.set(train.items.length + p.done), signal });
bar.finish();
console.log(`${train.items.length} training and ${val.items.length} validation photos, ${train.dim} features each (${(train.cache?.hits ?? 0) + (val.cache?.hits ?? 0)} from the cache)`);

// %% [markdown]
// ## A softmax head, with live curves
//
// The simplest head is **softmax regression**: one weight per feature and class, nothing more. Training
// adjusts the weights on each pass over the training photos (an **epoch**) to make the right class more
// probable. (Tailor's default solver, L-BFGS, takes one careful step per pass over all the photos, and first
// picks how strongly to keep the weights small by cross-validation on the training photos alone.) Two
// numbers tell you how it goes:
//
// - the **loss** — how surprised the head is by the true classes (lower is better);
// - the **accuracy** — the share of photos it gets right.
//
// We measure both on the training photos *and* on the validation photos the head never learns from. Watch
// the curves grow while it trains.

// %%
/** Trains a head of `kind` while a chart of its curves updates every few epochs. */
async function trainWithCurves(kind: 'softmax' | 'mlp'): Promise<Head> {
  const history: EpochLog[] = [];
  const chart = display(lossCurve(history, { title: `${kind} head` }));
  const head = await trainHead(train, {
    kind,
    epochs,
    validation: val,
    earlyStopping: false,
    signal,
    onEpoch: (log) => {
      history.push(log);
      if (log.epoch % 5 === 0 || log.epoch === epochs) chart.update(lossCurve(history, { title: `${kind} head` }));
    },
  });
  chart.update(lossCurve(history, { title: `${kind} head` }));
  return head;
}

const softmax = await trainWithCurves('softmax');
const softmaxReport = await evaluate(softmax, val);
console.log(`softmax head: ${(100 * softmaxReport.accuracy).toFixed(1)}% of the validation photos right, trained in ${softmax.trainMs.toFixed(0)} ms`);

// %% [markdown]
// The validation curves stay close to the training curves: the head does not just memorise the training
// photos. Training took seconds, not minutes, because the expensive part — the network — ran once, when the
// features were extracted; each epoch only touches a few hundred short lists of numbers.
//
// **Try this:** set `epochs = 5` in the parameters cell and run again. Is five passes enough?

// %% [markdown]
// ## A small MLP head
//
// A **multi-layer perceptron** (MLP) adds a hidden layer of 32 units between the features and the classes,
// so it can learn combinations of features. It is more flexible — which also means it can memorise more.

// %%
const mlp = await trainWithCurves('mlp');
const mlpReport = await evaluate(mlp, val);
display(
  [
    ['softmax', softmax, softmaxReport],
    ['mlp', mlp, mlpReport],
  ].map(([name, head, report]) => ({
    head: name,
    'train accuracy': ((head as Head).history.at(-1)!.accuracy * 100).toFixed(1) + '%',
    'val accuracy': ((report as typeof mlpReport).accuracy * 100).toFixed(1) + '%',
    'training ms': (head as Head).trainMs.toFixed(0),
  })),
);

// %% [markdown]
// On 244 photos the two heads do about equally well: the features are already good enough for a straight
// line to separate ants from bees. An MLP pays off when classes are mixed in more complicated ways.
//
// **Exercise:** both heads should get at least 85 % of the validation photos right.

// %%
check('softmax head accuracy', softmaxReport.accuracy, { atLeast: 0.85, hint: 'did the head train for enough epochs?' });
check('mlp head accuracy', mlpReport.accuracy, { atLeast: 0.85, hint: 'did the head train for enough epochs?' });

// %% [markdown]
// ## Where the head goes wrong: the confusion matrix
//
// Accuracy is one number. The **confusion matrix** shows *which* mistakes: each row is a true class, each
// column the class the head predicted. The diagonal holds the right answers.

// %%
display(confusionMatrix(softmaxReport, { title: 'softmax head on the validation photos' }));
display(softmaxReport.perClass.map((c) => ({ class: c.label, precision: c.precision.toFixed(3), recall: c.recall.toFixed(3), photos: c.support })));

// %% [markdown]
// **Precision** of "bees": of the photos the head called bees, the share that were bees. **Recall**: of the
// bees, the share the head found. A head can trade one for the other.

// %%
const confusionTotal = softmaxReport.confusion.matrix.flat().reduce((a, b) => a + b, 0);
check('the matrix counts every validation photo', confusionTotal, val.items.length);

// %% [markdown]
// ## The photos it got wrong
//
// Looking at the mistakes tells you more than any number. Here are the validation photos the softmax head
// misclassified, the most confident mistakes first.

// %%
const wrong = softmaxReport.misclassified.slice(0, 12);
display(await imageGrid(wrong, { columns: 6 }));
display(wrong.map((m, i) => ({ '#': i + 1, 'true class': m.label, predicted: m.predicted, probability: m.probability.toFixed(2), file: m.item.path.split('/').pop() })));

// %% [markdown]
// Many mistakes are photos where the insect is tiny, blurred or hidden — or where the background (a flower
// for a bee, the ground for an ant) points the other way. Remember from notebook 2: the features describe
// the whole photo.
//
// **Try this:** look at the same list for the MLP head (`mlpReport.misclassified`). Are the mistakes the same
// photos?

// %% [markdown]
// ## Why transfer learning matters: accuracy vs number of examples
//
// The real test of a starting point is how little data it needs. We train on 2, 5, 10, 20 and all training
// photos per class and measure validation accuracy, two ways:
//
// - **transfer**: a softmax head on the pretrained features;
// - **from scratch**: a small convolutional network that starts from random weights and sees the same
//   photos (at 32 × 32 pixels, to keep it fast). It has to learn edges, textures and parts by itself.
//
// The subsets are drawn at random, so the numbers depend on which photos were drawn — with 2 photos per
// class, a lot. The transfer line is the average of three draws; the from-scratch network, much slower to
// train, gets one (the first of the three).

// %%
/** The indices of up to `n` rows of each class, drawn with a fixed seed. */
function takePerClass(labels: ArrayLike<number>, classes: number, n: number, seed = 7): number[] {
  const order = shuffled(Array.from({ length: labels.length }, (_, i) => i), seededRandom(seed));
  return Array.from({ length: classes }, (_, c) => order.filter((i) => labels[i] === c).slice(0, n)).flat();
}

/** The rows `rows` of a feature set, as a new feature set. */
function subset(set: FeatureSet, rows: number[]): FeatureSet {
  const x = new Float32Array(rows.length * set.dim);
  rows.forEach((r, i) => x.set(set.x.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim));
  return { x, dim: set.dim, labels: Int32Array.from(rows, (r) => set.labels[r]), classes: set.classes, items: rows.map((r) => set.items[r]) };
}

// The from-scratch network sees raw pixels: decode every photo once, small.
const decodeBar = progress(train.items.length + val.items.length, { label: `decoding at ${scratchSize}×${scratchSize}` });
async function pixelsOf(set: FeatureSet): Promise<tf.Tensor4D> {
  const raws = [];
  for (let start = 0; start < set.items.length; start += 16) {
    // Sixteen at a time: the decoder works on several photos in parallel.
    const chunk = set.items.slice(start, start + 16);
    raws.push(...(await Promise.all(chunk.map(async (item) => decodeImage(await readItemBytes(item), { size: scratchSize, crop: 'center' })))));
    decodeBar.tick(chunk.length);
  }
  return rawImagesToBatch(raws, [0, 1]);
}
const trainPixels = await pixelsOf(train);
const valPixels = await pixelsOf(val);
decodeBar.finish();

/**
 * A 3×3 convolution written out as what it is: every pixel's 3×3 neighbourhood (all channels) times a
 * weight matrix. (The wasm backend of TensorFlow.js has no gradient for the filters of its own `conv2d`,
 * so we build the convolution from slices and a matrix product, which it can train.)
 */
function conv3x3(x: tf.Tensor4D, kernel: tf.Tensor2D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const shifted: tf.Tensor4D[] = [];
  for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) shifted.push(tf.slice(padded, [0, dy, dx, 0], [n, h, w, c]));
  return tf.concat(shifted, 3).reshape([n * h * w, 9 * c]).matMul(kernel).reshape([n, h, w, kernel.shape[1]]);
}

/** A small CNN from random weights: three convolutions (8, 16, 32 filters) with pooling, then a softmax layer. */
function smallCnn(classes: number, seed = 1) {
  // A variable keeps its own copy of its starting values; tidy frees the starting tensor (never the variable).
  const variable = (initial: () => tf.Tensor) => tf.tidy(() => tf.variable(initial()));
  const glorot = (shape: [number, number], s: number) => {
    const limit = Math.sqrt(6 / (shape[0] + shape[1]));
    return variable(() => tf.randomUniform(shape, -limit, limit, 'float32', seed * 10 + s));
  };
  const widths = [3, 8, 16, 32];
  const kernels = [1, 2, 3].map((i) => glorot([9 * widths[i - 1], widths[i]], i));
  const biases = [1, 2, 3].map((i) => variable(() => tf.zeros([widths[i]])));
  const output = glorot([32, classes], 4);
  const outputBias = variable(() => tf.zeros([classes]));
  const variables = [...kernels, ...biases, output, outputBias];
  /** Class scores (logits) for a batch of images [n, size, size, 3] in 0–1. */
  const logits = (images: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      let x = images;
      kernels.forEach((kernel, i) => {
        x = tf.relu(conv3x3(x, kernel as tf.Tensor2D).add(biases[i]));
        if (i < 2) x = tf.maxPool(x, 2, 2, 'valid');
      });
      return x.mean([1, 2]).matMul(output).add(outputBias) as tf.Tensor2D;
    });
  return { logits, variables, dispose: () => variables.forEach((v) => v.dispose()) };
}

/** Trains the small CNN on the training rows `rows` and returns its validation accuracy. */
async function scratchAccuracy(rows: number[]): Promise<number> {
  const cnn = smallCnn(train.classes.length);
  const optimizer = tf.train.adam(0.003);
  const x = tf.gather(trainPixels, rows);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(rows.map((r) => train.labels[r]), 'int32'), train.classes.length));
  // Small sets get more epochs, so every size gets a similar number of weight updates.
  const passes = Math.max(4, Math.ceil(120 / rows.length));
  const random = seededRandom(11);
  for (let epoch = 0; epoch < passes && !signal.aborted; epoch++) {
    const order = shuffled(Array.from({ length: rows.length }, (_, i) => i), random);
    for (let start = 0; start < order.length; start += 64) {
      const batch = order.slice(start, start + 64);
      optimizer.minimize(() => {
        const xb = tf.gather(x, batch) as tf.Tensor4D;
        return tf.losses.softmaxCrossEntropy(tf.gather(y, batch), cnn.logits(xb)) as tf.Scalar;
      }, false, cnn.variables);
    }
    await tf.nextFrame(); // let the page (and an interrupt) in between epochs
  }
  const predicted = tf.tidy(() => cnn.logits(valPixels).argMax(1));
  const right = Array.from(await predicted.data()).filter((p, i) => p === val.labels[i]).length;
  tf.dispose([x, y, predicted]);
  optimizer.dispose();
  cnn.dispose();
  return right / val.items.length;
}

const experiment: { perClass: string; method: string; accuracy: number }[] = [];
const runBar = progress(experimentSizes.length, { label: 'experiment' });
for (const size of experimentSizes) {
  const n = size === 'all' ? Infinity : size;
  // Every draw of 'all' is the same photos: one is enough.
  const draws = (Number.isFinite(n) ? [7, 8, 9] : [7]).map((seed) => takePerClass(train.labels, train.classes.length, n, seed));
  const rows = draws[0];
  const perClass = Number.isFinite(n) ? String(n) : `all (${Math.round(rows.length / train.classes.length)})`;
  let transfer = 0;
  for (const drawn of draws) {
    const head = await trainHead(subset(train, drawn), { kind: 'softmax', epochs, signal });
    transfer += (await evaluate(head, val)).accuracy / draws.length;
    head.dispose();
  }
  experiment.push({ perClass, method: 'transfer (pretrained features + head)', accuracy: transfer });
  experiment.push({ perClass, method: 'from scratch (small CNN)', accuracy: await scratchAccuracy(rows) });
  runBar.tick();
}
runBar.finish();
for (let i = 0; i < experimentSizes.length; i++) {
  console.log(`${experiment[2 * i].perClass} per class: transfer ${(100 * experiment[2 * i].accuracy).toFixed(1)}%, from scratch ${(100 * experiment[2 * i + 1].accuracy).toFixed(1)}%`);
}
display(experimentSizes.map((_, i) => ({ 'photos per class': experiment[2 * i].perClass, transfer: (100 * experiment[2 * i].accuracy).toFixed(1) + '%', 'from scratch': (100 * experiment[2 * i + 1].accuracy).toFixed(1) + '%' })));

// %% [markdown]
// And the plot that shows why transfer learning matters:

// %%
Plot.plot({
  height: 320,
  width: 640,
  x: { domain: experiment.map((e) => e.perClass), label: 'training photos per class' },
  y: { domain: [0.4, 1], grid: true, label: 'validation accuracy', tickFormat: '%' },
  color: { legend: true },
  marks: [
    Plot.ruleY([0.5], { strokeDasharray: '4 4' }),
    Plot.text([{ perClass: experiment[0].perClass, accuracy: 0.5 }], { x: 'perClass', y: 'accuracy', text: () => 'guessing', dy: -8, dx: 24 }),
    Plot.line(experiment, { x: 'perClass', y: 'accuracy', stroke: 'method', marker: 'circle' }),
  ],
})

// %% [markdown]
// With a handful of photos per class, the pretrained features already reach an accuracy the network trained
// from scratch does not reach with *all* the photos. The small network is not a straw man: given thousands
// of photos per class and hours of training it would catch up — that is how the pretrained network itself
// was made. Transfer learning lets you skip that part.
//
// **Try this:** make the from-scratch network bigger (more filters) or train it longer. How much closer does
// it get, and how much longer does it take?

// %%
const accuracyOf = (perClass: string, method: string) => experiment.find((e) => e.perClass === perClass && e.method.startsWith(method))!.accuracy;
const allLabel = experiment.at(-1)!.perClass;
check('transfer with 10 photos per class beats scratch with all', accuracyOf('10', 'transfer') > accuracyOf(allLabel, 'from scratch'), true);
check('more photos help the head', accuracyOf(allLabel, 'transfer') >= accuracyOf('2', 'transfer'), true);

// %% [markdown]
// ## What you did
//
// - Trained two heads on cached features in seconds, with live curves.
// - Read a confusion matrix and looked at the photos behind the mistakes.
// - Measured the effect of transfer learning: pretrained features need far fewer examples.
//
// A head can only use the features it is given. In [notebook 4](04-fine-tuning.ipynb) you let the last block
// of the network itself adapt to ants and bees — **fine-tuning**.

// %%
tf.dispose([trainPixels, valPixels]);
softmax.dispose();
mlp.dispose();
net.dispose();
