import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { LoadFigures, NotebookFigure } from './app-figures.ts';
import type { CacheFigures } from './end-to-end.ts';
import type { Figure, Ratio, RunnerInfo } from './figures.ts';
import type { Ceiling, MachineInfo } from './machine.ts';
import type { FineTuneFigures, HeadFigures } from './training.ts';

/** Everything one bench run measured: what `bench/results.json` holds. */
export interface BenchResults {
  date: string;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  versions: Record<string, string | undefined>;
  /** Backend details: TF.js wasm SIMD/threads, ORT and PyTorch threads, isolation (page only). */
  backends: Record<string, unknown>;
  ceilings: Record<string, Ceiling>;
  /** Quiet-machine ceilings quoted in issue 9, for comparison when this run was under load. */
  referenceCeilings: { native: number; simd128: number; note: string };
  runners: Record<string, RunnerInfo>;
  figures: Figure[];
  ratios: Ratio[];
  cache: CacheFigures[];
  /** Head training and fine-tuning in Node. */
  training?: { head?: HeadFigures; fineTune: FineTuneFigures[] };
  /** The app's cold open and JS bytes; the guided notebooks' headless wall time. */
  app?: { load?: LoadFigures; notebooks?: NotebookFigure[] };
  /** Runners or backbones left out, and why (missing package, failed parity, …). */
  skipped: string[];
  notes: string[];
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const pct = (v: number) => `${fmt(100 * v, 0)}%`;

/** The results as Markdown tables: throughput, ratios, end to end and cache, ceilings. */
export function resultsMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  const batches = [...new Set(r.figures.map((f) => f.batch))].sort((a, b) => a - b);
  lines.push(`# Tailor bench (${r.mode}, ${r.date})`, '');
  lines.push(`${r.machine.cpu}, ${r.machine.cores} cores (${r.machine.flags.join(' ')}), ${r.machine.os}, Node ${r.machine.node}; load average at start ${r.machine.loadAverage.join(' / ')}.`, '');
  lines.push(`Ceilings (the best of a measurement at the start and one after the backbone figures): native FP32 ${fmt(r.ceilings.native.gflops, 0)} GFLOP/s (${r.ceilings.native.vectorBytes * 8}-bit FMA, ${r.ceilings.native.threads} threads), 128-bit SIMD ${fmt(r.ceilings.simd128.gflops, 0)} GFLOP/s; on a quiet machine ${r.referenceCeilings.native} and ${r.referenceCeilings.simd128}.`, '');
  lines.push('## Backbone throughput (img/s, median [min–max]; % of the matching ceiling at the largest batch)', '');
  lines.push(`| backbone | where | runner | threads | parity | ${batches.map((b) => `batch ${b}`).join(' | ')} | GFLOP/s | % ceiling |`);
  lines.push(`| --- | --- | --- | ---: | ---: | ${batches.map(() => '---:').join(' | ')} | ---: | ---: |`);
  const backbone = r.figures.filter((f) => f.scope === 'backbone');
  // Node rows first, then the browser's (older results have no `where`: Node).
  const where = (f: Figure) => f.where ?? 'node';
  for (const id of [...new Set(backbone.map((f) => f.backbone))]) {
    const keys = [...new Set(backbone.filter((f) => f.backbone === id).map((f) => `${where(f)}|${f.runner}`))];
    for (const key of keys.sort((a, b) => Number(a.startsWith('browser')) - Number(b.startsWith('browser')))) {
      const [place, runner] = key.split('|');
      const rows = backbone.filter((f) => f.backbone === id && f.runner === runner && where(f) === place);
      const last = rows.reduce((a, b) => (b.batch > a.batch ? b : a));
      const cells = batches.map((b) => {
        const f = rows.find((x) => x.batch === b);
        return f ? `${fmt(f.median)} [${fmt(f.min)}–${fmt(f.max)}]` : '';
      });
      const name = last.tailor ? `**${runner}**` : runner;
      lines.push(`| ${id} | ${place} | ${name} | ${last.threads} | ${last.parity.toExponential(1)} | ${cells.join(' | ')} | ${fmt(last.gflops)} | ${pct(last.fractionOfCeiling)} (${last.ceiling}) |`);
    }
  }
  lines.push('', '## Tailor ÷ peer (median img/s)', '');
  lines.push('| backbone | batch | scope | where | Tailor path | peer | Tailor | peer | ratio |');
  lines.push('| --- | ---: | --- | --- | --- | --- | ---: | ---: | ---: |');
  for (const x of r.ratios) {
    lines.push(`| ${x.backbone} | ${x.batch} | ${x.scope} | ${x.where} | ${x.tailorRunner} | ${x.peer} | ${fmt(x.tailorImgPerSec)} | ${fmt(x.peerImgPerSec)} | ${fmt(x.ratio, 2)}× |`);
  }
  const e2e = r.figures.filter((f) => f.scope === 'end-to-end');
  if (e2e.length > 0) {
    lines.push('', '## End to end: JPEG files → features (`extractFeatures`, no cache)', '');
    lines.push('| backbone | where | runner | batch | img/s median [min–max] | ÷ backbone only |', '| --- | --- | --- | ---: | ---: | ---: |');
    for (const f of e2e) {
      const own = r.ratios.find((x) => x.scope === 'end-to-end' && x.backbone === f.backbone && x.where === f.where && x.batch === f.batch && x.tailorRunner === f.runner);
      lines.push(`| ${f.backbone} | ${f.where} | ${f.runner} | ${f.batch} | ${fmt(f.median)} [${fmt(f.min)}–${fmt(f.max)}] | ${own ? `${fmt(own.ratio, 2)}×` : ''} |`);
    }
  }
  if (r.cache.length > 0) {
    lines.push('', '## Feature cache', '', '| backbone | images | miss img/s | hit img/s median [min–max] | hit ÷ miss |', '| --- | ---: | ---: | ---: | ---: |');
    for (const c of r.cache) lines.push(`| ${c.backbone} | ${c.images} | ${fmt(c.missImgPerSec)} | ${fmt(c.hit.median)} [${fmt(c.hit.min)}–${fmt(c.hit.max)}] | ${fmt(c.speedup)}× |`);
  }
  if (r.training) {
    lines.push('', '## Training (Node, TF.js wasm)', '');
    const h = r.training.head;
    if (h) lines.push(`- Softmax head on ${h.backbone} features (${h.rows} × ${h.dim}, validation with early stopping): ${fmt(h.seconds.median, 2)} s [${fmt(h.seconds.min, 2)}–${fmt(h.seconds.max, 2)}], ${h.epochs} epochs, val accuracy ${pct(h.valAccuracy)}.`);
    for (const f of r.training.fineTune) lines.push(`- Fine-tuning ${f.backbone}, last block, batch ${f.batchSize}, augmentation on: ${fmt(f.secondsPerEpoch)} s per epoch of ${f.images} photos (${fmt(f.imgPerSec)} img/s, ${f.backend}).`);
  }
  if (r.app?.load) {
    const l = r.app.load;
    lines.push('', '## App (production build, headless Chromium, median of 5 cold loads)', '');
    lines.push(`- JS (gzip): ${fmt(l.initialJsKb)} kB initial, ${fmt(l.notebookJsKb)} kB for an open notebook (budget 250 kB); kernel worker and language service ${fmt(l.workerJsKb)} kB off the main thread.`);
    lines.push(`- Home page usable ${fmt(l.homeUsableMs, 0)} ms after navigation; a new notebook editable ${fmt(l.notebookEditableMs, 0)} ms after the click; its kernel idle (wasm ready) ${fmt(l.kernelIdleMs, 0)} ms after the click.`);
  }
  if (r.app?.notebooks?.length) {
    lines.push('', '## Guided notebooks, headless (`tailor run --grade`, cold cache)', '', '| notebook | wall time | result |', '| --- | ---: | --- |');
    for (const n of r.app.notebooks) lines.push(`| ${n.notebook} | ${fmt(n.seconds)} s | ${n.score} |`);
  }
  lines.push('', '## Runners', '');
  for (const [key, info] of Object.entries(r.runners)) lines.push(`- \`${key}\`${info.tailor ? ' (Tailor)' : ''}: ${info.details}; ${info.threads} thread(s); compared with the ${info.ceiling} ceiling.`);
  if (r.skipped.length > 0) lines.push('', '## Not measured', '', ...r.skipped.map((s) => `- ${s}`));
  if (r.notes.length > 0) lines.push('', '## Notes', '', ...r.notes.map((s) => `- ${s}`));
  return `${lines.join('\n')}\n`;
}

