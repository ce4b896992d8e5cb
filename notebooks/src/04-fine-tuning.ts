// %% [markdown]
// # 4. Fine-tuning
//
// In [notebook 3](03-training-a-head.ipynb) the pretrained network stayed frozen: only the head learned.
// **Fine-tuning** goes one step further: the last block of the network also learns a little, so its
// features can adapt to ants and bees. It costs more — every training photo now runs through the network on
// every pass — and it needs care. This notebook shows when it is worth it, and how to keep and reuse the
// result.
//
// Previous: [3. Training a head](03-training-a-head.ipynb) · Next: [5. Benchmarking](05-benchmarking.ipynb)

// %% tags=["parameters"]
const backbone = 'mobilenet_v1_0.25_224';
const dataset = 'hymenoptera_data';
const epochs = 2; // fine-tuning passes over the training photos; each one runs the network on every photo
const photosPerClass = 24; // training photos per class used for fine-tuning (Infinity: all 244, about 5× slower)
const valPerClass = 40; // validation photos per class watched during fine-tuning (Infinity: all 153)

// %% [markdown]
// ## The starting point: a head on frozen features
//
// Fine-tuning starts from a trained head, never from a random one: a random head would send large, noisy
// corrections into the pretrained layers and spoil what they know. So first, the head of notebook 3 (the
// features come from the cache).

// %%
import { loadBackbone, loadImageFolder, extractFeatures, trainHead, evaluate, fineTune, loadTrainedModel, augment, lossCurve } from 'tailor';
import { nodeCacheDir, check } from 'tailor';
import type { EpochLog } from 'tailor';

const data = await loadImageFolder(dataset, { verify: false });
const net = await loadBackbone(backbone);
const train = await extractFeatures(net, data.train, { signal });
const val = await extractFeatures(net, data.val!, { signal });
const head = await trainHead(train, { kind: 'softmax', epochs: 60, signal });
const headOnly = await evaluate(head, val);
console.log(`head only: ${(100 * headOnly.accuracy).toFixed(1)}% of ${val.items.length} validation photos right`);

// %% [markdown]
// ## Augmentation: more photos for free
//
// When the network's own weights learn, 244 photos are few: it could learn them by heart. **Augmentation**
// shows it a slightly different version of each photo on every pass — mirrored, cropped, turned a little,
// brighter or paler — so it must learn what an ant looks like, not what these 244 pictures look like.
// Here are four training photos (left column) and three augmented versions of each.

// %%
const samplePaths = [0, 1, 130, 131].map((i) => data.train.items[i].path);
const originals = await net.preprocess(samplePaths);
const [low, high] = net.info.inputRange;
const versions = [originals, ...[1, 2, 3].map((seed) => augment(originals, { seed, range: net.info.inputRange }))];
const augmentedSheet = tf.tidy(() => {
  const toShow = (batch: tf.Tensor4D) => tf.image.resizeBilinear(batch, [110, 110]).sub(low).div(high - low);
  const columns = versions.map((batch) => tf.pad(toShow(batch), [[0, 0], [3, 3], [3, 3], [0, 0]], 1));
  // Stack the versions side by side, then the photos one under the other.
  return tf.concat(tf.unstack(tf.concat(columns, 2)), 0);
});
display.image(augmentedSheet);
tf.dispose([augmentedSheet, ...versions]);

// %% [markdown]
// **Try this:** call `augment` with `{seed: 1, range: net.info.inputRange, rotate: 30, jitter: false}`. Which
// changes would be harmful for *your* problem? (Mirroring is fine for insects; not for reading text.)

// %% [markdown]
// ## Which layers learn, and why BatchNorm stays frozen
//
// `fineTune` unfreezes only the **last block** of the network: the layers closest to the head, which hold
// the most ImageNet-specific features. The early layers — edges, colours, textures — are useful as they are.
//
// The network also has **BatchNorm** layers. Each one keeps running averages of its inputs, measured on
// ImageNet's 1.3 million photos. If they were updated during fine-tuning, they would be re-estimated from
// batches of 16 ant and bee photos: noisy numbers that shift every layer after them. So Tailor keeps them
// frozen and in inference mode, and only the weights of the convolutions and the head move.

// %%
const layers = net.model!.layers;
const batchNorms = layers.filter((layer) => layer.getClassName() === 'BatchNormalization');
console.log(`${layers.length} layers, of which ${batchNorms.length} BatchNormalization layers.`);

// %% [markdown]
// ## Fine-tuning
//
// Each epoch runs every training photo (augmented) through the network, so it takes much longer than
// training a head on cached features — to keep this notebook quick we fine-tune on `photosPerClass` photos
// of each class and watch `valPerClass` validation photos of each class. The learning rate is small (1e-4), so the pretrained weights move gently. The first point
// of the curve, epoch 0, is the head on the untouched network.

