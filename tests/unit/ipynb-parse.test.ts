/**
 * `parseIpynb`: nbformat-written fixtures open into exactly what nbformat's
 * own reader holds in memory (nothing lost, unknown metadata and MIME types
 * kept); older 4.x files gain ids; bad files give errors that say what was
 * found and where; fixable problems give warnings; nothing ever throws.
 * Every notebook shipped in `notebooks/` is checked too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELL_ID_PATTERN, parseIpynb, toIpynb, withoutTransient, type Notebook } from '../../src/model/index.ts';
import { nbformatFixtures, nbformatRead, validateIpynbs } from '../support/nbformat.ts';

const fixtures = nbformatFixtures();
const names = Object.keys(fixtures);
const jupyterView = nbformatRead(Object.values(fixtures)) as { cells: { id?: string }[] }[];

function open(text: string): { notebook: Notebook; warnings: readonly string[] } {
  const result = parseIpynb(text);
  if (!result.ok) throw new Error(`expected the notebook to open:\n${result.errors.join('\n')}`);
  return result;
}
function errorsOf(text: string): string {
  const result = parseIpynb(text);
  if (result.ok) throw new Error('expected the notebook to be refused');
  return result.errors.join('\n');
}
/** The minimal valid 4.5 notebook with the given cells, as text. */
const nb45 = (cells: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells, ...extra });
const code = (extra: Record<string, unknown> = {}) => ({ id: 'c', cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null, ...extra });

