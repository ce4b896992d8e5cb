/**
 * The output reducer, table-driven: each case feeds kernel messages (made by
 * the protocol's own constructors) through `applyKernelMessage` from some
 * starting outputs and compares the outputs that come out.
 */
import { describe, expect, it } from 'vitest';
import {
  clearOutput,
  displayData,
  errorMessage,
  executeReply,
  executeResult,
  statusMessage,
  streamMessage,
  updateDisplayData,
  type KernelMessage,
} from '../../kernels/protocol/index.ts';
import {
  applyDisplayUpdate,
  applyKernelMessage,
  appendStreamText,
  applyControls,
  createCell,
  createNotebook,
  setOutputs,
  toIpynb,
  visibleStreamText,
  type Output,
} from '../../src/model/index.ts';
import { validateIpynb } from '../support/nbformat.ts';

const out = (name: 'stdout' | 'stderr', text: string) => streamMessage(name, text);
const show = (text: string, id?: string) =>
  displayData({ data: { 'text/plain': text }, metadata: {}, transient: id === undefined ? {} : { display_id: id } });
const update = (text: string, id: string) => updateDisplayData({ data: { 'text/plain': text }, metadata: {}, transient: { display_id: id } });
const stream = (name: string, text: string): Output => ({ output_type: 'stream', name, text });
const shown = (text: string, id?: string, pending?: true): Output => ({
  output_type: 'display_data',
  data: { 'text/plain': text },
  metadata: {},
  ...(id !== undefined || pending ? { transient: { ...(id !== undefined ? { display_id: id } : {}), ...(pending ? { clear_pending: pending } : {}) } } : {}),
});

function reduce(messages: KernelMessage[], start: readonly Output[] = []): readonly Output[] {
  return messages.reduce(applyKernelMessage, start);
}

const CASES: { name: string; start?: Output[]; messages: KernelMessage[]; expected: Output[] }[] = [
  { name: 'a stream appends', messages: [out('stdout', 'a\n')], expected: [stream('stdout', 'a\n')] },
  {
    name: 'consecutive streams of the same name merge',
    messages: [out('stdout', 'a'), out('stdout', 'b\n'), out('stdout', 'c')],
    expected: [stream('stdout', 'ab\nc')],
  },
  {
    name: 'streams of different names do not merge',
    messages: [out('stdout', 'a'), out('stderr', 'b'), out('stdout', 'c')],
    expected: [stream('stdout', 'a'), stream('stderr', 'b'), stream('stdout', 'c')],
  },
  {
    name: 'a display between streams stops the merge',
    messages: [out('stdout', 'a'), show('fig'), out('stdout', 'b')],
    expected: [stream('stdout', 'a'), shown('fig'), stream('stdout', 'b')],
  },
  {
    name: 'a stream merges into a stream loaded from the file',
    start: [stream('stdout', 'loaded\n')],
    messages: [out('stdout', 'more')],
    expected: [stream('stdout', 'loaded\nmore')],
  },
  {
    name: 'carriage return overwrites the line (progress counters)',
    messages: [out('stdout', 'epoch 1/3\r'), out('stdout', 'epoch 2/3\r'), out('stdout', 'epoch 3/3\n'), out('stdout', 'done')],
    expected: [stream('stdout', 'epoch 3/3\ndone')],
  },
  { name: '\\r\\n is a line break', messages: [out('stdout', 'a\r'), out('stdout', '\nb')], expected: [stream('stdout', 'a\nb')] },
  {
    name: 'backspace erases the character before it, across chunks, never a line break',
    messages: [out('stdout', 'ab\ncd'), out('stdout', '\b\bX\b\b\bY')],
    expected: [stream('stdout', 'ab\nY')],
  },
  {
    name: 'display_data appends and remembers its display id',
    messages: [show('one', 'p'), show('two')],
    expected: [shown('one', 'p'), shown('two')],
  },
  {
    name: 'update_display_data replaces every output with that id, in place',
    messages: [show('a', 'p'), out('stdout', 'x'), show('b', 'q'), show('a again', 'p'), update('A', 'p')],
    expected: [shown('A', 'p'), stream('stdout', 'x'), shown('b', 'q'), shown('A', 'p')],
  },
  {
    name: 'update_display_data with an unknown id appends nothing',
    messages: [show('a', 'p'), update('Z', 'zzz')],
    expected: [shown('a', 'p')],
  },
  {
    name: 'a progress display is a display updated by id',
    messages: [
      displayData({ data: { 'application/vnd.tailor.progress+json': { done: 0, total: 2 }, 'text/plain': '0/2' }, metadata: {}, transient: { display_id: 'bar' } }),
      updateDisplayData({ data: { 'application/vnd.tailor.progress+json': { done: 2, total: 2 }, 'text/plain': '2/2' }, metadata: {}, transient: { display_id: 'bar' } }),
    ],
    expected: [
      {
        output_type: 'display_data',
        data: { 'application/vnd.tailor.progress+json': { done: 2, total: 2 }, 'text/plain': '2/2' },
        metadata: {},
        transient: { display_id: 'bar' },
      },
    ],
  },
  {
    name: 'execute_result appends with its count',
    messages: [out('stdout', 'x'), executeResult({ execution_count: 4, data: { 'text/plain': '2' }, metadata: { m: 1 } })],
    expected: [stream('stdout', 'x'), { output_type: 'execute_result', execution_count: 4, data: { 'text/plain': '2' }, metadata: { m: 1 } }],
  },
  {
    name: 'error appends',
    messages: [errorMessage({ ename: 'TypeError', evalue: 'x is not a function', traceback: ['TypeError: x', '  at 1:1'] })],
    expected: [{ output_type: 'error', ename: 'TypeError', evalue: 'x is not a function', traceback: ['TypeError: x', '  at 1:1'] }],
  },
  { name: 'clear_output clears at once', messages: [out('stdout', 'a'), show('b'), clearOutput(false)], expected: [] },
  {
    name: 'clear_output(wait) keeps outputs until the next one arrives',
    messages: [out('stdout', 'a'), show('b', 'p'), clearOutput(true)],
    expected: [{ ...stream('stdout', 'a'), transient: { clear_pending: true } }, shown('b', 'p', true)],
  },
  {
    name: 'the next output after clear_output(wait) replaces everything',
    messages: [out('stdout', 'a'), show('b'), clearOutput(true), show('c')],
    expected: [shown('c')],
  },
  {
    name: 'a stream after clear_output(wait) does not merge into the cleared stream',
    messages: [out('stdout', 'old'), clearOutput(true), out('stdout', 'new')],
    expected: [stream('stdout', 'new')],
  },
  {
    name: 'update_display_data after clear_output(wait) updates in place but does not clear',
    messages: [show('a', 'p'), clearOutput(true), update('A', 'p')],
    expected: [shown('A', 'p', true)],
  },
  {
    name: 'clear_output(wait) twice is the same as once',
    messages: [show('a'), clearOutput(true), clearOutput(true), show('b')],
    expected: [shown('b')],
  },
  {
    name: 'messages that carry no output leave outputs alone',
    messages: [show('a'), statusMessage('idle'), executeReply({ status: 'ok', execution_count: 1, user_expressions: {} })],
    expected: [shown('a')],
  },
];

