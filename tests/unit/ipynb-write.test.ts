/**
 * `toIpynb` writes what Jupyter writes. The reference is nbformat itself:
 * fixtures written by nbformat come back byte-identical, Tailor's own files
 * survive nbformat's read-and-write unchanged, and nbformat's validator
 * accepts every file Tailor writes.
 */
import { describe, expect, it } from 'vitest';
import { clearOutput, displayData, executeResult, streamMessage } from '../../kernels/protocol/index.ts';
import {
  applyKernelMessage,
  createCell,
  createNotebook,
  insertCell,
  parseIpynb,
  setOutputs,
  splitLines,
  stringifyLikePython,
  toIpynb,
  type Cell,
  type Notebook,
  type Output,
} from '../../src/model/index.ts';
import { nbformatFixtures, nbformatRewrite, PNG_1PX, pythonJsonDumps, pythonSplitLines, validateIpynbs } from '../support/nbformat.ts';

const fixtures = nbformatFixtures();
const current = Object.entries(fixtures).filter(([name]) => !name.startsWith('v4.'));
const older = Object.entries(fixtures).filter(([name]) => name.startsWith('v4.'));

function open(text: string): Notebook {
  const result = parseIpynb(text);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.notebook;
}

/** Notebooks built with the model API, covering what the app and the kernel produce. */
function tailorNotebooks(): Record<string, Notebook> {
  const outputs = [
    streamMessage('stdout', 'epoch 1\r'),
    streamMessage('stdout', 'epoch 2\n'),
    streamMessage('stderr', 'careful\n'),
    displayData({ data: { 'image/svg+xml': '<svg>\n<g/>\n</svg>', 'text/plain': '<Figure>' }, metadata: {}, transient: { display_id: 'chart' } }),
    displayData({ data: { 'application/vnd.tailor.progress+json': { done: 1, total: 4 }, 'text/plain': '1/4' }, metadata: {}, transient: {} }),
    executeResult({ execution_count: 1, data: { 'text/plain': 'Tensor\n  [1, 2]', 'text/html': '<table>\n</table>' }, metadata: {} }),
    clearOutput(true),
  ].reduce<readonly Output[]>(applyKernelMessage, []);
  const code = createCell('code', 'const t = tf.tensor([1, 2]);\nt\n');
  const markdown: Cell = { ...createCell('markdown', '# 🧵 Tailor — 裁缝\n![x](attachment:x.png)'), attachments: { 'x.png': { 'image/png': PNG_1PX } } };
  let full = createNotebook([markdown, code, createCell('raw', 'raw\r\nwindows line'), createCell('code')]);
  full = setOutputs(full, code.id, outputs);
  return {
    empty: createNotebook(),
    full,
    'one-cell': insertCell(createNotebook(), 0, createCell('code', 'display(1)')),
    'foreign-metadata': { ...createNotebook([createCell('code', 'x')]), metadata: { ...createNotebook().metadata, '2': 1, '10': [0.5, 1e-7], 'é': { b: 1, A: 2 } } },
  };
}

