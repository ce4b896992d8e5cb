/**
 * Errors → Jupyter `error` content (`ename`, `evalue`, `traceback`), with
 * stack frames of cell code mapped to the cell's own lines
 * (`at f (Cell In[3], line 2:10)`) and the kernel's own frames dropped.
 */
import type { ContentMap } from '../protocol/index.ts';
import { FUNCTION_PREFIX } from './compile-cell.ts';
import { inspect } from './inspect.ts';
import { memoryAdvice } from './memory-errors.ts';

export type ErrorContent = ContentMap['error'];

/** Where a cell's code came from: its generated source name and its text. */
export interface CellSource {
  /** The `//# sourceURL` name of the compiled cell. */
  sourceName: string;
  /** The execution count, shown as `In[n]`. */
  count: number;
  /** The cell's TypeScript, for quoting the failing line. */
  code: string;
  /** Generated characters before the cell's first line. */
  columnOffset: number;
}

/** Library frames kept above the first cell frame (the cell's call into a library). */
const LIBRARY_FRAMES = 4;

/** The name an error is reported under: its `name`, or its class when that says more. */
function errorName(error: Error): string {
  const ctor = error.constructor?.name;
  if (error.name === 'Error' && ctor && ctor !== 'Error') return ctor;
  return error.name || ctor || 'Error';
}

/** Builds the error output of a thrown value; `cells` resolve frames of any earlier or current cell. */
export function errorContent(thrown: unknown, cells: (sourceName: string) => CellSource | undefined): ErrorContent {
  if (!(thrown instanceof Error)) {
    return { ename: 'Uncaught', evalue: inspect(thrown), traceback: [`Uncaught ${inspect(thrown)}`] };
  }
  const ename = errorName(thrown);
  // An allocation that cannot succeed says so and what to do, not only the engine's words.
  const advice = memoryAdvice(thrown);
  const evalue = advice ? `${thrown.message}. ${advice}` : thrown.message;
  const traceback = [`${ename}: ${evalue}`, ...frames(thrown.stack ?? '', cells)];
  let cause = (thrown as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 3; depth++) {
    traceback.push(
      cause instanceof Error ? `Caused by ${errorName(cause)}: ${cause.message}` : `Caused by ${inspect(cause)}`,
      ...(cause instanceof Error ? frames(cause.stack ?? '', cells) : []),
    );
    cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
  }
  return { ename, evalue, traceback };
}

/** A syntax error found while compiling a cell: the message, the line and a caret under the column. */
export function syntaxErrorContent(error: SyntaxError & { loc?: { line: number; column: number } }, cell: Pick<CellSource, 'count' | 'code'>): ErrorContent {
  const traceback = [`SyntaxError: ${error.message}`];
  if (error.loc) {
    const { line, column } = error.loc;
    const text = cell.code.split('\n')[line - 1] ?? '';
    traceback.push(`  Cell In[${cell.count}], line ${line}:${column + 1}`, `    ${text}`, `    ${' '.repeat(column)}^`);
  }
  return { ename: 'SyntaxError', evalue: error.message, traceback };
}

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

function frames(stack: string, cells: (sourceName: string) => CellSource | undefined): string[] {
  const lines = stack.split('\n').filter((l) => /^\s*at /.test(l));
  const parsed = lines.map((line) => {
    const m = FRAME.exec(line);
    const cell = m ? cells(m[2]) : undefined;
    return { line, m, cell };
  });
  const firstCell = parsed.findIndex((f) => f.cell);
  if (firstCell < 0) return lines.slice(0, LIBRARY_FRAMES).map((l) => '    ' + l.trim());
  const lastCell = parsed.length - 1 - [...parsed].reverse().findIndex((f) => f.cell);
  const out: string[] = [];
  for (const [i, f] of parsed.entries()) {
    if (i > lastCell) break; // below the outermost cell frame: the kernel itself
    if (!f.cell) {
      if (i >= firstCell - LIBRARY_FRAMES) out.push('    ' + f.line.trim());
      continue;
    }
    const lineNo = Number(f.m![3]);
    const column = lineNo === 1 ? Math.max(1, Number(f.m![4]) - f.cell.columnOffset) : Number(f.m![4]);
    // V8 names arrows in eval'd code `eval` (`Timeout.eval [as _onTimeout]`): show those as anonymous.
    const fn = (f.m![1] ?? '').replace(/^async /, '').replace(FUNCTION_PREFIX, '').replace(/ \[as [^\]]+\]$/, '').replace(/^(?:.*\.)?eval$/, '');
    const where = `Cell In[${f.cell.count}], line ${lineNo}:${column}`;
    // The cell body itself is the `__tailor_cell` wrapper (shown as `Object.__tailor_cell [as run]`).
    const named = fn && !fn.includes('__tailor_cell') && fn !== '<anonymous>';
    out.push(named ? `    at ${fn} (${where})` : `    at ${where}`);
    const text = f.cell.code.split('\n')[lineNo - 1];
    if (text !== undefined && text.trim()) out.push(`      ${text.trim()}`);
  }
  return out;
}
