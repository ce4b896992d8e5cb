/**
 * `embeddingScatter`: feature vectors projected to 2-D (PCA), one dot per
 * image, coloured by class — do the classes separate?
 */
import * as Plot from '@observablehq/plot';
import type { FeatureSet } from '../types.ts';
import { pca } from './pca.ts';
import { virtualDocument, withMime, type Chart } from './virtual-document.ts';

/** Options of `embeddingScatter`. */
export interface EmbeddingScatterOptions {
  /** Projection: 'pca' (the only one for now; deterministic). */
  method?: 'pca';
  title?: string;
  width?: number;
  height?: number;
  document?: Document;
}

/** Scatter of a FeatureSet's rows on its first two principal components. */
export function embeddingScatter(features: FeatureSet, options: EmbeddingScatterOptions = {}): Chart {
  const method = options.method ?? 'pca';
  if (method !== 'pca') throw new RangeError(`Unknown method '${method}'; embeddingScatter supports 'pca'.`);
  const { points, explained } = pca(features.x, features.dim, 2);
  const rows = Array.from(features.labels, (label, i) => ({ pc1: points[2 * i], pc2: points[2 * i + 1], label: features.classes[label] }));
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const figure = Plot.plot({
    document: options.document ?? virtualDocument(),
    title: options.title,
    width: options.width ?? 520,
    height: options.height ?? 420,
    grid: true,
    x: { label: `PC 1 (${pct(explained[0])} of variance)` },
    y: { label: `PC 2 (${pct(explained[1] ?? 0)})` },
    color: { legend: true, domain: features.classes, type: 'categorical' },
    marks: [Plot.dot(rows, { x: 'pc1', y: 'pc2', stroke: 'label', r: 3 })],
  });
  return withMime(figure, `PCA of ${rows.length} feature vectors (${features.dim}-d), ${features.classes.length} classes; PC1 ${pct(explained[0])}, PC2 ${pct(explained[1] ?? 0)} of variance`);
}
