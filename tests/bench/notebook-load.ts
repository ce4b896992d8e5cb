/**
 * Page-load figures for the notebook app: the gzip size of the JavaScript the
 * home page loads, of what opening a notebook adds, and time to interactive in
 * headless Chromium (median of 5 fresh loads):
 * - home: navigation start → "New notebook" button on screen;
 * - notebook: "New notebook" clicked → a cell editor on screen, and → kernel idle.
 * Run: `npx tsx tests/bench/notebook-load.ts`. Prints figures; asserts nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';
import { launchChromium } from '../browser/chromium.ts';
import { REPO_ROOT } from '../browser/serve-build.ts';

const outDir = '/tmp/tailor-bench-dist';
await build({ root: REPO_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });

const assets = join(outDir, 'assets');
const files = await readdir(assets);
const gz = async (file: string) => gzipSync(await readFile(join(assets, file))).length / 1024;
const html = await readFile(join(outDir, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
const sizes = { initial: 0, home: 0, notebook: 0, lazy: 0, worker: 0 };
for (const f of initial) sizes.initial += await gz(f);
/** Main-thread JS files the page fetched (the worker's are not the page's). */
const loaded = new Set<string>();
/** What the home page fetched after its initial JS, before a notebook opened (the guided notebooks' texts for its list). */
let homeLoaded = new Set<string>();
/** Scripts that started a worker (the kernel's, the TypeScript language service's): off the main thread. */
const workerScripts = new Set(files.filter((f) => f.startsWith('worker')));

const server = await preview({ root: REPO_ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
const url = server.resolvedUrls!.local[0];
const browser = await launchChromium();
const runs: { home: number; editor: number; idle: number }[] = [];
for (let i = 0; i < 5; i++) {
  const page = await browser.newPage();
  if (i === 0) {
    page.on('worker', (w) => {
      const name = w.url().split('/assets/')[1];
      if (name) workerScripts.add(name);
    });
    page.on('request', (r) => {
      const name = r.url().split('/assets/')[1];
      if (name?.endsWith('.js') && r.frame() && !name.startsWith('worker')) loaded.add(name);
    });
  }
  await page.goto(url, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'New notebook' }).waitFor();
  const home = await page.evaluate(() => performance.now());
  if (i === 0) homeLoaded = new Set([...loaded].filter((f) => !initial.includes(f)));
  await page.getByRole('button', { name: 'New notebook' }).click();
  const clicked = await page.evaluate(() => performance.now());
  await page.locator('.cm-content').first().waitFor();
  const editor = (await page.evaluate(() => performance.now())) - clicked;
  const status = page.getByLabel('Kernel status', { exact: true });
  // Polled from Node (a page-side predicate would be rewritten by tsx's name helpers).
  while ((await status.textContent()) !== 'idle') await new Promise((r) => setTimeout(r, 20));
  const idle = (await page.evaluate(() => performance.now())) - clicked;
  runs.push({ home, editor, idle });
  await page.close();
}
await browser.close();
await server.close();
for (const f of workerScripts) sizes.worker += await gz(f);
for (const f of homeLoaded) sizes.home += await gz(f);
const notebookChunks = [...loaded].filter((f) => !initial.includes(f) && !workerScripts.has(f) && !homeLoaded.has(f));
for (const f of notebookChunks) sizes.notebook += await gz(f);
const lazyChunks = files.filter((f) => f.endsWith('.js') && !workerScripts.has(f) && !loaded.has(f) && !initial.includes(f));
for (const f of lazyChunks) sizes.lazy += await gz(f);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('Bundle (gzip):');
console.log(`  initial JS (home page):      ${sizes.initial.toFixed(1)} kB  [${initial.join(', ')}]`);
console.log(`  home page list data:         ${sizes.home.toFixed(1)} kB  [${[...homeLoaded].join(', ')}] (fetched by the home page only, not when a notebook opens by its address)`);
console.log(`  + notebook view chunks:      ${sizes.notebook.toFixed(1)} kB  [${notebookChunks.join(', ')}]`);
console.log(`  = JS for an open notebook:   ${(sizes.initial + sizes.notebook).toFixed(1)} kB (budget 250 kB)`);
console.log(`  loaded later on demand:      ${sizes.lazy.toFixed(1)} kB  [${lazyChunks.join(', ')}] (Markdown editing, export, guided notebooks)`);
console.log(`  workers (off main thread):   ${sizes.worker.toFixed(1)} kB  [${[...workerScripts].join(', ')}] (kernel, TypeScript language service)`);
console.log('Time to interactive (median of 5, headless Chromium):');
console.log(`  home page usable:            ${median(runs.map((r) => r.home)).toFixed(0)} ms after navigation start`);
console.log(`  new notebook editable:       ${median(runs.map((r) => r.editor)).toFixed(0)} ms after the click`);
console.log(`  kernel idle (ready to run):  ${median(runs.map((r) => r.idle)).toFixed(0)} ms after the click`);
