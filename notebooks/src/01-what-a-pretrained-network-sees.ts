// %% [markdown]
// # 1. What a pretrained network sees
//
// A *pretrained* network has already learned to recognise things in photos. In this notebook you load one,
// ask it what is in six photos, and then look inside it: at what its first layer looks for, and at what its
// deeper layers make of one photo. By the end you will see why such a network is a good starting point for
// problems it was never trained on.
//
// Previous: [0. Welcome](00-welcome.ipynb) · Next: [2. Feature extraction](02-feature-extraction.ipynb)

// %% [markdown]
// ## Parameters
//
// The cell below is tagged `parameters`: it holds the choices of this notebook. Change them here, or from the
// command line with `tailor run 01-what-a-pretrained-network-sees.ipynb --param backbone=darknet_tiny`.

// %% tags=["parameters"]
const backbone = 'mobilenet_v1_0.75_224'; // also: 'mobilenet_v1_0.25_224', 'darknet_tiny'
const dataset = 'photos'; // a folder of sample photos shipped with Tailor

// %% [markdown]
// ## What "ImageNet-pretrained" means
//
// [ImageNet](https://www.image-net.org/) is a collection of about 1.3 million photos, each labelled with one
// of 1,000 classes — from "tench" (a fish) to "toilet tissue", with 120 breeds of dog, a bee and an ant.
// A network *pretrained on ImageNet* has been trained, for days on many GPUs, to name the class of each of
// those photos. We will not train anything like that here; we download the result: the network's
// **weights**, a few million numbers.
//
// MobileNet is a family of small networks made for phones. `0.75` is its width: the fraction of the
// full network's channels it keeps. Smaller is faster and a little less accurate.

// %%
import { loadBackbone, dataLocation, check } from 'tailor';

const net = await loadBackbone(backbone);
const { id, params, sizeBytes, inputSize, featureDim } = net.info;
display([{ id, parameters: params.toLocaleString('en'), megabytes: (sizeBytes / 1e6).toFixed(1), inputSize, featureDim }]);

// %% [markdown]
// ## Asking the network what it sees
//
// `net.classify` resizes each photo to the network's input size (224 × 224 pixels), runs the network and
// returns the five most likely of its 1,000 classes with their probabilities.

// %%
const folder = await dataLocation(dataset);
const names = ['cat', 'dog', 'ant', 'bee', 'pizza', 'teddy'];
const paths = names.map((name) => `${folder}/${name}.jpg`);
const predictions = await net.classify(paths, { topK: 5 });

// A few of the photos, as the network sees them: a square cut from the middle, 224 × 224.
const [low, high] = net.info.inputRange;
const batch = await net.preprocess(paths);
const photos = tf.tidy(() => tf.unstack(batch.sub(low).div(high - low)) as tf.Tensor3D[]);

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
const sheet = grid(photos.map((p) => tf.image.resizeBilinear(p, [112, 112])), 6);
display.image(sheet);
display(names.map((name, i) => ({ photo: name, 'top class': predictions[i][0].label.split(',')[0], probability: predictions[i][0].probability.toFixed(3) })));

// %% [markdown]
// The same answers as a chart: the five most likely classes of each photo. A long bar means the network is
// sure; several short bars mean it hesitates between similar classes (a malamute or a husky?).

// %%
const rows = names.flatMap((name, i) =>
  predictions[i].map((p, rank) => ({ photo: name, row: `${name} ${rank + 1}. ${p.label.split(',')[0]}`, probability: p.probability })),
);
Plot.plot({
  height: 560,
  marginLeft: 190,
  x: { domain: [0, 1], label: 'probability', grid: true },
  y: { domain: rows.map((r) => r.row), label: null },
  color: { legend: true },
  marks: [Plot.barX(rows, { x: 'probability', y: 'row', fill: 'photo' }), Plot.ruleX([0])],
})

// %% [markdown]
// **Exercise:** the network should call the bee photo a bee and the pizza a pizza.
//
// **Try this:** run the notebook again with `backbone = 'mobilenet_v1_0.25_224'`, a network a third the
// width. Which photo does it get wrong? (Look at the cat.)

// %%
const topOf = (name: string) => predictions[names.indexOf(name)][0].label;
check('the bee photo is a bee', topOf('bee'), { test: (label) => /\bbee\b/.test(String(label)) });
check('the pizza photo is a pizza', topOf('pizza'), { test: (label) => /pizza/.test(String(label)) });
check('probabilities are sorted', predictions[0].map((p) => p.probability), {
  test: (ps) => (ps as number[]).every((p, i, all) => i === 0 || p <= all[i - 1]),
});

// %% [markdown]
// ## The first layer: edges and colour blobs
//
// The first layer of the network is a set of small **filters**, 3 × 3 pixels by 3 colours each. Every
// filter slides over the photo and answers, at each position, "how much does this patch look like me?".
// Nobody designed these filters: training found them. Below are the 16 strongest, drawn as tiny pictures
// scaled up 20 times (grey is zero, bright is positive, dark is negative). They are edges — dark next to
// light, in some direction — and blobs of one colour.

