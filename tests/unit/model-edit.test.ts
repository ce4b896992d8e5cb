/**
 * The document model's pure edits: each case checks the result, that the
 * input (deep-frozen) is untouched, and that programmer mistakes throw a
 * RangeError naming the bad index or id.
 */
import { describe, expect, it } from 'vitest';
import {
  CELL_ID_PATTERN,
  TAILOR_KERNELSPEC,
  cellIndex,
  changeCellType,
  clearOutputs,
  createCell,
  createNotebook,
  deleteCell,
  editSource,
  getCell,
  insertCell,
  isValidCellId,
  mergeCells,
  moveCell,
  newCellId,
  setCellMetadata,
  setExecutionCount,
  setOutputs,
  splitCell,
  toIpynb,
  type Cell,
  type Notebook,
  type Output,
} from '../../src/model/index.ts';
import { PNG_1PX, validateIpynbs } from '../support/nbformat.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const stdout = (text: string): Output => ({ output_type: 'stream', name: 'stdout', text });

/** code c1 ("a = 1") with output, markdown m1, raw r1, code c2. Deep-frozen. */
function sample(): Notebook {
  const c1: Cell = { ...createCell('code', 'a = 1', 'c1'), outputs: [stdout('1\n')], execution_count: 1 };
  const m1: Cell = {
    ...createCell('markdown', '# Title\n![x](attachment:x.png)', 'm1'),
    metadata: { tags: ['intro'] },
    attachments: { 'x.png': { 'image/png': PNG_1PX } },
  };
  return deepFreeze(createNotebook([c1, m1, createCell('raw', 'raw', 'r1'), createCell('code', 'b = 2', 'c2')]));
}
const ids = (nb: Notebook) => nb.cells.map((c) => c.id);
const written: string[] = [];

describe('creating', () => {
  it('makes a Tailor notebook in nbformat 4.5 shape', () => {
    const nb = createNotebook();
    expect(nb).toEqual({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: 'tailor', display_name: 'TypeScript (Tailor)', language: 'typescript' },
        language_info: expect.objectContaining({ name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' }),
      },
      cells: [],
    });
    expect(nb.metadata.kernelspec).toEqual(TAILOR_KERNELSPEC);
  });

  it.each(['code', 'markdown', 'raw'] as const)('makes a %s cell with a fresh valid id', (type) => {
    const a = createCell(type, 'src');
    const b = createCell(type);
    expect(a.id).toMatch(CELL_ID_PATTERN);
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({ cell_type: type, source: 'src', metadata: {} });
    expect(b.source).toBe('');
    if (type === 'code') expect(a).toMatchObject({ outputs: [], execution_count: null });
    else expect(a).not.toHaveProperty('outputs');
  });

  it('makes ids that match nbformat, many times over without a clash', () => {
    const seen = new Set(Array.from({ length: 2000 }, newCellId));
    expect(seen.size).toBe(2000);
    for (const id of seen) expect(isValidCellId(id)).toBe(true);
    expect(isValidCellId('a'.repeat(65))).toBe(false);
    expect(isValidCellId('has space')).toBe(false);
    expect(isValidCellId('')).toBe(false);
    expect(() => createCell('heading' as 'code')).toThrow(/unknown cell type "heading"/);
  });
});

type EditCase = { name: string; edit: (nb: Notebook) => Notebook; check: (after: Notebook, before: Notebook) => void };