describe('toIpynb', () => {
  it.each(current)('writes the nbformat fixture %s back byte for byte', (_, text) => {
    expect(toIpynb(open(text))).toBe(text);
  });

  it('writes what nbformat writes for older 4.x notebooks after nbformat.v4.upgrade (ids aside)', () => {
    const jupyter = nbformatRewrite(older.map(([, text]) => text), { upgrade: true });
    older.forEach(([, text], i) => {
      const ours = toIpynb(open(text));
      const withoutIds = (t: string) => t.replace(/^(\s*"id": )"[^"]*"/gm, '$1"-"');
      expect(withoutIds(ours)).toBe(withoutIds(jupyter[i]));
    });
  });

  it("writes Tailor's own notebooks as nbformat would: nbformat re-reads and re-writes them unchanged", () => {
    const texts = Object.values(tailorNotebooks()).map(toIpynb);
    expect(nbformatRewrite(texts)).toEqual(texts);
  });

  it('writes only files that pass the nbformat validator', () => {
    const texts = [...Object.values(tailorNotebooks()).map(toIpynb), ...Object.values(fixtures).map((t) => toIpynb(open(t)))];
    const errors = validateIpynbs(texts);
    expect(errors.filter((e) => e !== null)).toEqual([]);
    expect(errors).toHaveLength(texts.length);
  });

  it('uses 1-space indentation, sorted keys, line arrays and a trailing newline', () => {
    const nb = createNotebook([createCell('code', 'a\nb', 'x')]);
    expect(toIpynb(nb)).toBe(
      [
        '{',
        ' "cells": [',
        '  {',
        '   "cell_type": "code",',
        '   "execution_count": null,',
        '   "id": "x",',
        '   "metadata": {},',
        '   "outputs": [],',
        '   "source": [',
        '    "a\\n",',
        '    "b"',
        '   ]',
        '  }',
        ' ],',
        ' "metadata": {',
        '  "kernelspec": {',
        '   "display_name": "TypeScript (Tailor)",',
        '   "language": "typescript",',
        '   "name": "tailor"',
        '  },',
        '  "language_info": {',
        '   "codemirror_mode": "typescript",',
        '   "file_extension": ".ts",',
        '   "mimetype": "text/typescript",',
        '   "name": "typescript",',
        '   "pygments_lexer": "typescript"',
        '  }',
        ' },',
        ' "nbformat": 4,',
        ' "nbformat_minor": 5',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('leaves out in-memory state and the keys nbformat strips', () => {
    let nb = createNotebook([{ ...createCell('code', 'x', 'c'), metadata: { trusted: true, keep: 1 } }]);
    nb = { ...nb, metadata: { ...nb.metadata, orig_nbformat: 3, signature: 'sha256:x' } };
    nb = setOutputs(nb, 'c', [{ output_type: 'display_data', data: { 'text/plain': 'p' }, metadata: {}, transient: { display_id: 'd', clear_pending: true } }]);
    const json = JSON.parse(toIpynb(nb));
    expect(json.metadata).not.toHaveProperty('orig_nbformat');
    expect(json.metadata).not.toHaveProperty('signature');
    expect(json.cells[0].metadata).toEqual({ keep: 1 });
    expect(json.cells[0].outputs[0]).toEqual({ output_type: 'display_data', data: { 'text/plain': ['p'] }, metadata: {} });
  });
});

describe("Python's JSON and line splitting, matched exactly", () => {
  it('serializes like json.dumps(sort_keys=True, indent=1, ensure_ascii=False)', () => {
    const values = [
      { b: 1, a: 2, '10': 3, '2': 4, B: 5, _: 6, é: 7, 'ｘ': 8, '𝒳': 9, '': 10 },
      [0.1, 1e-7, 1.5e22, 123.456, -2.5, 0.0001, 1e-5, 3.14159, 1234567890123.25, 1e-320, 5e-324, 1.7976931348623157e308, 0, -1, 42, 9007199254740991],
      ['tab\t', 'quote"', 'back\\slash', 'nl\n', 'cr\r', 'ctrl\u0001\u001f', 'del\u007f', 'ümlaut', '😀', '\u2028\u2029', '</script>'],
      { nested: { deep: [[], {}, [null, true, false]] } },
      [],
      {},
      'just a string',
    ];
    expect(values.map((v) => stringifyLikePython(v))).toEqual(pythonJsonDumps(values));
  });

  it("splits lines like Python's str.splitlines(True)", () => {
    const texts = ['', 'a', 'a\n', 'a\nb', 'a\r\nb\rc', '\n\n', 'x\u2028y\u2029z', 'f\fv\vfs\x1cgs\x1drs\x1enel\x85end', '\r\n\r', 'no break at end'];
    expect(texts.map(splitLines)).toEqual(pythonSplitLines(texts));
    for (const text of texts) expect(splitLines(text).join('')).toBe(text);
  });
});
