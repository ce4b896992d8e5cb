/**
 * `confusionMatrix`: cells of true × predicted counts, darker for more,
 * the diagonal (correct) outlined, labels in class order.
 */
import * as Plot from '@observablehq/plot';
import type { EvaluationReport } from '../evaluation/evaluate.ts';
import { virtualDocument, withMime, type Chart } from './virtual-document.ts';

/** Options of `confusionMatrix`. */
export interface ConfusionMatrixOptions {
  title?: string;
  /** Side of one cell in pixels (default 60). */
  cellSize?: number;
  document?: Document;
}

/** Draws `report.confusion` (from `evaluate`). */
export function confusionMatrix(report: Pick<EvaluationReport, 'confusion' | 'accuracy'>, options: ConfusionMatrixOptions = {}): Chart {
  const { labels, matrix } = report.confusion;
  const cells = labels.flatMap((truth, t) => labels.map((predicted, p) => ({ truth, predicted, count: matrix[t][p], correct: t === p })));
  const cell = options.cellSize ?? 60;
  const max = Math.max(1, ...cells.map((c) => c.count));
  const longest = Math.max(...labels.map((l) => l.length));
  const marginLeft = Math.min(200, 20 + longest * 7);
  const figure = Plot.plot({
    document: options.document ?? virtualDocument(),
    title: options.title,
    width: marginLeft + 20 + labels.length * cell,
    height: 60 + labels.length * cell,
    marginLeft,
    marginTop: 40,
    marginBottom: 20,
    x: { domain: labels, label: 'predicted', axis: 'top', tickSize: 0 },
    y: { domain: labels, label: 'true', tickSize: 0 },
    color: { type: 'linear', scheme: 'blues', domain: [0, max] },
    marks: [
      Plot.cell(cells, { x: 'predicted', y: 'truth', fill: 'count', inset: 1 }),
      Plot.cell(cells.filter((c) => c.correct), { x: 'predicted', y: 'truth', stroke: '#111', strokeWidth: 2, fill: 'none', inset: 1 }),
      // Counts in bold on the diagonal; light text on dark cells.
      ...[true, false].map((correct) =>
        Plot.text(cells.filter((c) => c.correct === correct), {
          x: 'predicted',
          y: 'truth',
          text: 'count',
          fontSize: 14,
          fontWeight: correct ? 'bold' : 'normal',
          fill: (d: { count: number }) => (d.count > max / 2 ? 'white' : 'black'),
        }),
      ),
    ],
  });
  const text = labels.map((l, t) => `${l}: ${labels.map((p, j) => `${p}=${matrix[t][j]}`).join(' ')}`).join('; ');
  return withMime(figure, `Confusion matrix, accuracy ${report.accuracy.toFixed(4)} (true: predicted counts) ${text}`);
}
