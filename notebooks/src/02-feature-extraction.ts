// %% [markdown]
// # 2. Feature extraction
//
// In [notebook 1](01-what-a-pretrained-network-sees.ipynb) you saw that the layers of a pretrained network
// turn a photo into a summary: a few hundred numbers, its **features**. Here you compute the features of a
// whole dataset — 397 photos of ants and bees — and find out how much they already know: photos of the same
// insect have similar features, even though the network was never told about "ants vs bees".
//
// Previous: [1. What a pretrained network sees](01-what-a-pretrained-network-sees.ipynb) ·
// Next: [3. Training a head](03-training-a-head.ipynb)

// %% tags=["parameters"]
const backbone = 'mobilenet_v1_0.25_224'; // small and fast; try 'mobilenet_v1_0.75_224'
const dataset = 'hymenoptera_data'; // ants vs bees, with train/ and val/ folders

// %% [markdown]
// ## The dataset
//
// `hymenoptera_data` is a small subset of ImageNet used by a well-known PyTorch tutorial: one folder per
// class (`ants/`, `bees/`), split into `train/` (for learning) and `val/` (for checking what was learned).
// We never learn from the `val` photos — they stand in for photos the model will meet later.

// %%
import { loadBackbone, loadImageFolder, extractFeatures, featuresToTensor, check } from 'tailor';

const data = await loadImageFolder(dataset, { verify: false });
const splits = ['train', 'val'] as const;
display(data.classes.map((name) => ({ class: name, ...Object.fromEntries(splits.map((s) => [s, data.counts[s]?.[name] ?? 0])) })));
data.warnings.forEach((w) => console.warn(w));

// %% [markdown]
// Here are six photos of each class, cut to the square the network sees. Notice how varied they are: close-ups
// and far shots, one insect or a swarm, flowers, hands, walls.

// %%
const net = await loadBackbone(backbone);
const [low, high] = net.info.inputRange;

/** Tiles same-size images (values 0–1) into one picture, `columns` per row, with white gaps. */
function grid(images: tf.Tensor3D[], columns: number, gap = 6): tf.Tensor3D {
  return tf.tidy(() => {
    const blank = tf.onesLike(images[0]);
    const rows: tf.Tensor3D[] = [];
    for (let start = 0; start < images.length; start += columns) {
      const row = images.slice(start, start + columns);
      while (row.length < columns) row.push(blank);
      rows.push(tf.concat(row.map((im) => tf.pad(im, [[gap / 2, gap / 2], [gap / 2, gap / 2], [0, 0]], 1)), 1));
    }
    return tf.concat(rows, 0);
  });
}

/** The photos at `paths` as one picture, `size` pixels each. */
async function photoSheet(paths: string[], columns: number, size = 100): Promise<tf.Tensor3D> {
  const batch = await net.preprocess(paths);
  const sheet = tf.tidy(() => {
    const small = tf.image.resizeBilinear(batch, [size, size]).sub(low).div(high - low);
    return grid(tf.unstack(small) as tf.Tensor3D[], columns);
  });
  batch.dispose();
  return sheet;
}

const examples = data.classes.flatMap((_, label) => data.train.items.filter((item) => item.label === label).slice(0, 6));
const exampleSheet = await photoSheet(examples.map((item) => item.path), 6);
display.image(exampleSheet);
exampleSheet.dispose();

// %% [markdown]
// **Try this:** show the *last* six photos of each class instead (`.slice(-6)`).

// %%
check('the dataset has two classes', data.classes.length, 2);
check('train and val do not overlap', data.train.items.filter((a) => data.val!.items.some((b) => b.path === a.path)).length, 0);

// %% [markdown]
// ## From photos to features
//
// `extractFeatures` runs every photo through the network up to its last layer before the classifier and
// keeps the output: one vector of `net.info.featureDim` numbers per photo. This is the slow part of transfer
// learning — the network does millions of multiplications per photo — so the bar below shows how far it is.