describe('applyKernelMessage', () => {
  it.each(CASES)('$name', ({ start = [], messages, expected }) => {
    expect(reduce(messages, start)).toEqual(expected);
  });

  it('never mutates its input and returns the same array when nothing changes', () => {
    const start = Object.freeze([Object.freeze(stream('stdout', 'a')), Object.freeze(shown('b', 'p'))]) as readonly Output[];
    const snapshot = structuredClone(start);
    for (const msg of [out('stdout', 'x'), show('c'), update('B', 'p'), clearOutput(true), clearOutput(false), executeResult({ execution_count: 1, data: {}, metadata: {} })]) {
      applyKernelMessage(start, msg);
    }
    expect(start).toEqual(snapshot);
    expect(applyKernelMessage(start, statusMessage('busy'))).toBe(start);
    expect(applyKernelMessage(start, update('nothing', 'unknown'))).toBe(start);
    expect(applyKernelMessage([], clearOutput(true))).toEqual([]);
  });

  it('copies message content, so a later change to the message does not reach the outputs', () => {
    const msg = show('a', 'p');
    const [output] = applyKernelMessage([], msg);
    (msg.content.data as Record<string, unknown>)['text/plain'] = 'changed';
    expect(output).toEqual(shown('a', 'p'));
  });

  it('keeps display ids and pending clears out of the saved file, which nbformat accepts', () => {
    const outputs = reduce([show('a', 'p'), out('stdout', 'x\r'), clearOutput(true)]);
    const text = toIpynb(setOutputs(createNotebook([createCell('code', 'x', 'c1')]), 'c1', outputs));
    expect(text).not.toContain('transient');
    expect(text).not.toContain('display_id');
    expect(validateIpynb(text)).toBeNull();
  });
});

describe('applyDisplayUpdate', () => {
  it('updates a display in any cell, as a later cell can update an earlier display', () => {
    let nb = createNotebook([createCell('code', 'a', 'c1'), createCell('markdown', 'm', 'm1'), createCell('code', 'b', 'c2')]);
    nb = setOutputs(nb, 'c1', reduce([show('0%', 'bar')]));
    nb = setOutputs(nb, 'c2', reduce([out('stdout', 'running')]));
    const next = applyDisplayUpdate(nb, update('100%', 'bar'));
    expect(next.cells[0]).toMatchObject({ outputs: [shown('100%', 'bar')] });
    expect(next.cells[1]).toBe(nb.cells[1]);
    expect(next.cells[2]).toBe(nb.cells[2]);
    expect(applyDisplayUpdate(nb, update('x', 'none'))).toBe(nb);
    expect(applyDisplayUpdate(nb, show('x', 'bar'))).toBe(nb);
  });
});

describe('stream text control characters', () => {
  const TABLE: [string, string, string][] = [
    // [previous, next, expected stored text]
    ['', 'plain\n', 'plain\n'],
    ['abc', '\rx', 'xbc\rx'],
    ['10%', '\r20%', '20%'],
    ['50%\r', '100%\n', '100%\n'],
    ['line1\nab', '\b', 'line1\na'],
    ['line1\n', '\b\bz', 'line1\nz'],
    ['a\r', '\r\nb', 'a\nb'],
  ];
  it.each(TABLE)('%j + %j → %j', (previous, next, expected) => {
    expect(appendStreamText(previous, next)).toBe(expected);
    // Applying again changes nothing, so merging chunk by chunk equals merging at once.
    expect(applyControls(expected)).toBe(expected);
    expect(appendStreamText(previous, next)).toBe(applyControls(previous + next));
  });

  it('shows the text without a pending cursor', () => {
    expect(visibleStreamText('xbc\rx')).toBe('xbc');
    expect(visibleStreamText('a\nloading\r')).toBe('a\nloading');
    expect(visibleStreamText('a\rb\nc')).toBe('b\nc');
  });
});