// %%
/** The first `n` photos of each class of a set. */
const firstOfEach = (set: typeof data.train, n: number) => ({
  classes: set.classes,
  items: set.classes.flatMap((_, label) => set.items.filter((item) => item.label === label).slice(0, n)),
});
const tuneSet = firstOfEach(data.train, photosPerClass);
const watchSet = firstOfEach(data.val!, valPerClass);
const history: EpochLog[] = [];
const chart = display(lossCurve(history, { title: 'fine-tuning' }));
const tuned = await fineTune(net, head, tuneSet, {
  epochs,
  validation: watchSet,
  signal,
  onEpoch: (log) => {
    history.push(log);
    chart.update(lossCurve(history, { title: 'fine-tuning' }));
  },
});
console.log(`${tuneSet.items.length} photos, ${epochs} epochs: trained ${tuned.unfrozen.length} layers (${tuned.unfrozen.join(', ')}) in ${(tuned.trainMs / 1000).toFixed(1)} s on ${tuned.backend}`);
if (tuned.backendNote) console.log(tuned.backendNote);

// %% [markdown]
// ## Head only vs fine-tuned, on the same validation photos
//
// `fineTune` measured both while it ran, on `valPerClass` validation photos of each class: epoch 0 is the head
// on the frozen network, and it keeps the weights of the epoch with the lowest validation loss (which may be
// epoch 0). Choosing by the validation
// photos flatters the winner a little; for a number you can quote, keep a third set of photos that no choice
// ever looked at.

// %%
const fineTunedAccuracy = tuned.valAccuracy!;
const comparison = [
  { model: 'head only (frozen network)', accuracy: history[0].valAccuracy! },
  { model: `fine-tuned (best of ${epochs} epochs)`, accuracy: fineTunedAccuracy },
];
console.log(`kept epoch ${tuned.bestEpoch} of ${epochs}; ${comparison.map((c) => `${c.model}: ${(100 * c.accuracy).toFixed(1)}%`).join('; ')}`);
display(comparison.map((c) => ({ ...c, accuracy: `${(100 * c.accuracy).toFixed(1)}%` })));
Plot.plot({
  height: 120,
  marginLeft: 190,
  x: { domain: [0.5, 1], label: 'validation accuracy', tickFormat: '%', grid: true },
  marks: [Plot.barX(comparison, { x: 'accuracy', y: 'model', fill: 'steelblue' })],
})

// %% [markdown]
// With two epochs the two are close — sometimes fine-tuning wins by a few photos, sometimes not. That is the
// honest lesson: on a small dataset close to ImageNet (ants and bees *are* ImageNet classes), a head is
// nearly all you need. Fine-tuning pays off when your photos look different from ImageNet's — X-rays,
// satellite images, drawings — and when you have more of them and more time.
//
// **Try this:** set `epochs = 6`. Does the validation accuracy keep rising, or does the training accuracy
// run away from it?

// %%
check('the fine-tuned model is still good', fineTunedAccuracy, { atLeast: 0.85, hint: 'was the head trained before fine-tuning?' });
check('BatchNorm layers were not trained', tuned.unfrozen.filter((name) => batchNorms.some((b) => b.name === name) && tuned.model.getLayer(name).trainable).length, 0);

// %% [markdown]
// ## Export, reload, compare
//
// A trained model is only useful if you can take it away. `save` writes it in TensorFlow.js's format —
// `model.json` plus the weights — with the class names and the preprocessing inside, so whoever loads it
// feeds it photos the way it was trained. In the browser it goes to the page's storage (`indexeddb://…`) or
// to your downloads (`downloads://ants-bees`); from the command line, to a folder.
//
// A model that reloads differently from how it was saved is a bug you would not notice until later, so we
// check: the reloaded model must give the same probabilities for the same photos.

// %%
const inNode = typeof process !== 'undefined' && Boolean(process.versions?.node);
const destination = inNode ? `${await nodeCacheDir()}/models/ants-bees-${backbone}` : `indexeddb://ants-bees-${backbone}`;
const saved = await tuned.save(destination);
console.log(`saved to ${destination}: ${saved.modelArtifactsInfo.weightDataBytes} bytes of weights`);

const reloaded = await loadTrainedModel(destination);
const probe = data.val!.items.slice(0, 8);
const before = await tuned.predict(probe);
const after = await reloaded.predict(probe);
const largestDifference = Math.max(...before.flatMap((p, i) => p.probabilities.map((q, c) => Math.abs(q - after[i].probabilities[c]))));
display(probe.map((item, i) => ({ photo: item.path.split('/').pop(), before: `${before[i].label} ${before[i].probability.toFixed(4)}`, after: `${after[i].label} ${after[i].probability.toFixed(4)}` })));
console.log(`labels: ${reloaded.labels.join(', ')}; largest difference in probability: ${largestDifference.toExponential(1)}`);

// %% [markdown]
// **Exercise:** the reloaded model must keep the labels and agree with the original.

// %%
check('the labels travel with the model', reloaded.labels, { equals: data.classes });
check('reloaded predictions match', largestDifference, { atMost: 1e-4, hint: 'were the same photos given to both models?' });

// %% [markdown]
// ## What you did
//
// - Fine-tuned the last block of a pretrained network with augmentation and frozen BatchNorm.
// - Compared it honestly with the head alone, on the same validation photos.
// - Exported the model with its labels and preprocessing, reloaded it and checked it predicts the same.
//
// **Next:** [5. Benchmarking](05-benchmarking.ipynb) — how fast is all this, and what does a bigger network buy?

// %%
tf.dispose(originals);
tuned.dispose();
reloaded.dispose();
head.dispose();
net.dispose();