const EDITS: EditCase[] = [
  {
    name: 'insertCell at the start, middle and end',
    edit: (nb) => insertCell(insertCell(insertCell(nb, 0, createCell('code', '', 'n0')), 3, createCell('code', '', 'n3')), 6, createCell('raw', '', 'n6')),
    check: (after) => expect(ids(after)).toEqual(['n0', 'c1', 'm1', 'n3', 'r1', 'c2', 'n6']),
  },
  { name: 'deleteCell', edit: (nb) => deleteCell(nb, 'm1'), check: (after) => expect(ids(after)).toEqual(['c1', 'r1', 'c2']) },
  { name: 'moveCell down', edit: (nb) => moveCell(nb, 'c1', 3), check: (after) => expect(ids(after)).toEqual(['m1', 'r1', 'c2', 'c1']) },
  { name: 'moveCell up', edit: (nb) => moveCell(nb, 'c2', 1), check: (after) => expect(ids(after)).toEqual(['c1', 'c2', 'm1', 'r1']) },
  { name: 'moveCell to its own place', edit: (nb) => moveCell(nb, 'm1', 1), check: (after, before) => expect(after).toBe(before) },
  {
    name: 'editSource',
    edit: (nb) => editSource(nb, 'c2', 'b = 3'),
    check: (after, before) => {
      expect(getCell(after, 'c2').source).toBe('b = 3');
      expect(after.cells[0]).toBe(before.cells[0]);
      expect(editSource(before, 'c2', 'b = 2')).toBe(before);
    },
  },
  {
    name: 'splitCell keeps the id on the first part and drops the newline at the cut and the outputs',
    edit: (nb) => splitCell(editSource(nb, 'c1', 'a = 1\n\nb = 2\n'), 'c1', 6),
    check: (after) => {
      expect(after.cells.map((c) => c.source)).toEqual(['a = 1', 'b = 2\n', '# Title\n![x](attachment:x.png)', 'raw', 'b = 2']);
      expect(after.cells[0]).toMatchObject({ id: 'c1', cell_type: 'code', outputs: [], execution_count: null });
      expect(after.cells[1]).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null });
      expect(after.cells[1].id).toMatch(CELL_ID_PATTERN);
      expect(new Set(ids(after)).size).toBe(5);
    },
  },
  {
    name: 'splitCell sends attachments with the part that references them',
    edit: (nb) => splitCell(nb, 'm1', '# Title\n'.length),
    check: (after) => {
      expect(after.cells[1]).toMatchObject({ id: 'm1', source: '# Title', attachments: {} });
      expect(after.cells[2]).toMatchObject({ source: '![x](attachment:x.png)', attachments: { 'x.png': { 'image/png': PNG_1PX } }, metadata: { tags: ['intro'] } });
    },
  },
  {
    name: 'splitCell at either end leaves an empty part',
    edit: (nb) => splitCell(splitCell(nb, 'r1', 0), 'c2', 5),
    check: (after) => expect(after.cells.map((c) => c.source)).toEqual(['a = 1', '# Title\n![x](attachment:x.png)', '', 'raw', 'b = 2', '']),
  },
  {
    name: 'mergeCells joins in notebook order with a blank line, as the first cell',
    edit: (nb) => mergeCells(nb, ['c2', 'c1']),
    check: (after) => {
      expect(ids(after)).toEqual(['c1', 'm1', 'r1']);
      expect(after.cells[0]).toMatchObject({ cell_type: 'code', source: 'a = 1\n\nb = 2', outputs: [], execution_count: null });
    },
  },
  {
    name: 'mergeCells into markdown keeps the attachments of all merged cells',
    edit: (nb) => mergeCells(nb, ['m1', 'r1', 'c2']),
    check: (after) => {
      expect(ids(after)).toEqual(['c1', 'm1']);
      expect(after.cells[1]).toEqual({
        id: 'm1',
        cell_type: 'markdown',
        source: '# Title\n![x](attachment:x.png)\n\nraw\n\nb = 2',
        metadata: { tags: ['intro'] },
        attachments: { 'x.png': { 'image/png': PNG_1PX } },
      });
    },
  },
  {
    name: 'changeCellType code → markdown drops outputs and count',
    edit: (nb) => changeCellType(nb, 'c1', 'markdown'),
    check: (after) => expect(after.cells[0]).toEqual({ id: 'c1', cell_type: 'markdown', source: 'a = 1', metadata: {} }),
  },
  {
    name: 'changeCellType markdown → raw keeps attachments and metadata; → code drops attachments',
    edit: (nb) => changeCellType(changeCellType(nb, 'm1', 'raw'), 'r1', 'code'),
    check: (after) => {
      expect(after.cells[1]).toMatchObject({ id: 'm1', cell_type: 'raw', metadata: { tags: ['intro'] }, attachments: { 'x.png': expect.anything() } });
      expect(after.cells[2]).toEqual({ id: 'r1', cell_type: 'code', source: 'raw', metadata: {}, outputs: [], execution_count: null });
    },
  },
  { name: 'changeCellType to the same type', edit: (nb) => changeCellType(nb, 'm1', 'markdown'), check: (after, before) => expect(after).toBe(before) },
  {
    name: 'clearOutputs of one cell',
    edit: (nb) => clearOutputs(setOutputs(nb, 'c2', [stdout('2')]), 'c1'),
    check: (after) => {
      expect(after.cells[0]).toMatchObject({ outputs: [], execution_count: null });
      expect(after.cells[3]).toMatchObject({ outputs: [stdout('2')] });
    },
  },
  {
    name: 'clearOutputs of all cells',
    edit: (nb) => clearOutputs(setExecutionCount(setOutputs(nb, 'c2', [stdout('2')]), 'c2', 7)),
    check: (after, before) => {
      expect(after.cells.filter((c) => c.cell_type === 'code')).toMatchObject([{ outputs: [], execution_count: null }, { outputs: [], execution_count: null }]);
      expect(after.cells[1]).toBe(before.cells[1]);
      expect(clearOutputs(after)).toBe(after);
      expect(clearOutputs(after, 'm1')).toBe(after);
    },
  },
  {
    name: 'setOutputs and setExecutionCount',
    edit: (nb) => setExecutionCount(setOutputs(nb, 'c2', [stdout('x')]), 'c2', 2),
    check: (after) => expect(getCell(after, 'c2')).toMatchObject({ outputs: [stdout('x')], execution_count: 2 }),
  },
  {
    name: 'setCellMetadata',
    edit: (nb) => setCellMetadata(nb, 'r1', { format: 'text/latex' }),
    check: (after) => expect(getCell(after, 'r1').metadata).toEqual({ format: 'text/latex' }),
  },
];