// %%
/** Extracts the features of a split with a progress bar; returns them with the seconds it took. */
async function featuresOf(split: 'train' | 'val') {
  const set = data[split]!;
  const bar = progress(set.items.length, { label: `${split} features` });
  const started = performance.now();
  const features = await extractFeatures(net, set, { onProgress: (p) => bar.set(p), signal });
  bar.finish();
  return { features, seconds: (performance.now() - started) / 1000 };
}
const first = await featuresOf('train');
const valRun = await featuresOf('val');
const train = first.features;
const val = valRun.features;
console.log(`train: ${train.items.length} photos × ${train.dim} features in ${first.seconds.toFixed(1)} s (${train.cache?.hits ?? 0} from the cache)`);
console.log(`val:   ${val.items.length} photos × ${val.dim} features in ${valRun.seconds.toFixed(1)} s (${val.cache?.hits ?? 0} from the cache)`);

// %% [markdown]
// ## The cache
//
// The features of a photo depend only on the photo, the network's weights and how the photo was resized. So
// Tailor keeps them in a **cache** (in your browser's storage, or in a folder when run from the command line)
// and the next time the same photo meets the same network, its features come back without running the
// network. Run the extraction again and compare the times.

// %%
const again = await featuresOf('train');
console.log(`first run: ${first.seconds.toFixed(2)} s; second run: ${again.seconds.toFixed(2)} s; ${again.features.cache?.hits} of ${again.features.items.length} photos from the cache`);
display(
  Plot.plot({
    height: 120,
    marginLeft: 90,
    x: { label: 'seconds', grid: true },
    marks: [Plot.barX([{ run: 'first run', seconds: first.seconds }, { run: 'second run', seconds: again.seconds }], { x: 'seconds', y: 'run', fill: 'steelblue' }), Plot.ruleX([0])],
  }),
);

// %% [markdown]
// If you have run this notebook before, even the first run was quick: its features were already cached.
//
// **Try this:** change `backbone` to `'mobilenet_v1_0.75_224'` and run the notebook again. The cache misses
// (different weights, different features), and extraction takes several times longer: that network is
// three times wider.

// %%
check('the second run comes from the cache', again.features.cache?.hits, train.items.length);
check('the cached features are the same', Array.from(again.features.x.subarray(0, 50)), { equals: Array.from(train.x.subarray(0, 50)), tolerance: 1e-6 });

// %% [markdown]
// ## A map of the features
//
// Each photo is now a point in a space of a few hundred dimensions, which nobody can picture. **PCA**
// (principal component analysis) finds the two directions in which the points spread the most, and we plot
// the photos along those two. Each dot is one training photo, coloured by its true class. The network never
// learned "ant" or "bee" as we mean them here — yet the classes sit in different regions.

// %%
/** Projects rows onto their two principal components (power iteration on the covariance matrix). */
function pca2(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const centred = x.sub(x.mean(0));
    let covariance = tf.matMul(centred, centred, true, false);
    const directions: tf.Tensor2D[] = [];
    for (let k = 0; k < 2; k++) {
      let v = tf.randomNormal([covariance.shape[0], 1], 0, 1, 'float32', 42 + k) as tf.Tensor2D;
      for (let i = 0; i < 60; i++) {
        const next = tf.matMul(covariance, v);
        v = next.div(tf.norm(next));
      }
      directions.push(v);
      // Remove the direction found, so the next round finds the second one.
      const lambda = tf.matMul(tf.matMul(v, covariance, true, false), v);
      covariance = covariance.sub(tf.matMul(v, v, false, true).mul(lambda));
    }
    return tf.matMul(centred, tf.concat(directions, 1));
  });
}

const trainMatrix = featuresToTensor(train);
const projected = pca2(trainMatrix);
const xy = (await projected.array()) as number[][];
projected.dispose();
const points = xy.map(([pc1, pc2], i) => ({ pc1, pc2, class: train.classes[train.labels[i]] }));
Plot.plot({
  height: 380,
  grid: true,
  color: { legend: true },
  x: { label: 'first principal component' },
  y: { label: 'second principal component' },
  marks: [Plot.dot(points, { x: 'pc1', y: 'pc2', stroke: 'class', r: 3 })],
})

