import { buildAndServe } from './tests/browser/serve-build.ts';
import { launchChromium } from './tests/browser/chromium.ts';
const app = await buildAndServe();
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(app.url);
await page.getByRole('button', { name: 'New notebook' }).waitFor();
const kind = process.argv[3] ?? 'code';
const cellOf = (i: number) => kind === 'code' ? ({ id: `c${i}`, cell_type: 'code', source: `const v${i} = ${i};`, metadata: {}, outputs: [], execution_count: null }) : ({ id: `c${i}`, cell_type: 'markdown', source: `# T${i}`, metadata: {} });
const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: Array.from({ length: Number(process.argv[2]) }, (_, i) => cellOf(i)) });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.start');
const t1 = performance.now();
await page.evaluate(([fileName, content]) => {
  const data = new DataTransfer();
  data.items.add(new File([content], fileName, { type: 'application/x-ipynb+json' }));
  window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
}, ['big.ipynb', text] as const);
await page.getByRole('group', { name: 'Cell 1', exact: true }).waitFor({ timeout: 300000 });
console.log(kind, process.argv[2], 'cell 1 visible', (performance.now() - t1).toFixed(0));
await page.waitForTimeout(2000);
const { profile } = await cdp.send('Profiler.stop') as any;
const self = new Map<string, number>();
const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
profile.samples.forEach((id: number, i: number) => { const n: any = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'}|${n.callFrame.url}|${n.callFrame.lineNumber}|${n.callFrame.columnNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000); });
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 6);
for (const [k, v] of top) { const [fn, url, line, col] = k.split('|'); let snip = ''; if (url.startsWith('http')) { const src = await (await fetch(url)).text(); const l = src.split('\n')[Number(line)] ?? ''; snip = l.slice(Math.max(0, Number(col) - 50), Number(col) + 250); } console.log(v.toFixed(0), fn, url.split('/').pop(), line, col, '\n   ', snip); }
await browser.close(); await app.close();
