// %% [markdown]
// # 6. Your own images
//
// Everything so far used ants and bees. Now bring your own classes: photos of your plants, your handwriting,
// your cat versus your neighbour's — or record them with the webcam. In a few minutes you will have trained,
// checked and exported your own classifier: a Teachable Machine in a notebook, built from the pieces of the
// previous notebooks.
//
// Previous: [5. Benchmarking](05-benchmarking.ipynb) · Start again: [0. Welcome](00-welcome.ipynb)

// %% tags=["parameters"]
const backbone = 'mobilenet_v1_0.25_224'; // try 'mobilenet_v1_0.75_224' when accuracy matters more than speed
const dataset = 'files'; // 'files': a folder with one subfolder per class; 'webcam': record the classes below
const webcamClasses = ['class A', 'class B']; // names of the classes to record with the webcam
const framesPerClass = 20; // webcam frames to record for each class

// %% [markdown]
// ## 1. Bring your images
//
// **With files:** make a folder with one subfolder per class, named after the class, holding its photos:
//
// ```text
// my-photos/
//   cats/     cat1.jpg  cat2.jpg  …
//   dogs/     dog1.jpg  …
// ```
//
// Ten photos per class is enough to start (notebook 3 showed why); thirty is better. Run the next cell and
// choose the folder, or drop it on the box that appears.
//
// **With the webcam:** set `dataset = 'webcam'` and the class names in the parameters cell. Run the next cell,
// point the camera at the first thing and hold its button, then the next. Vary the angle and the distance.
//
// (From the command line, `tailor run 06-your-own-images.ipynb --files my-photos` answers with that folder.)

// %%
import { loadBackbone, loadImageFolder, fromCaptures, extractFeatures, trainHead, evaluate, composeModel, loadTrainedModel } from 'tailor';
import { lossCurve, confusionMatrix, imageGrid, nodeCacheDir, check } from 'tailor';
import type { EpochLog } from 'tailor';

// A quarter of each class is kept aside to check the classifier on photos it did not learn from.
const split = { val: 0.25, seed: 1 };
const mine =
  dataset === 'webcam'
    ? await fromCaptures(await ask.webcam({ classes: webcamClasses, perClass: framesPerClass }), { split })
    : await loadImageFolder(await ask.files({ accept: 'image/*', directory: true, prompt: 'Choose a folder with one subfolder per class' }), { split });
display(mine.classes.map((name) => ({ class: name, photos: mine.counts.all[name], 'to learn from': mine.counts.train[name], 'to check with': mine.counts.val?.[name] ?? 0 })));
mine.warnings.forEach((w) => console.warn(w));
if (mine.skipped.length > 0) console.log(`left out: ${mine.skipped.map((s) => `${s.path} (${s.reason})`).join('; ')}`);

// %% [markdown]
// Anything that was not an image was left out and listed above. Check the table: does every class have
// enough photos? Are the classes about the same size? A class with far more photos pulls the classifier
// towards itself.

// %%
check('at least two classes', mine.classes.length, { atLeast: 2, hint: 'make one subfolder per class inside the folder you choose.' });
check('every class has photos to learn from and to check with', Math.min(...mine.classes.map((c) => Math.min(mine.counts.train[c] ?? 0, mine.counts.val?.[c] ?? 0))), {
  atLeast: 1,
  hint: 'each class needs at least 2 photos (better: 10 or more).',
});

// %% [markdown]
// A few of your photos, four per class:

// %%
const examples = mine.classes.flatMap((name, label) => mine.all.items.filter((item) => item.label === label).slice(0, 4).map((item) => ({ image: item, caption: name })));
display(await imageGrid(examples, { columns: 4, size: 110 }));

// %% [markdown]
// ## 2. Features, then a head
//
// Exactly the recipe of notebooks [2](02-feature-extraction.ipynb) and [3](03-training-a-head.ipynb): the
// pretrained network turns each photo into features once, then a small head learns your classes.

// %%
const net = await loadBackbone(backbone);
const bar = progress(mine.train.items.length + (mine.val?.items.length ?? 0), { label: 'features' });
const train = await extractFeatures(net, mine.train, { onProgress: (p) => bar.set(p.done), signal });
const val = await extractFeatures(net, mine.val!, { onProgress: (p) => bar.set(train.items.length + p.done), signal });
bar.finish();

const history: EpochLog[] = [];
const chart = display(lossCurve(history, { title: 'your head' }));
const head = await trainHead(train, {
  kind: 'softmax',
  epochs: 80,
  validation: val,
  signal,
  onEpoch: (log) => {
    history.push(log);
    if (log.epoch % 10 === 0) chart.update(lossCurve(history, { title: 'your head' }));
  },
});
chart.update(lossCurve(history, { title: 'your head' }));
console.log(`trained in ${head.trainMs.toFixed(0)} ms; kept epoch ${head.bestEpoch} (${head.stopReason})`);

// %% [markdown]
// ## 3. How good is it?

// %%
const report = await evaluate(head, val);
console.log(`${(100 * report.accuracy).toFixed(1)}% of ${report.count} photos it did not learn from are right (guessing: ${(100 / mine.classes.length).toFixed(0)}%)`);
display(confusionMatrix(report, { title: 'your classes' }));
if (report.misclassified.length > 0) display(await imageGrid(report.misclassified, { columns: 4, title: 'the photos it got wrong' }));

// %% [markdown]
// **Try this:** if some photos are wrong, look at them. Is the class visible at all? Is the background
// telling a different story? Add photos like the wrong ones to the class folder and run again.

// %%
check('better than guessing', report.accuracy, { atLeast: 1 / mine.classes.length + 0.1, hint: 'more photos per class, or more varied ones, usually help; so does a bigger backbone.' });

// %% [markdown]
// ## 4. Take it away
//
// `composeModel` joins the backbone and your head into one model that takes a photo and returns your
// classes. Saved, it carries its class names and preprocessing, so a web page or another notebook can load
// it with `loadTrainedModel` and use it straight away. In the browser, save it to `downloads://my-classifier`
// to get the files.

// %%
const classifier = composeModel(net, head);
const inNode = typeof process !== 'undefined' && Boolean(process.versions?.node);
const destination = inNode ? `${await nodeCacheDir()}/models/my-classifier` : 'indexeddb://my-classifier';
await classifier.save(destination);
const reloaded = await loadTrainedModel(destination);
const probe = mine.val!.items.slice(0, 6);
const before = await classifier.predict(probe);
const after = await reloaded.predict(probe);
display(probe.map((item, i) => ({ photo: item.path.split('/').pop(), truth: mine.classes[item.label], predicted: after[i].label, probability: after[i].probability.toFixed(3) })));
console.log(`saved to ${destination}`);

// %% [markdown]
// **Exercise:** the model you take away must answer exactly like the one you trained.

// %%
check('the saved model keeps your class names', reloaded.labels, { equals: mine.classes });
check('the saved model agrees with the trained one', before.every((p, i) => p.label === after[i].label && Math.abs(p.probability - after[i].probability) < 1e-4), true);

// %% [markdown]
// ## Where to go from here
//
// - More photos and more varied ones beat cleverer code, almost always.
// - If accuracy is not enough, try `mobilenet_v1_0.75_224` (notebook [5](05-benchmarking.ipynb) showed the
//   cost), an MLP head, or fine-tuning (notebook [4](04-fine-tuning.ipynb)).
// - Hand in this notebook with its outputs: **Download .ipynb** keeps every chart and table.
//
// You have done transfer learning from start to end: you bought the suit ready-made and tailored it.

// %%
classifier.dispose();
reloaded.dispose();
head.dispose();
net.dispose();
