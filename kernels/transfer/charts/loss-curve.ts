/**
 * `lossCurve`: training vs validation loss and accuracy per epoch, one panel
 * each, from `head.history` or a fine-tune's history (live via `onEpoch`).
 */
import * as Plot from '@observablehq/plot';
import type { EpochLog } from '../heads/head-types.ts';
import { virtualDocument, withMime, type Chart } from './virtual-document.ts';

/** Options of `lossCurve`. */
export interface LossCurveOptions {
  /** Which panels: 'both' (default), 'loss' or 'accuracy'. */
  metrics?: 'both' | 'loss' | 'accuracy';
  title?: string;
  width?: number;
  /** Document to draw into (default: a virtual one). */
  document?: Document;
}

/** Loss and accuracy curves, train vs validation; missing values (NaN) are skipped. */
export function lossCurve(history: readonly EpochLog[], options: LossCurveOptions = {}): Chart {
  const wanted = options.metrics ?? 'both';
  const rows: { epoch: number; metric: string; split: string; value: number }[] = [];
  for (const h of history) {
    const add = (metric: string, split: string, value: number | undefined) => {
      if (value !== undefined && Number.isFinite(value)) rows.push({ epoch: h.epoch, metric, split, value });
    };
    if (wanted !== 'accuracy') {
      add('loss', 'train', h.loss);
      add('loss', 'validation', h.valLoss);
    }
    if (wanted !== 'loss') {
      add('accuracy', 'train', h.accuracy);
      add('accuracy', 'validation', h.valAccuracy);
    }
  }
  const figure = Plot.plot({
    document: options.document ?? virtualDocument(),
    title: options.title,
    width: options.width ?? 640,
    height: wanted === 'both' ? 360 : 220,
    marginRight: 70,
    x: { label: 'epoch', tickFormat: 'd', ticks: Math.min(10, Math.max(1, history.length)) },
    y: { grid: true, label: null },
    fy: { label: null, domain: ['loss', 'accuracy'].filter((m) => wanted === 'both' || m === wanted) },
    color: { legend: true, domain: ['train', 'validation'], range: ['#4269d0', '#ff725c'] },
    facet: { data: rows, y: 'metric' },
    marks: [
      Plot.frame({ stroke: '#ddd' }),
      Plot.line(rows, { x: 'epoch', y: 'value', stroke: 'split', fy: 'metric', marker: history.length <= 30 ? 'circle' : undefined }),
    ],
  });
  const last = history.at(-1);
  const summary = last
    ? `${history.length} epochs; last: loss ${last.loss.toFixed(4)}` + (last.valLoss !== undefined ? `, val loss ${last.valLoss.toFixed(4)}, val accuracy ${last.valAccuracy?.toFixed(4)}` : '')
    : 'no epochs';
  return withMime(figure, `Loss curve (${summary})`);
}