describe('nbformat fixtures open without loss', () => {
  it.each(names.filter((n) => !n.startsWith('v4.')))('%s holds what nbformat.reads holds', (name) => {
    const { notebook, warnings } = open(fixtures[name]);
    expect(notebook).toEqual(jupyterView[names.indexOf(name)]);
    if (name !== 'metadata') expect(warnings).toEqual([]);
  });

  it.each(names.filter((n) => n.startsWith('v4.')))('%s is upgraded to 4.5 with fresh unique ids', (name) => {
    const { notebook, warnings } = open(fixtures[name]);
    expect(warnings).toEqual([]);
    expect(notebook.nbformat_minor).toBe(5);
    const ids = notebook.cells.map((c) => c.id);
    for (const id of ids) expect(id).toMatch(CELL_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    const expected = jupyterView[names.indexOf(name)] as unknown as Notebook;
    const strip = (nb: Notebook) => ({ ...nb, nbformat_minor: 5, cells: nb.cells.map(({ id: _id, ...rest }) => rest) });
    expect(strip(notebook)).toEqual(strip(expected));
  });

  it('keeps unknown metadata and unknown MIME types as they are, and JSON MIME values unjoined', () => {
    const { notebook } = open(fixtures.metadata);
    expect(notebook.metadata.custom).toMatchObject({ '10': 'ten', '2': 'two', floats: expect.arrayContaining([1e-7, 1.5e22]) });
    expect(notebook.metadata.widgets).toEqual({ 'application/vnd.jupyter.widget-state+json': { state: {}, version_major: 2 } });
    const outputs = open(fixtures.outputs).notebook.cells[0];
    if (outputs.cell_type !== 'code') throw new Error('expected a code cell');
    const display = outputs.outputs[2];
    if (display.output_type !== 'display_data') throw new Error('expected display_data');
    expect(display.data['application/x-unknown']).toBe('opaque\nvalue');
    expect(display.data['application/vnd.custom+json']).toEqual(['kept\n', 'as a list']);
    expect(display.data['application/json']).toEqual({ a: [1, 2.5, null, true], lines: ['x\n', 'y'] });
  });

  it('joins multi-line arrays of sources, stream text and text MIME data; accepts a byte-order mark', () => {
    const text = nb45([
      code({
        source: ['a\n', 'b'],
        outputs: [
          { output_type: 'stream', name: 'stdout', text: ['x\n', 'y'] },
          { output_type: 'display_data', data: { 'text/plain': ['p\n', 'q'], 'image/png': ['iVBO\n', 'Rw=='] }, metadata: {} },
        ],
      }),
    ]);
    const { notebook } = open(`\uFEFF${text}`);
    expect(notebook.cells[0]).toMatchObject({
      source: 'a\nb',
      outputs: [
        { text: 'x\ny' },
        { data: { 'text/plain': 'p\nq', 'image/png': 'iVBO\nRw==' } },
      ],
    });
  });
});

describe('files that are not nbformat 4 are refused with what was found', () => {
  const REFUSED: [string, string, RegExp][] = [
    ['an empty file', '  \n', /The file is empty/],
    ['JSON cut short', '{"cells": [', /not valid JSON: .* at line 1, column 12/],
    ['a trailing comma', '{\n "nbformat": 4,\n "cells": [],\n}', /not valid JSON: expected a double-quoted property name, found "}" at line 4, column 1/],
    ['a missing value', '{\n  "a": \n}', /not valid JSON: unexpected "}" at line 3, column 1/],
    ['a raw newline in a string', '{"a": "x\ny"}', /control character .* at line 1, column 9/],
    ['text after the JSON', '{"a": 1} x', /after the end of the JSON value at line 1, column 10/],
    ['a JSON array', '[1, 2]', /This is not a Jupyter notebook: the file holds an array/],
    ['a JSON string', '"notebook"', /the file holds a string/],
    ['an object without nbformat', '{"name": "x", "version": 1}', /not a Jupyter notebook: it is a JSON object with keys "name", "version", but no "nbformat"/],
    ['nbformat 3', JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }), /^This is nbformat 3; open and re-save it in Jupyter to convert it to version 4/],
    ['nbformat 3 without a version', JSON.stringify({ metadata: {}, worksheets: [] }), /nbformat 3 .*worksheets.*re-save it in Jupyter/],
    ['nbformat 2', JSON.stringify({ nbformat: 2, worksheets: [] }), /This is nbformat 2; open and re-save/],
    ['nbformat 5', JSON.stringify({ nbformat: 5, nbformat_minor: 0, metadata: {}, cells: [] }), /nbformat 5, newer than Tailor understands/],
    ['a version that is a string', JSON.stringify({ nbformat: '4', cells: [] }), /"nbformat" must be an integer version, got "4"/],
    ['a bad minor version', JSON.stringify({ nbformat: 4, nbformat_minor: -1, metadata: {}, cells: [] }), /"nbformat_minor" must be a non-negative integer, got -1/],
    ['no cells', JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {} }), /no "cells" list/],
    ['cells that are not a list', nb45([], { cells: {} }), /"cells" must be an array, got an object/],
    ['metadata that is a list', nb45([], { metadata: [] }), /"metadata" must be an object, got an array/],
    ['a cell that is a string', nb45(['x']), /cells\[0\] must be an object, got a string/],
    ['an unknown cell type', nb45([code(), { ...code({ id: 'h' }), cell_type: 'heading' }]), /cells\[1\]: unknown cell_type "heading" \(heading cells are nbformat 3/],
    ['a made-up cell type', nb45([{ ...code(), cell_type: 'sql' }]), /cells\[0\]: unknown cell_type "sql"; expected "code", "markdown" or "raw"/],
    ['a source that is a number', nb45([code(), code({ id: 'd', source: 42 })]), /cells\[1\]\.source must be a string or an array of strings, got a number/],
    ['a source array holding a number', nb45([code({ source: ['a', 1] })]), /cells\[0\]\.source must be a string or an array of strings, got an array/],
    ['cell metadata that is a string', nb45([code({ metadata: 'x' })]), /cells\[0\]\.metadata must be an object, got a string/],
    ['outputs that are an object', nb45([code({ outputs: {} })]), /cells\[0\]\.outputs must be an array/],
    ['an execution count that is a string', nb45([code({ execution_count: '1' })]), /cells\[0\]\.execution_count must be a non-negative integer or null, got "1"/],
    ['an nbformat 3 output', nb45([code({ outputs: [{ output_type: 'pyout' }] })]), /cells\[0\]\.outputs\[0\]: unknown output_type "pyout" \(an nbformat 3 output/],
    ['a stream without text', nb45([code({ outputs: [{ output_type: 'stream', name: 'stdout' }] })]), /cells\[0\]\.outputs\[0\]\.text must be a string or an array of strings, got nothing/],
    ['display data without data', nb45([code({ outputs: [{ output_type: 'display_data', metadata: {} }] })]), /cells\[0\]\.outputs\[0\]\.data must be an object \(a MIME bundle\), got nothing/],
    ['an error without a traceback list', nb45([code({ outputs: [{ output_type: 'error', ename: 'E', evalue: 'v', traceback: 'x' }] })]), /cells\[0\]\.outputs\[0\]\.traceback must be an array of strings, got a string/],
    ['attachments that are a list', nb45([{ id: 'm', cell_type: 'markdown', source: '', metadata: {}, attachments: [] }]), /cells\[0\]\.attachments must be an object of MIME bundles, got an array/],
  ];
  it.each(REFUSED)('%s', (_, text, message) => {
    expect(errorsOf(text)).toMatch(message);
  });
});

