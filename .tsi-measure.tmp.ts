// Iteration tool: build into /tmp/tsi-dist, open a new notebook, type at once, time completions; print worker console.
import { build, preview } from 'vite';
import { launchChromium } from './tests/browser/chromium.ts';
const outDir = '/tmp/tsi-dist';
if (!process.argv.includes('--no-build')) await build({ root: process.cwd(), logLevel: 'error', build: { outDir, emptyOutDir: true }, ...(process.argv.includes('--min') ? { worker: { format: 'es', rolldownOptions: { output: { minify: { compress: false, mangle: true } } } } } : {}) } as any);
const server = await preview({ root: process.cwd(), logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
const url = server.resolvedUrls!.local[0];
const browser = await launchChromium();
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
for (let i = 0; i < runs; i++) {
  const page = await browser.newPage();
  let clickedAt = 0;
  page.on('worker', (w) => { console.log(`   worker ${w.url().split('/').pop()} created ${Date.now() - clickedAt} ms after click`); w.on('console', (m) => console.log(`   [worker ${w.url().split('/').pop()}] ${m.text()}`)); });
  await page.goto(url);
  await page.getByRole('button', { name: 'New notebook' }).waitFor();
  clickedAt = Date.now();
  await page.getByRole('button', { name: 'New notebook' }).click();
  const opened = Date.now();
  const ed = page.getByRole('group', { name: 'Cell 1', exact: true }).locator('.cm-content');
  await ed.waitFor();
  await ed.click();
  await page.keyboard.insertText("import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\n");
  await page.keyboard.type('net');
  const typed = Date.now();
  await page.keyboard.type('.');
  const labels = page.locator('.cm-tooltip-autocomplete .cm-completionLabel');
  while (!(await labels.allInnerTexts()).includes('classify')) await new Promise((r) => setTimeout(r, 10));
  const first = Date.now() - typed;
  const later: number[] = [];
  for (const t of ['info.', 'featureDim;\nnet.', 'd', 'ispose();\nn']) {
    await page.keyboard.press('Escape');
    await page.keyboard.type(t.slice(0, -1));
    const s = Date.now();
    await page.keyboard.type(t.slice(-1));
    const want = { 'info.': 'featureDim', 'featureDim;\nnet.': 'classify', d: 'dispose', 'ispose();\nn': 'net' }[t]!;
    while (!(await labels.allInnerTexts()).includes(want)) await new Promise((r) => setTimeout(r, 5));
    later.push(Date.now() - s);
  }
  console.log(`run ${i}: first ${first} ms after '.', ${typed - opened + first} ms after open (typing began ${typed - opened} ms after open); later ${later.join(', ')} ms`);
  await page.close();
}
await browser.close();
await server.close();
