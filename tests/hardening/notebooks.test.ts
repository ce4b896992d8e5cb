/**
 * Hardening — notebooks: mangled, foreign and oversized `.ipynb` files
 * through the real reader (`parseIpynb`, which the page and `tailor run`
 * both use) and the real `tailor run` for the CLI's answer (exit 2, nothing
 * written). Each case asserts the message the learner reads. Repaired
 * notebooks are checked with nbformat's own validator. The in-page cases
 * (10,000 cells open and scroll, untrusted HTML/SVG sanitised) are in
 * page.test.ts. docs/robustness.md lists the same cases.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpynb, toIpynb } from '../../src/model/index.ts';
import { validateIpynb } from '../support/nbformat.ts';
import { runTailor } from '../unit/run-tailor.ts';

const code = (id: string, source: unknown, extra: Record<string, unknown> = {}) => ({ id, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null, ...extra });
const notebook = (cells: unknown[], metadata: Record<string, unknown> = {}) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata, cells });

interface RefusedCase {
  name: string;
  text: string;
  /** The whole error the learner reads (page notice, `tailor run` stderr). */
  sees: string;
}

const refused: RefusedCase[] = [
  {
    name: 'invalid JSON (cut short): line and column',
    text: '{"nbformat": 4, "cells": [',
    sees: 'The file is not valid JSON: unexpected end of the file at line 1, column 27. Was it cut short or edited by hand?',
  },
  {
    name: 'invalid JSON (a merge conflict left in)',
    text: '{\n<<<<<<< HEAD\n  "cells": []\n=======\n  "cells": [1]\n>>>>>>> theirs\n}',
    sees: 'The file is not valid JSON: expected a double-quoted property name, found "<" at line 2, column 1. Was it cut short or edited by hand?',
  },
  {
    name: 'nbformat 3',
    text: JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [] }] }),
    sees: 'This is nbformat 3; open and re-save it in Jupyter to convert it to version 4. Tailor opens nbformat 4.0 to 4.5.',
  },
  {
    name: 'missing "cells"',
    text: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {} }),
    sees: 'The notebook has no "cells" list. Is this a Jupyter notebook?',
  },
  {
    name: 'a cell whose source is a number',
    text: notebook([code('a', 42)]),
    sees: 'cells[0].source must be a string or an array of strings, got a number.',
  },
  {
    name: 'a cell whose source array holds a number',
    text: notebook([code('a', ['let x = 1;\n', 2])]),
    sees: 'cells[0].source must be a string or an array of strings, got an array whose item 1 is a number.',
  },
  {
    name: 'unknown cell type',
    text: notebook([{ id: 'w', cell_type: 'widget', source: 'hi', metadata: {} }]),
    sees: 'cells[0]: unknown cell_type "widget"; expected "code", "markdown" or "raw".',
  },
];

interface OpenedCase {
  name: string;
  text: () => string;
  /** The warnings shown above the notebook (exactly). */
  warns: (string | RegExp)[];
  check?(cells: readonly { id: string; source: string }[]): void;
}

const opened: OpenedCase[] = [
  {
    name: 'duplicate cell ids: the later cell gets a new id, both kept',
    text: () => notebook([code('same', 'const a = 1;'), code('same', 'const b = 2;')]),
    warns: [/^cells\[1\]\.id "same" is used by an earlier cell too; gave this cell the id [\w-]+\.$/],
    check: (cells) => {
      expect(cells.map((c) => c.source)).toEqual(['const a = 1;', 'const b = 2;']);
      expect(cells[0].id).toBe('same');
      expect(cells[1].id).not.toBe('same');
    },
  },
  {
    name: 'a notebook that claims another kernel language: opens, says its code may not run',
    text: () => notebook([code('p', 'print("hello")')], { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } }),
    warns: ['This notebook was written for python (kernel "Python 3"); Tailor runs TypeScript, so its code cells may not run as they are.'],
  },
  {
    name: '50 MB of outputs: opens whole, every output kept',
    text: () => {
      const megabyte = `${'x'.repeat(1023)}\n`.repeat(1024);
      return notebook([code('big', 'print()', { outputs: Array.from({ length: 50 }, () => ({ output_type: 'stream', name: 'stdout', text: megabyte })) })]);
    },
    warns: [],
  },
  {
    name: 'a 10,000-cell notebook: opens whole, in order',
    text: () => notebook(Array.from({ length: 10_000 }, (_, i) => code(`c${i}`, `const v${i} = ${i};`))),
    warns: [],
    check: (cells) => {
      expect(cells).toHaveLength(10_000);
      expect(cells[9999].source).toBe('const v9999 = 9999;');
    },
  },
];

describe('hardening: notebooks', () => {
  for (const c of refused) {
    it(`refused with what was wrong — ${c.name}`, () => {
      const result = parseIpynb(c.text);
      expect(result).toEqual({ ok: false, errors: [c.sees] });
    });
  }

  for (const c of opened) {
    it(`opened — ${c.name}`, () => {
      const text = c.text();
      const started = performance.now();
      const result = parseIpynb(text);
      const ms = performance.now() - started;
      if (!result.ok) throw new Error(result.errors.join('\n'));
      if (text.length > 1e6) console.log(`${c.name}: ${(text.length / 2 ** 20).toFixed(1)} MB parsed in ${ms.toFixed(0)} ms`);
      expect(result.warnings).toEqual(c.warns.map((w) => (typeof w === 'string' ? w : expect.stringMatching(w))));
      c.check?.(result.notebook.cells);
      // What Tailor saves from it is a valid notebook.
      if (text.length < 1e6) expect(validateIpynb(toIpynb(result.notebook))).toBeNull();
    });
  }

  it('tailor run refuses a broken notebook: exit 2, the reason on stderr, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailor-hardening-nb-'));
    writeFileSync(join(dir, 'old.ipynb'), refused.find((c) => c.name === 'nbformat 3')!.text);
    const r = await runTailor(['run', join(dir, 'old.ipynb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a notebook Tailor can run; nothing was written.');
    expect(r.stderr).toContain('This is nbformat 3; open and re-save it in Jupyter');
    expect(existsSync(join(dir, 'old.out.ipynb'))).toBe(false);
  });

  it('tailor run names a missing file: exit 2', async () => {
    const r = await runTailor(['run', join(tmpdir(), 'no-such-notebook.ipynb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tailor run: cannot read .*no-such-notebook\.ipynb: ENOENT/);
  });
});