// %% [markdown]
// **Try this:** the two colours overlap in the middle. Those are photos the network finds ambiguous. In
// [notebook 3](03-training-a-head.ipynb) you will look at such photos one by one.

// %% [markdown]
// ## Nearest neighbours
//
// If similar photos have similar features, then the photos whose features are closest to a new photo's
// should look like it. We measure closeness with the **cosine similarity**: 1 when two vectors point the
// same way, 0 when they have nothing in common. Below: a photo from `val` (left), then the five training
// photos closest to it in feature space.

// %%
/** Rows scaled to length 1, so that a dot product is a cosine similarity. */
const unitRows = (m: tf.Tensor2D) => tf.tidy(() => m.div(tf.norm(m, 'euclidean', 1, true).add(1e-8)) as tf.Tensor2D);
const trainUnit = unitRows(trainMatrix);
const valMatrix = featuresToTensor(val);
const valUnit = unitRows(valMatrix);
const similarity = tf.matMul(valUnit, trainUnit, false, true); // [val photos, train photos]

const queryIndex = val.items.findIndex((item) => /bees/.test(item.path));
const top = tf.tidy(() => tf.topk(similarity.gather([queryIndex]).squeeze(), 5));
const neighbours = Array.from(top.indices.dataSync());
const scores = Array.from(top.values.dataSync());
tf.dispose([top.indices, top.values]);
const neighbourSheet = await photoSheet([val.items[queryIndex].path, ...neighbours.map((i) => train.items[i].path)], 6, 120);
display.image(neighbourSheet);
neighbourSheet.dispose();
display(neighbours.map((i, rank) => ({ rank: rank + 1, class: train.classes[train.labels[i]], similarity: scores[rank].toFixed(3) })));

// %% [markdown]
// Often the neighbours share more than the class: a swarm finds other swarms, a bee on a flower finds other
// flowers. Features describe the *whole* photo, background included — something to remember when a
// classifier gets a photo wrong.
//
// **Try this:** change `queryIndex` to another number between 0 and 152 (an ant, perhaps). Do the
// neighbours share the class? The background? The colours?

// %% [markdown]
// ## A classifier with no training: k nearest neighbours
//
// Nearest neighbours already make a classifier: give each `val` photo the class most common among its `k`
// nearest training photos. There is no training at all — and yet the accuracy is high, because the features
// did the hard work.

// %%
const k = 5;
const votes = tf.tidy(() => tf.topk(similarity, k).indices);
const nearest = (await votes.array()) as number[][];
votes.dispose();
const predicted = nearest.map((row) => {
  const count = new Array(val.classes.length).fill(0);
  for (const i of row) count[train.labels[i]]++;
  return count.indexOf(Math.max(...count));
});
const correct = predicted.filter((p, i) => p === val.labels[i]).length;
const knnAccuracy = correct / predicted.length;
console.log(`kNN (k = ${k}) on ${predicted.length} val photos: ${correct} right, accuracy ${(100 * knnAccuracy).toFixed(1)}%`);

// %% [markdown]
// **Exercise:** the accuracy should be well above the 50 % of guessing.
//
// **Try this:** try `k = 1` and `k = 15`. Which is better, and why might a single neighbour mislead?

// %%
check('kNN beats guessing by far', knnAccuracy, { atLeast: 0.8, hint: 'is `similarity` computed from the unit-length rows?' });

// %% [markdown]
// ## What you did
//
// - A pretrained network turned every photo into a vector of features — the slow step, done once and cached.
// - Photos of the same class have nearby features: the PCA map shows it, nearest neighbours show it, and a
//   classifier with no training at all gets most `val` photos right.
//
// **Next:** [3. Training a head](03-training-a-head.ipynb) trains a small classifier on these features — a
// *head* — and compares it with a network trained from scratch.

// %%
tf.dispose([trainMatrix, trainUnit, valMatrix, valUnit, similarity]);
net.dispose();