describe('pure edits', () => {
  it.each(EDITS)('$name', ({ edit, check }) => {
    const before = sample();
    const snapshot = structuredClone(before);
    const after = edit(before);
    check(after, before);
    expect(before).toEqual(snapshot);
    written.push(toIpynb(after));
  });

  it('every edited notebook is valid for nbformat', () => {
    expect(written.length).toBe(EDITS.length);
    const errors = validateIpynbs(written);
    expect(errors.map((e, i) => (e ? `${EDITS[i].name}: ${e}` : null)).filter(Boolean)).toEqual([]);
  });
});

describe('programmer mistakes throw a RangeError naming the bad value', () => {
  const MISTAKES: [string, (nb: Notebook) => unknown, RegExp][] = [
    ['insertCell past the end', (nb) => insertCell(nb, 5, createCell('code')), /insertCell: index 5 is out of range 0…4/],
    ['insertCell at a negative index', (nb) => insertCell(nb, -1, createCell('code')), /index -1/],
    ['insertCell at a fractional index', (nb) => insertCell(nb, 1.5, createCell('code')), /index 1.5/],
    ['insertCell with a used id', (nb) => insertCell(nb, 0, createCell('code', '', 'c1')), /id c1 already exists/],
    ['insertCell with an invalid id', (nb) => insertCell(nb, 0, createCell('code', '', 'bad id')), /invalid cell id "bad id"/],
    ['deleteCell of an unknown id', (nb) => deleteCell(nb, 'nope'), /deleteCell: no cell with id "nope"/],
    ['moveCell past the end', (nb) => moveCell(nb, 'c1', 4), /moveCell: index 4 is out of range 0…3/],
    ['moveCell of an unknown id', (nb) => moveCell(nb, 'x', 0), /no cell with id "x"/],
    ['splitCell past the source', (nb) => splitCell(nb, 'c1', 6), /splitCell: offset 6 is out of range 0…5/],
    ['mergeCells of one cell', (nb) => mergeCells(nb, ['c1']), /at least two/],
    ['mergeCells with a repeated id', (nb) => mergeCells(nb, ['c1', 'c1']), /repeat: c1, c1/],
    ['mergeCells with an unknown id', (nb) => mergeCells(nb, ['c1', 'zz']), /no cell with id "zz"/],
    ['changeCellType to an unknown type', (nb) => changeCellType(nb, 'c1', 'heading' as 'raw'), /unknown cell type "heading"/],
    ['setOutputs on markdown', (nb) => setOutputs(nb, 'm1', []), /cell m1 is a markdown cell; only code cells have outputs/],
    ['setExecutionCount negative', (nb) => setExecutionCount(nb, 'c1', -1), /non-negative integer or null, got -1/],
    ['setExecutionCount on raw', (nb) => setExecutionCount(nb, 'r1', 1), /cell r1 is a raw cell/],
    ['clearOutputs of an unknown id', (nb) => clearOutputs(nb, 'gone'), /clearOutputs: no cell with id "gone"/],
    ['getCell of an unknown id', (nb) => getCell(nb, 'gone'), /getCell: no cell with id "gone"/],
  ];
  it.each(MISTAKES)('%s', (_, mistake, message) => {
    const nb = sample();
    expect(() => mistake(nb)).toThrow(RangeError);
    expect(() => mistake(nb)).toThrow(message);
  });

  it('cellIndex says -1 for an unknown id instead of throwing', () => {
    expect(cellIndex(sample(), 'r1')).toBe(2);
    expect(cellIndex(sample(), 'nope')).toBe(-1);
  });
});