describe('fixable problems open with a warning', () => {
  const WARNED: [string, string, RegExp, (nb: Notebook) => void][] = [
    [
      'duplicate cell ids',
      nb45([code({ id: 'same' }), code({ id: 'same', source: 'second' }), code({ id: 'other' })]),
      /cells\[1\]\.id "same" is used by an earlier cell too; gave this cell the id /,
      (nb) => {
        expect(nb.cells[0].id).toBe('same');
        expect(nb.cells[1].id).toMatch(CELL_ID_PATTERN);
        expect(new Set(nb.cells.map((c) => c.id)).size).toBe(3);
      },
    ],
    ['an invalid cell id', nb45([code({ id: 'has space' })]), /cells\[0\]\.id "has space" is not a valid cell id/, (nb) => expect(nb.cells[0].id).toMatch(CELL_ID_PATTERN)],
    ['a 4.5 cell without an id', nb45([code({ id: undefined })]), /cells\[0\] has no "id" \(nbformat 4.5 requires one\)/, (nb) => expect(nb.cells[0].id).toMatch(CELL_ID_PATTERN)],
    [
      'a Python notebook',
      nb45([], { metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } } }),
      /written for python \(kernel "Python 3"\); Tailor runs TypeScript/,
      (nb) => expect(nb.metadata.kernelspec?.name).toBe('python3'),
    ],
    [
      'a language named only in language_info',
      nb45([], { metadata: { language_info: { name: 'R' } } }),
      /written for r; Tailor runs TypeScript/,
      () => {},
    ],
    [
      'a saved transient display id',
      nb45([code({ outputs: [{ output_type: 'display_data', data: {}, metadata: {}, transient: { display_id: 'x' } }] })]),
      /cells\[0\]\.outputs\[0\] has a "transient" key.*dropped it/,
      (nb) => expect(nb.cells[0]).toMatchObject({ outputs: [{ output_type: 'display_data', data: {}, metadata: {} }] }),
    ],
    [
      'unknown keys on a cell',
      nb45([code({ extra: { a: 1 } })]),
      /cells\[0\] has keys nbformat does not define \(extra\); they are kept/,
      (nb) => expect(toIpynb(nb)).toContain('"extra": {'),
    ],
    ['a newer minor version', nb45([], { nbformat_minor: 9 }), /nbformat 4\.9, newer than 4\.5/, (nb) => expect(nb.nbformat_minor).toBe(5)],
    ['a missing cell metadata', nb45([code({ metadata: undefined })]), /cells\[0\] has no "metadata"/, (nb) => expect(nb.cells[0].metadata).toEqual({})],
    [
      'a code cell without outputs and count',
      nb45([code({ outputs: undefined, execution_count: undefined })]),
      /cells\[0\] is a code cell without "outputs"/,
      (nb) => expect(nb.cells[0]).toMatchObject({ outputs: [], execution_count: null }),
    ],
  ];
  it.each(WARNED)('%s', (_, text, warning, check) => {
    const { notebook, warnings } = open(text);
    expect(warnings.join('\n')).toMatch(warning);
    check(notebook);
  });

  it('a TypeScript notebook, or one that names no language, opens without warnings', () => {
    expect(open(nb45([], { metadata: { kernelspec: { name: 'deno', display_name: 'Deno', language: 'typescript' } } })).warnings).toEqual([]);
    expect(open(nb45([code()])).warnings).toEqual([]);
  });

  it('writes repaired notebooks that nbformat accepts', () => {
    const repaired = WARNED.filter(([name]) => name !== 'unknown keys on a cell').map(([, text]) => toIpynb(open(text).notebook));
    expect(validateIpynbs(repaired).filter((e) => e !== null)).toEqual([]);
  });
});

describe('never throws on user input', () => {
  it('returns a result for every prefix and every byte-flip of a real notebook', () => {
    const text = fixtures.outputs;
    let refused = 0;
    for (let end = 0; end < text.length; end += 7) {
      const result = parseIpynb(text.slice(0, end));
      if (!result.ok) refused++;
    }
    const junk = ['null', '1', 'true', '{}', '{"nbformat": 4}', '{"nbformat": 4, "cells": [null]}', '{"nbformat":4,"cells":[{"cell_type":"code","outputs":[null,1,"x"]}]}'];
    for (const t of junk) expect(() => parseIpynb(t)).not.toThrow();
    for (let i = 0; i < text.length; i += 13) {
      const flipped = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 0x20) + text.slice(i + 1);
      expect(() => parseIpynb(flipped)).not.toThrow();
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('keeps in-memory transient state out of what it hands back', () => {
    const { notebook } = open(fixtures.outputs);
    const cell = notebook.cells[0];
    if (cell.cell_type !== 'code') throw new Error('expected code');
    for (const output of cell.outputs) expect(withoutTransient(output)).toBe(output);
  });
});

describe('the guided notebooks in notebooks/', () => {
  const dir = resolve(import.meta.dirname, '../../notebooks');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();

  it('open cleanly, pass nbformat, are saved as toIpynb saves them, and carry no outputs', () => {
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
    const problems: string[] = [];
    const verdicts = validateIpynbs(texts);
    texts.forEach((text, i) => {
      const file = `notebooks/${files[i]}`;
      if (verdicts[i]) problems.push(`${file}: nbformat says ${verdicts[i]}`);
      const result = parseIpynb(text);
      if (!result.ok) return void problems.push(`${file}: ${result.errors.join('; ')}`);
      if (result.warnings.length > 0) problems.push(`${file}: ${result.warnings.join('; ')}`);
      if (toIpynb(result.notebook) !== text) problems.push(`${file}: not in Jupyter's layout; re-save it with toIpynb`);
      result.notebook.cells.forEach((cell, c) => {
        if (cell.cell_type === 'code' && (cell.outputs.length > 0 || cell.execution_count !== null)) {
          problems.push(`${file}: cells[${c}] has outputs or a count; guided notebooks are saved with outputs stripped`);
        }
      });
    });
    expect(problems).toEqual([]);
    expect(verdicts).toHaveLength(files.length);
  });
});
