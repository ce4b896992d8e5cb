/**
 * `tailor export NOTEBOOK.ipynb --to html [--out FILE]`: writes the notebook
 * as one self-contained HTML page (see `src/export`). Exit codes: 0 written,
 * 2 bad arguments or a file that is not a notebook (nothing is written).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { exportHtml } from '../../src/export/index.ts';
import { parseIpynb } from '../../src/model/index.ts';

const EXIT = { ok: 0, badInput: 2 } as const;
const FORMATS = ['html'];

export const HELP = `usage: tailor export NOTEBOOK.ipynb --to html [--out FILE]

Writes the notebook as one self-contained HTML page: Markdown rendered, code
highlighted, the saved outputs (charts, images, tables, streams, errors)
included. The page needs no network and runs no script; notebook markup is
sanitised as untrusted. The notebook is not executed (run it first with
\`tailor run\` to export fresh outputs).

options:
  --to FORMAT     the output format; one of: ${FORMATS.join(', ')}
  --out FILE      where to write (default: NOTEBOOK.html next to the input;
                  '-' writes to standard output)
  --title TEXT    the page title (default: the notebook's file name)
  -h, --help      show this help

exit codes:
  0  written
  2  bad arguments or a file that is not a notebook (nothing is written)`;

interface ExportOptions {
  notebook: string;
  to: string;
  out: string;
  title?: string;
}

type Parsed = { ok: true; options: ExportOptions } | { ok: true; help: true } | { ok: false; error: string };

export function parseExportArgs(args: readonly string[]): Parsed {
  const positional: string[] = [];
  const values: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return { ok: true, help: true };
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--to' || flag === '--out' || flag === '--title') {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') return { ok: false, error: `${flag} needs a value` };
      values[flag.slice(2)] = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return { ok: false, error: `unknown option '${arg}'` };
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) {
    return { ok: false, error: positional.length ? `expected one notebook, got ${positional.length}: ${positional.join(' ')}` : 'which notebook? Give NOTEBOOK.ipynb' };
  }
  const to = values['to'];
  if (!to) return { ok: false, error: `--to is required (one of: ${FORMATS.join(', ')})` };
  if (!FORMATS.includes(to)) return { ok: false, error: `unknown format '${to}' for --to; expected one of: ${FORMATS.join(', ')}` };
  const notebook = positional[0];
  const out = values['out'] ?? join(dirname(notebook), `${basename(notebook, extname(notebook))}.html`);
  return { ok: true, options: { notebook, to, out, title: values['title'] } };
}

export async function main(args: string[]): Promise<number> {
  const parsed = parseExportArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`tailor export: ${parsed.error}\n\n${HELP}\n`);
    return EXIT.badInput;
  }
  if ('help' in parsed) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  const { notebook: path, out, title } = parsed.options;
  let text: string;
  try {
    text = await readFile(resolve(path), 'utf8');
  } catch (error) {
    process.stderr.write(`tailor export: cannot read ${path}: ${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  const result = parseIpynb(text);
  if (!result.ok) {
    process.stderr.write(`tailor export: ${path} is not a notebook Tailor can read; nothing was written.\n${result.errors.map((e) => `  ${e}`).join('\n')}\n`);
    return EXIT.badInput;
  }
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  const html = exportHtml(result.notebook, { title: title ?? basename(path, extname(path)) });
  if (out === '-') {
    process.stdout.write(html);
    return EXIT.ok;
  }
  // Write beside the target, then rename: a failure never leaves half a page.
  const target = resolve(out);
  const temporary = `${target}.tmp-${process.pid}`;
  try {
    await writeFile(temporary, html, 'utf8');
    await rename(temporary, target);
  } catch (error) {
    process.stderr.write(`tailor export: cannot write ${out}: ${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  process.stdout.write(`wrote ${out}\n`);
  return EXIT.ok;
}
