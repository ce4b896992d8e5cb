/**
 * `tailor run --grade`: scores an executed notebook by the exercise checks
 * its cells recorded (`check()` from `tailor` writes a display output of
 * MIME type `application/vnd.tailor.check+json`). Checks named in a cell's
 * source (`check('name', …)` with a literal name) that never ran — the
 * cell failed earlier, or the run stopped — count as failed, so breaking a
 * notebook never raises its score.
 */
import { MIME } from '../../kernels/protocol/index.ts';
import type { Notebook } from '../../src/model/index.ts';

export type CheckStatus = 'pass' | 'fail' | 'not run';

/** One row of the score table. */
export interface GradeRow {
  /** 1-based cell position. */
  cell: number;
  name: string;
  status: CheckStatus;
  /** The check's hint, or why it did not run. */
  note?: string;
}

export interface Grade {
  rows: GradeRow[];
  passed: number;
  total: number;
  /** passed / total, 0 when there are no checks. */
  score: number;
  threshold: number;
  /** True when there are checks and score ≥ threshold. */
  ok: boolean;
}

interface RecordedCheck {
  name: string;
  passed: boolean;
  hint?: string;
}

function isRecordedCheck(value: unknown): value is RecordedCheck {
  const v = value as RecordedCheck | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.passed === 'boolean';
}

/** Literal names of the `check('name', …)` calls in a cell's source. */
export function checkNamesIn(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/\bcheck\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1\s*,/g)) {
    if (m[1] === '`' && m[2].includes('${')) continue;
    names.push(m[2].replace(/\\(.)/g, '$1'));
  }
  return names;
}

/** Collects the recorded checks of every cell, plus the named checks that never ran. */
export function gradeNotebook(notebook: Notebook, threshold: number): Grade {
  const rows: GradeRow[] = [];
  const recordedNames = new Set<string>();
  notebook.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    for (const output of cell.outputs) {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') continue;
      const record = output.data[MIME.check];
      if (!isRecordedCheck(record)) continue;
      recordedNames.add(record.name);
      rows.push({ cell: i + 1, name: record.name, status: record.passed ? 'pass' : 'fail', ...(record.passed ? {} : { note: record.hint }) });
    }
  });
  notebook.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    const failed = cell.outputs.some((o) => o.output_type === 'error');
    for (const name of new Set(checkNamesIn(cell.source))) {
      // A check may be defined in one cell and run from another: only a name that ran nowhere is missing.
      if (recordedNames.has(name)) continue;
      rows.push({ cell: i + 1, name, status: 'not run', note: failed ? 'the cell failed before this check' : 'the check did not run' });
    }
  });
  rows.sort((a, b) => a.cell - b.cell);
  const passed = rows.filter((r) => r.status === 'pass').length;
  const total = rows.length;
  const score = total ? passed / total : 0;
  // The epsilon absorbs rounding: 7 of 10 checks meet a threshold of 0.7.
  return { rows, passed, total, score, threshold, ok: total > 0 && score >= threshold - 1e-12 };
}

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** The score table as printed by `tailor run --grade`. */
export function formatGrade(grade: Grade, notebookName: string): string {
  const lines = [`grade: ${notebookName}`];
  if (grade.total === 0) {
    lines.push('no checks found: this notebook records no check() results and names none, so there is nothing to grade.');
    return lines.join('\n');
  }
  const nameWidth = Math.max(5, ...grade.rows.map((r) => r.name.length));
  const cellWidth = Math.max(4, ...grade.rows.map((r) => String(r.cell).length));
  lines.push(`${'cell'.padStart(cellWidth)}  ${'check'.padEnd(nameWidth)}  result`);
  for (const r of grade.rows) {
    const result = r.status === 'pass' ? 'pass' : r.status === 'fail' ? 'FAIL' : 'NOT RUN';
    lines.push(`${String(r.cell).padStart(cellWidth)}  ${r.name.padEnd(nameWidth)}  ${result}${r.note ? `  (${r.note})` : ''}`);
  }
  const verdict = grade.ok ? 'passed' : 'below the pass threshold';
  lines.push(`score: ${grade.passed}/${grade.total} checks = ${percent(grade.score)} (pass threshold ${percent(grade.threshold)}): ${verdict}`);
  return lines.join('\n');
}

/** Reads `--pass-threshold`: a fraction 0–1 (`0.8`) or a percentage (`80%`). */
export function parseThreshold(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) / (m[2] ? 100 : 1);
  return value >= 0 && value <= 1 ? value : undefined;
}