/** A Plot chart (SVG markup) of median backbone throughput per runner (Tailor red, peers grey; whiskers min–max), faceted by backbone and batch. */
export function resultsSvg(r: BenchResults): string {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const data = r.figures.filter((f) => f.scope === 'backbone').map((f) => ({ ...f, runner: `${f.runner}${f.where === 'browser' ? ' (page)' : ''}`, who: f.tailor ? 'Tailor' : 'peer', facet: `${f.backbone} · batch ${f.batch}` }));
  const facets = [...new Set(data.map((d) => d.backbone))].flatMap((b) =>
    [...new Set(data.filter((d) => d.backbone === b).map((d) => d.batch))].sort((x, y) => x - y).map((n) => `${b} · batch ${n}`),
  );
  const runnerCount = new Set(data.map((d) => d.runner)).size;
  const chart = Plot.plot({
    document: document as unknown as Document,
    marginLeft: 110,
    marginRight: 190,
    width: 900,
    height: 60 + facets.length * (runnerCount * 14 + 16),
    // Log scale: throughputs span two orders of magnitude between runners and backbones.
    x: { type: 'log', grid: true, label: 'images per second (median, min–max) →' },
    y: { label: null },
    fy: { label: null, domain: facets },
    color: { domain: ['Tailor', 'peer'], range: ['#d62728', '#7f7f7f'], legend: false },
    facet: { data, y: 'facet' },
    marks: [
      Plot.ruleY(data, { y: 'runner', x1: 'min', x2: 'max', stroke: 'who' }),
      Plot.dot(data, { y: 'runner', x: 'median', fill: 'who', r: 4 }),
      Plot.text(data, { y: 'runner', x: 'max', text: (d: (typeof data)[number]) => fmt(d.median), dx: 6, textAnchor: 'start' }),
    ],
  });
  // No title or legend, so Plot returns a bare <svg> that opens as an image (Tailor's bars are red, peers grey).
  if (!chart.getAttribute('xmlns')) chart.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return chart.outerHTML;
}
