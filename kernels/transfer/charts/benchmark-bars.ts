/**
 * `benchmarkBars`: horizontal bars of one measured figure per row (e.g.
 * images per second per backbone and backend), optionally grouped by colour.
 */
import * as Plot from '@observablehq/plot';
import { virtualDocument, withMime, type Chart } from './virtual-document.ts';

/** Options of `benchmarkBars`; field names default to `label`, `value`, no group. */
export interface BenchmarkBarsOptions {
  /** Field naming each bar (default 'label'). */
  label?: string;
  /** Numeric field to draw (default 'value'). */
  value?: string;
  /** Field colouring bars, e.g. 'backend' (optional). */
  group?: string;
  /** Axis label for the value, e.g. 'images / s'. */
  unit?: string;
  title?: string;
  width?: number;
  document?: Document;
}

/** One bar per row, its value written at the end; rows keep their order. */
export function benchmarkBars(results: readonly Record<string, unknown>[], options: BenchmarkBarsOptions = {}): Chart {
  const label = options.label ?? 'label';
  const value = options.value ?? 'value';
  const bad = results.find((r) => typeof r[value] !== 'number' || typeof r[label] !== 'string');
  if (bad) throw new TypeError(`benchmarkBars needs a string '${label}' and a number '${value}' in every row; got ${JSON.stringify(bad)}. Name other fields with {label, value}.`);
  const names = results.map((r) => r[label] as string);
  const figure = Plot.plot({
    document: options.document ?? virtualDocument(),
    title: options.title,
    width: options.width ?? 640,
    height: 40 + 28 * results.length,
    marginLeft: Math.min(240, 20 + Math.max(...names.map((n) => n.length)) * 6.5),
    marginRight: 60,
    x: { label: options.unit ?? value, grid: true },
    y: { domain: names, label: null },
    color: options.group ? { legend: true, type: 'categorical' } : undefined,
    marks: [
      Plot.barX(results, { x: value, y: label, fill: options.group ?? '#4269d0' }),
      Plot.text(results, { x: value, y: label, text: (d: Record<string, unknown>) => formatNumber(d[value] as number), textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  });
  return withMime(figure, `Benchmark: ${results.map((r) => `${r[label]} ${formatNumber(r[value] as number)}`).join(', ')}${options.unit ? ` (${options.unit})` : ''}`);
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}