// %%
const firstConv = net.model!.layers.find((layer) => layer.getClassName() === 'Conv2D')!;
const kernel = firstConv.getWeights()[0]; // [height, width, colours in, filters]
console.log(`${firstConv.name}: ${kernel.shape[3]} filters of ${kernel.shape[0]}×${kernel.shape[1]} pixels × ${kernel.shape[2]} colours`);
const filters = tf.tidy(() => {
  // The strongest filters first: some filters ended up (almost) all zero during training.
  const strength = kernel.square().sum([0, 1, 2]);
  const strongest = Array.from(tf.topk(strength, Math.min(16, kernel.shape[3])).indices.dataSync());
  const each = tf.unstack(kernel, 3) as tf.Tensor3D[];
  return strongest.map((i) => {
    // Grey is zero: scale each filter by its largest value so its pattern, not its strength, shows.
    const f = each[i];
    const scaled = f.div(f.abs().max().mul(2).add(1e-6)).add(0.5) as tf.Tensor3D;
    return tf.image.resizeNearestNeighbor(scaled, [60, 60]);
  });
});
display.image(grid(filters, 8));

// %% [markdown]
// **Try this:** can you find a filter that responds to a vertical edge? One that likes green? The same
// picture for `darknet_tiny`, a network trained by other people with other code, looks surprisingly similar.

// %%
check('first-layer filters look at 3 colours', kernel.shape[2], 3);
check('there are several filters', kernel.shape[3], { atLeast: 8 });

// %% [markdown]
// ## Deeper layers: from edges to textures to parts
//
// Each layer builds on the one before it. Early layers see small patches — edges, colours. Later layers
// combine them into textures (stripes, fur, honeycomb), then into parts (an eye, a wing, a wheel). As the
// maps get deeper they also get **smaller**: each cell of a deep map summarises a big part of the photo.
//
// Below, the bee photo passes through the network, and we show, at five depths, the 8 channels of the
// activation maps that respond most to it. Bright means "this channel found its pattern here".

// %%
// One layer at each map size: the last activation before the size halves.
const spatial = net.model!.layers.filter((layer) => {
  const shape = layer.outputShape as number[];
  // Maps bigger than 1 × 1: the classifier's softmax at the very end is not a map.
  return shape.length === 4 && shape[1] > 1 && /Activation|ReLU|LeakyReLU/.test(layer.getClassName());
});
const bySize = new Map<number, string>();
for (const layer of spatial) bySize.set((layer.outputShape as number[])[1], layer.name);
const depths = [...bySize.entries()].sort((a, b) => b[0] - a[0]).map(([, name]) => name);

const beeBatch = await net.preprocess([paths[names.indexOf('bee')]]);
const levels = depths.map((layer) => {
  const map = net.featureMap(beeBatch, layer);
  const [, h, w, c] = map.shape;
  const tiles = tf.tidy(() => {
    const maps = map.squeeze([0]) as tf.Tensor3D;
    const busiest = Array.from(tf.topk(maps.mean([0, 1]), 8).indices.dataSync());
    const channels = tf.unstack(maps, 2);
    return busiest.map((k) => channels[k]).map((ch) => {
      const scaled = ch.sub(ch.min()).div(ch.max().sub(ch.min()).add(1e-6)).expandDims(2) as tf.Tensor3D;
      return tf.image.resizeNearestNeighbor(scaled, [84, 84]);
    });
  });
  map.dispose();
  return { layer, size: `${h}×${w}`, channels: c, tiles };
});
display(levels.map(({ layer, size, channels }) => ({ layer, 'map size': size, channels })));
display.image(grid(levels.flatMap((level) => level.tiles), 8));

// %% [markdown]
// Read the picture row by row, top to bottom. In the first rows you can still see the bee's outline: those
// channels respond to edges and colours. Lower down the maps are small and blotchy — they no longer say
// *where the edges are* but *whether a bee-like part is there*. The last row is the last layer before the
// classifier: the network's summary of the whole photo.
//
// **Try this:** show the maps of `pizza` instead of `bee`. Which rows still look like the photo?

// %%
const sizes = levels.map((level) => Number(level.size.split('×')[0]));
const channelCounts = levels.map((level) => level.channels);
check('maps get smaller with depth', sizes, { test: (s) => (s as number[]).every((v, i, all) => i === 0 || v < all[i - 1]) });
check('maps get more channels with depth', channelCounts.at(-1)! > channelCounts[0], true);

// %% [markdown]
// ## Why this transfers
//
// Edges, textures and parts are useful for *any* photo, not only for the 1,000 ImageNet classes. Only the
// very last layer is about ImageNet's particular classes. So we can keep everything up to that last layer —
// the network's summary of a photo, a list of a few hundred numbers called its **features** — and learn only
// a small new last layer for our own classes. That is **transfer learning**, and it needs far fewer photos
// and far less computing than training from scratch.
//
// **Next:** [2. Feature extraction](02-feature-extraction.ipynb) turns 397 photos of ants and bees into
// features.

// %%
// `kernel` is the layer's own weight: `net.dispose()` frees it.
tf.dispose([batch, beeBatch, sheet, ...photos, ...filters, ...levels.flatMap((level) => level.tiles)]);
net.dispose();
