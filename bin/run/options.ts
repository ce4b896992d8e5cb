/**
 * `tailor run` arguments: parsing and the help text. Bad arguments are a
 * result (`{ok: false, error}`), never a throw, so the command exits 2 with
 * the message.
 */
import { basename, dirname, extname, join } from 'node:path';
import { parseThreshold } from './grade.ts';

export const EXIT = { ok: 0, cellFailed: 1, badInput: 2, timeout: 3, belowThreshold: 4 } as const;

export interface RunOptions {
  notebook: string;
  /** Where the executed notebook is written. */
  out: string;
  /** Seconds per cell before it is interrupted; undefined: no limit. */
  timeoutPerCell?: number;
  allowErrors: boolean;
  /** `--param name=value` in the order given. */
  params: { name: string; value: string }[];
  /** Answers ask.files / ask.webcam, and is the kernel's working directory. */
  files?: string;
  /** Score the notebook by its `check()` results (`--grade`). */
  grade: boolean;
  /** Fraction of checks that must pass under `--grade` (default 1: all). */
  passThreshold: number;
}

export const HELP = `usage: tailor run NOTEBOOK.ipynb [options]

Runs every code cell of the notebook in order in a fresh Node kernel (like
\`jupyter nbconvert --execute\` or papermill), writes the outputs into a copy of
the notebook and prints one line per cell (index, status, time) plus the
cell's stderr and errors.

options:
  --out FILE             write the executed notebook to FILE
                         (default: NOTEBOOK.out.ipynb next to the input)
  --inplace              overwrite NOTEBOOK itself instead
  --timeout-per-cell S   interrupt a cell still running after S seconds (exit 3)
  --allow-errors         keep going after a failing cell and exit 0; the errors
                         are saved in the notebook
  --param NAME=VALUE     override \`const NAME = …\` of the first cell tagged
                         "parameters" (papermill's convention: a cell tagged
                         "injected-parameters" is added after it). VALUE is read
                         as JSON when it parses (42, true, "text", [1, 2]),
                         otherwise as a string. Repeatable.
  --files DIR            answer the cells' ask.files with the files under DIR
                         and ask.webcam with DIR/<class>/ images; DIR is also
                         the working directory, so relative paths in cells
                         resolve there (default: the current one). Without it
                         ask.files and ask.webcam fail saying so
  --grade                grade the notebook by its exercise checks (check() from
                         'tailor'): runs every cell even after a failure, prints a
                         score table (cell, check, pass/FAIL/NOT RUN) and exits
                         by the score. A check named in a cell that failed or
                         never ran counts as failed
  --pass-threshold P     with --grade: the share of checks that must pass, as a
                         fraction (0.8) or a percentage (80%); default 1 (all)
  -h, --help             show this help

exit codes:
  0  every cell succeeded (or --allow-errors)
  1  a cell failed (the failing cell is named; the notebook is still written)
  2  bad input file or arguments (a malformed notebook: nothing is written)
  3  a cell timed out (--timeout-per-cell; the notebook is still written)

with --grade the score decides instead of cell failures and timeouts:
  0  the share of passed checks is at least the pass threshold
  2  bad input file or arguments
  4  below the pass threshold, or the notebook has no checks`;

export type ParsedArgs = { ok: true; options: RunOptions } | { ok: true; help: true } | { ok: false; error: string };

export function parseRunArgs(args: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  let out: string | undefined;
  let inplace = false;
  let timeoutPerCell: number | undefined;
  let allowErrors = false;
  let files: string | undefined;
  let grade = false;
  let passThreshold: number | undefined;
  const params: RunOptions['params'] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? (i + 1 < args.length ? args[++i] : undefined);
    switch (flag) {
      case '-h':
      case '--help':
        return { ok: true, help: true };
      case '--inplace':
        inplace = true;
        break;
      case '--allow-errors':
        allowErrors = true;
        break;
      case '--grade':
        grade = true;
        break;
      case '--pass-threshold': {
        const v = value();
        passThreshold = v === undefined ? undefined : parseThreshold(v);
        if (passThreshold === undefined) return { ok: false, error: `--pass-threshold needs a fraction 0–1 (0.8) or a percentage (80%), got ${JSON.stringify(v ?? '')}` };
        break;
      }
      case '--out': {
        out = value();
        if (!out) return { ok: false, error: '--out needs a file name' };
        break;
      }
      case '--files': {
        files = value();
        if (!files) return { ok: false, error: '--files needs a directory' };
        break;
      }
      case '--timeout-per-cell': {
        const v = value();
        const seconds = Number(v);
        if (!v || !Number.isFinite(seconds) || seconds <= 0) return { ok: false, error: `--timeout-per-cell needs a number of seconds > 0, got ${JSON.stringify(v ?? '')}` };
        timeoutPerCell = seconds;
        break;
      }
      case '--param': {
        const v = value();
        const m = v ? /^([A-Za-z_$][\w$]*)=(.*)$/s.exec(v) : null;
        if (!m) return { ok: false, error: `--param needs NAME=VALUE with NAME a JavaScript identifier, got ${JSON.stringify(v ?? '')}` };
        params.push({ name: m[1], value: m[2] });
        break;
      }
      default:
        if (arg.startsWith('-')) return { ok: false, error: `unknown option ${arg}` };
        positional.push(arg);
    }
  }
  if (positional.length !== 1) {
    return { ok: false, error: positional.length === 0 ? 'which notebook? give one NOTEBOOK.ipynb' : `one notebook at a time, got ${positional.join(', ')}` };
  }
  if (out && inplace) return { ok: false, error: '--out and --inplace cannot be used together' };
  if (passThreshold !== undefined && !grade) return { ok: false, error: '--pass-threshold only applies with --grade' };
  const notebook = positional[0];
  const target = inplace ? notebook : (out ?? join(dirname(notebook), `${basename(notebook, extname(notebook))}.out.ipynb`));
  return { ok: true, options: { notebook, out: target, timeoutPerCell, allowErrors, params, files, grade, passThreshold: passThreshold ?? 1 } };
}
