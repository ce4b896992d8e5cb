/**
 * `tailor run NOTEBOOK.ipynb`: executes a notebook headless and writes its
 * outputs (see `bin/run/options.ts` for the options and exit codes).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseIpynb, toIpynb } from '../../src/model/index.ts';
import { executeNotebook, type CellReport } from '../run/execute-notebook.ts';
import { formatGrade, gradeNotebook } from '../run/grade.ts';
import { EXIT, HELP, parseRunArgs } from '../run/options.ts';
import { injectParameters } from '../run/parameters.ts';

const indent = (text: string) => text.replace(/\n$/, '').replace(/^/gm, '    ');

function printCell(report: CellReport, total: number): void {
  const where = `cell ${String(report.index).padStart(String(total).length)}/${total}`;
  const time = report.status === 'skipped' ? '(empty)' : `${report.seconds.toFixed(2)}s`;
  process.stdout.write(`${where}  ${report.status.padEnd(7)} ${time}\n`);
  if (report.stderr) process.stderr.write(`${indent(report.stderr)}\n`);
  if (report.errors.length) process.stderr.write(`${indent(report.errors.join('\n'))}\n`);
}

export async function main(args: string[]): Promise<number> {
  const parsed = parseRunArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`tailor run: ${parsed.error}\n\n${HELP}\n`);
    return EXIT.badInput;
  }
  if ('help' in parsed) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  const options = parsed.options;
  const input = resolve(options.notebook);
  const out = resolve(options.out);
  let text: string;
  try {
    text = await readFile(input, 'utf8');
  } catch (error) {
    process.stderr.write(`tailor run: cannot read ${options.notebook}: ${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  const parsedNotebook = parseIpynb(text);
  if (!parsedNotebook.ok) {
    process.stderr.write(`tailor run: ${options.notebook} is not a notebook Tailor can run; nothing was written.\n${parsedNotebook.errors.map((e) => `  ${e}`).join('\n')}\n`);
    return EXIT.badInput;
  }
  for (const warning of parsedNotebook.warnings) process.stderr.write(`warning: ${warning}\n`);
  const injected = injectParameters(parsedNotebook.notebook, options.params);
  if (!injected.ok) {
    process.stderr.write(`tailor run: ${injected.error}\n`);
    return EXIT.badInput;
  }
  for (const warning of injected.warnings) process.stderr.write(`warning: ${warning}\n`);
  const startDir = process.cwd();
  if (options.files) {
    try {
      process.chdir(resolve(options.files));
    } catch (error) {
      process.stderr.write(`tailor run: --files ${options.files}: ${(error as Error).message}\n`);
      return EXIT.badInput;
    }
  }

  const { notebook, reports } = await executeNotebook(injected.notebook, {
    files: options.files === undefined ? undefined : resolve(startDir, options.files),
    timeoutPerCellMs: options.timeoutPerCell === undefined ? undefined : options.timeoutPerCell * 1000,
    // Grading runs every cell: a failed cell costs its own checks, not the rest.
    allowErrors: options.allowErrors || options.grade,
    onCell: printCell,
  });
  // Write next to the target, then rename: a crash never leaves half a notebook.
  const temporary = `${out}.tmp-${process.pid}`;
  await writeFile(temporary, toIpynb(notebook), 'utf8');
  await rename(temporary, out);
  process.stdout.write(`wrote ${options.out}\n`);

  if (options.grade) {
    const grade = gradeNotebook(notebook, options.passThreshold);
    process.stdout.write(`${formatGrade(grade, options.notebook)}\n`);
    return grade.ok ? EXIT.ok : EXIT.belowThreshold;
  }

  const timedOut = reports.find((r) => r.status === 'timeout');
  if (timedOut) {
    process.stderr.write(`tailor run: cell ${timedOut.index} (id ${timedOut.id}) timed out after ${options.timeoutPerCell} s\n`);
    return EXIT.timeout;
  }
  const failed = reports.filter((r) => r.status === 'error');
  if (failed.length && !options.allowErrors) {
    const f = failed[0];
    process.stderr.write(`tailor run: cell ${f.index} (id ${f.id}) failed: ${f.errors[0] ?? 'error'}\n`);
    return EXIT.cellFailed;
  }
  if (failed.length) process.stderr.write(`tailor run: ${failed.length} cell(s) failed (allowed by --allow-errors): ${failed.map((f) => f.index).join(', ')}\n`);
  return EXIT.ok;
}
