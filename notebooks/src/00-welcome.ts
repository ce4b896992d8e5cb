// %% [markdown]
// # Welcome to Tailor
//
// Tailor is a notebook for **transfer learning** that runs in your browser. You start from a network that
// someone already trained on millions of photos, and you tailor it to your own problem — the way a tailor
// adjusts a suit that is already made instead of sewing a new one.
//
// This first notebook shows how the notebook itself works. It takes about five minutes and needs no model.
//
// **The course**
//
// 0. Welcome — this notebook: cells, `await`, `display`, charts, keys, files.
// 1. [What a pretrained network sees](01-what-a-pretrained-network-sees.ipynb)
// 2. [Feature extraction](02-feature-extraction.ipynb)
// 3. [Training a head](03-training-a-head.ipynb)
// 4. [Fine-tuning](04-fine-tuning.ipynb)
// 5. [Benchmarking](05-benchmarking.ipynb)
// 6. [Your own images](06-your-own-images.ipynb)

// %% [markdown]
// ## Cells
//
// A notebook is a list of **cells**. Text cells like this one explain; **code cells** hold TypeScript
// that you run. Click into the next cell and press **Shift+Enter**: it runs, and its result appears below it.
// The value of the last line is the cell's result.

// %%
const greeting = 'Hello, Tailor';
greeting.length

// %% [markdown]
// **Try this:** change the text of `greeting` and run the cell again. The result changes with it.

// %% [markdown]
// ## One shared scope
//
// Everything a cell declares is visible to the cells after it. You can run a cell as often as you like:
// running `const greeting = …` twice is fine in a notebook.
//
// `console.log` writes text under the cell.

// %%
const doubled = greeting.length * 2;
console.log(`"${greeting}" has ${greeting.length} characters; twice that is ${doubled}.`);

// %% [markdown]
// **Try this:** declare `const shout = greeting.toUpperCase()` in a new cell (press **B** outside the
// editor to add one below), then use `shout` in another cell.

// %% [markdown]
// ## Waiting with `await`
//
// Loading a model or reading photos takes time. Functions that take time return a *Promise*, and you wait
// for it with `await`, right at the top of a cell. The notebook shows the cell as busy until it is done.

// %%
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const started = performance.now();
await pause(200);
const waited = Math.round(performance.now() - started);
console.log(`waited ${waited} ms`);

// %% [markdown]
// **Try this:** remove `await` and run the cell again. How long does it wait now, and why?

// %% [markdown]
// ## Showing things with `display`
//
// `display(value)` shows a value under the cell, in the richest form it knows: a list of objects becomes
// a table, a chart becomes a picture, an image tensor becomes an image. `display.markdown` and
// `display.html` show text with formatting.

// %%
const planets = [
  { name: 'Mercury', moons: 0, dayHours: 4222.6 },
  { name: 'Venus', moons: 0, dayHours: 2802 },
  { name: 'Earth', moons: 1, dayHours: 24 },
  { name: 'Mars', moons: 2, dayHours: 24.7 },
];
display(planets);
display.markdown(`**${planets.length} planets**, ${planets.reduce((n, p) => n + p.moons, 0)} moons in all.`);

// %% [markdown]
// Images are tensors of pixels: height × width × 3 colours. Here is one computed from scratch — red grows to
// the right, green grows downwards. `tf` (TensorFlow.js) is always there, like `display`.

// %%
const ramp = tf.linspace(0, 1, 64);
const red = ramp.reshape([1, 64]).tile([64, 1]);
const green = ramp.reshape([64, 1]).tile([1, 64]);
const picture = tf.stack([red, green, tf.zerosLike(red)], 2);
display.image(picture);
tf.dispose([ramp, red, green, picture]);

// %% [markdown]
// **Try this:** put `red` in the third (blue) channel instead of the zeros. What colours appear?

// %% [markdown]
// ## Charts with Plot
//
// [Observable Plot](https://observablehq.com/plot/) draws charts from plain arrays of objects. A chart is
// saved in the notebook file as a picture, so it shows on GitHub and in Jupyter too.

// %%
const squares = Array.from({ length: 10 }, (_, i) => ({ n: i + 1, square: (i + 1) ** 2 }));
Plot.plot({
  height: 220,
  marks: [Plot.barY(squares, { x: 'n', y: 'square', fill: 'steelblue' }), Plot.ruleY([0])],
})

// %% [markdown]
// **Try this:** replace `Plot.barY` with `Plot.lineY` and add `Plot.dot(squares, {x: 'n', y: 'square'})`.

// %% [markdown]
// ## Progress bars
//
// Long loops show a progress bar that updates in place. The library's long calls (extracting features,
// training) report their progress the same way.

// %%
const bar = progress(40, { label: 'counting' });
let total = 0;
for (let i = 1; i <= 40; i++) {
  total += i;
  bar.tick();
  await pause(5);
}
bar.finish();
total

// %% [markdown]
// ## Exercises and checks
//
// Each notebook has small exercises. A **check** tells you whether your answer is right: it shows ✓, or a
// hint — never the answer itself. Checks come from the `tailor` library, which every cell can import.
//
// A teacher can grade a whole notebook from the command line:
// `tailor run notebook.ipynb --grade --pass-threshold 80%` runs it and prints a table of the checks.
//
// **Exercise:** `total` above is the sum 1 + 2 + … + 40. Gauss found a shortcut: n × (n + 1) / 2. The cell
// below computes it with his formula and checks it against the loop.
//
// **Try this:** break the formula (write `40 * 40 / 2`) and run the cell: the check shows a hint instead of
// ✓. Then put it right again.

// %%
import { check } from 'tailor';

const gauss = (40 * (40 + 1)) / 2;
check('Gauss sum equals the loop', gauss, total);
check('the wait really waited', waited, { atLeast: 190, hint: 'run the `await pause(200)` cell again, with `await`.' });

// %% [markdown]
// ## Keys
//
// | keys | what they do |
// | --- | --- |
// | Shift+Enter | run the cell and go to the next one |
// | Ctrl+Enter | run the cell and stay |
// | Alt+Enter | run the cell and add a new one below |
// | Escape, then A / B | add a cell above / below |
// | Escape, then M / Y | make the cell Markdown / code |
// | Escape, then D D | delete the cell (Z brings it back) |
// | Escape, then I I | interrupt a running cell |
// | Escape, then 0 0 | restart the kernel (forget every variable) |
// | Ctrl+S | save |
//
// The toolbar has **Run all**, which runs every cell from the top.

// %% [markdown]
// ## Saving and sharing
//
// A notebook is an ordinary `.ipynb` file, the format Jupyter uses. **Save** keeps it in your browser;
// **Download .ipynb** gives you the file to hand in or share, with every output and chart inside it. Open a
// file again with **Open notebook…** or by dropping it on the page. GitHub and Jupyter show the same file.
//
// The same notebook also runs without a browser: `tailor run notebook.ipynb` executes it and saves the
// outputs, and `--param backbone=mobilenet_v1_0.75_224` changes a value of the cell tagged `parameters`.
//
// **Next:** [1. What a pretrained network sees](01-what-a-pretrained-network-sees.ipynb).
