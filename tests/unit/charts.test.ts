/**
 * Chart helpers render deterministic SVG/HTML without a page DOM, compared
 * with committed snapshots the way Plot's own tests do: ids normalised,
 * numbers rounded; a mismatch writes `<name>-changed.<ext>` and fails; a
 * missing snapshot is written (commit it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchmarkBars, confusionMatrix, embeddingScatter, evaluate, imageGrid, lossCurve, mimeSymbol, pca, trainHead,
} from '../../kernels/transfer/index.ts';
import type { EvaluationReport, FeatureSet, Head } from '../../kernels/transfer/index.ts';
import { disposeBackbones, hymenopteraFeatures } from '../support/heads-fixtures.ts';

const snapshots = path.join(import.meta.dirname, '__snapshots__', 'charts');

/** Plot's normalisation: stable class ids, numbers rounded to 2 decimals, thumbnails elided. */
function normalize(markup: string): string {
  return markup
    .replace(/plot-[0-9a-f]{6}/g, 'plot-d6a7b5')
    .replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'data:image/png;base64,…')
    .replace(/\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100))
    .replace(/></g, '>\n<');
}

function expectSnapshot(name: string, markup: string): void {
  const actual = normalize(markup) + '\n';
  const file = path.join(snapshots, name);
  const changed = file.replace(/(\.\w+)$/, '-changed$1');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(snapshots, { recursive: true });
    fs.writeFileSync(file, actual);
    console.warn(`[charts] wrote new snapshot ${name}; commit it`);
    return;
  }
  if (fs.readFileSync(file, 'utf8') === actual) {
    fs.rmSync(changed, { force: true });
    return;
  }
  fs.writeFileSync(changed, actual);
  expect.fail(`${name} differs from its snapshot; see ${path.basename(changed)} (replace the snapshot if the change is intended)`);
}

function mime(value: unknown): Record<string, string> {
  return (value as { [mimeSymbol](): Record<string, string> })[mimeSymbol]();
}

let train: FeatureSet;
let val: FeatureSet;
let head: Head;
let report: EvaluationReport;

beforeAll(async () => {
  train = await hymenopteraFeatures('mobilenet_v1_0.25_224', 'train');
  val = await hymenopteraFeatures('mobilenet_v1_0.25_224', 'val');
  head = await trainHead(train, { validation: val, seed: 3, epochs: 20, solver: 'adam' });
  report = await evaluate(head, val);
});

afterAll(async () => {
  head.dispose();
  await disposeBackbones();
});

describe('charts', () => {
  it('lossCurve draws train and validation loss and accuracy', () => {
    const chart = lossCurve(head.history);
    const bundle = mime(chart);
    expect(bundle['text/html']).toContain('<svg');
    expect(bundle['text/plain']).toMatch(/^Loss curve \(20 epochs; last: loss /);
    expectSnapshot('loss-curve.html', bundle['text/html']);
  });

  it('lossCurve skips missing values (a fine-tune’s epoch 0 has no train loss)', () => {
    const chart = lossCurve([{ epoch: 0, loss: NaN, accuracy: NaN, valLoss: 0.3, valAccuracy: 0.9 }, { epoch: 1, loss: 0.25, accuracy: 0.92, valLoss: 0.28, valAccuracy: 0.91 }], { metrics: 'loss' });
    const html = mime(chart)['text/html'];
    expect(html).not.toContain('NaN');
    expectSnapshot('loss-curve-loss-only.html', html);
  });

  it('confusionMatrix shows counts in class order with the diagonal outlined', () => {
    const html = mime(confusionMatrix(report))['text/html'] ?? mime(confusionMatrix(report))['image/svg+xml'];
    const m = report.confusion.matrix;
    for (const count of m.flat()) expect(html).toContain(`>${count}</text>`);
    expect(html.indexOf('>ants<')).toBeLessThan(html.indexOf('>bees<'));
    expect(html).toContain('stroke-width="2"');
    expectSnapshot('confusion-matrix.svg', html);
  });

  it('embeddingScatter projects features with PCA, coloured by class', () => {
    const bundle = mime(embeddingScatter(val, { method: 'pca' }));
    const html = bundle['text/html'];
    expect((html.match(/<circle/g) ?? []).length).toBe(153);
    expect(bundle['text/plain']).toMatch(/PCA of 153 feature vectors \(256-d\), 2 classes/);
    expectSnapshot('embedding-scatter.html', html);
    expect(() => embeddingScatter(val, { method: 'tsne' as 'pca' })).toThrow(/Unknown method 'tsne'/);
  });

  it('pca finds the direction of largest variance', () => {
    // Points on a line y = 2x plus a little orthogonal noise.
    const x = new Float32Array([0, 0, 1, 2, 2, 4.1, 3, 5.9, 4, 8]);
    const { components, explained } = pca(x, 2, 2);
    expect(Math.abs(components[0][1] / components[0][0] - 2)).toBeLessThan(0.05);
    expect(explained[0]).toBeGreaterThan(0.99);
  });

  it('benchmarkBars draws one bar per row with its value', () => {
    const rows = [
      { label: 'mobilenet_v1_0.25_224', value: 141.2, backend: 'wasm' },
      { label: 'mobilenet_v1_0.75_224', value: 31.6, backend: 'wasm' },
      { label: 'darknet_tiny', value: 27.05, backend: 'wasm' },
    ];
    const html = mime(benchmarkBars(rows, { group: 'backend', unit: 'images / s' }))['text/html'];
    expect((html.match(/<rect/g) ?? []).length).toBeGreaterThanOrEqual(3);
    for (const t of ['141', '31.6', '27.1']) expect(html).toContain(`>${t}</text>`);
    expectSnapshot('benchmark-bars.html', html);
    expect(() => benchmarkBars([{ name: 'x', ms: 3 }])).toThrow(/needs a string 'label' and a number 'value'/);
  });

  it('imageGrid shows the misclassified images as PNG thumbnails with captions', async () => {
    const grid = await imageGrid(report.misclassified.slice(0, 3), { size: 48, title: 'Wrong' });
    const bundle = mime(grid);
    const urls = bundle['text/html'].match(/data:image\/png;base64,[A-Za-z0-9+/=]+/g) ?? [];
    expect(urls).toHaveLength(3);
    const png = Buffer.from(urls[0]!.split(',')[1]!, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([48, 48]);
    const first = report.misclassified[0];
    expect(bundle['text/html']).toContain(`${first.label} → ${first.predicted}`);
    expect(bundle['text/plain']).toMatch(/^3 image\(s\): /);
    expectSnapshot('image-grid.html', bundle['text/html']);
  });
});
