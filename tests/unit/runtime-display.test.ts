/**
 * What cells show: MIME bundles chosen by `display`/results, display handles
 * updated by id, progress bars, PNGs (decoded with sharp), Plot charts as
 * SVG, tensors as summaries, and the per-cell cap on stream output.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDisplayData, isExecuteResult, isStream, isUpdateDisplayData, type MimeBundle } from '../../kernels/protocol/index.ts';
import { inspect, summarizeTensor } from '../../kernels/runtime/index.ts';
import { startSession, type CellRun, type RuntimeSession } from '../support/runtime-session.ts';
import * as tf from '@tensorflow/tfjs';

let session: RuntimeSession;
beforeAll(async () => {
  session = await startSession({ outputLimits: { lines: 1000, bytes: 200_000 } });
});
afterAll(() => session.dispose());

const bundles = (run: CellRun): MimeBundle[] =>
  run.outputs.flatMap((m) => (isDisplayData(m) || isExecuteResult(m) || isUpdateDisplayData(m) ? [m.content.data] : []));

describe('display and results', () => {
  it('display returns a handle; update replaces the output by display_id', async () => {
    const run = await session.run('const h = display({ step: 1 });\nh.update({ step: 2 });\ndisplay("other", { id: "fixed" });\nh');
    const shown = run.outputs.filter(isDisplayData);
    const updated = run.outputs.filter(isUpdateDisplayData);
    expect(shown).toHaveLength(2);
    expect(updated).toHaveLength(1);
    expect(updated[0].content.transient.display_id).toBe(shown[0].content.transient.display_id);
    expect(updated[0].content.data['text/plain']).toBe('{ step: 2 }');
    expect(shown[1].content.transient.display_id).toBe('fixed');
    // A trailing handle is not shown a second time as the result.
    expect(run.outputs.filter(isExecuteResult)).toHaveLength(0);
  });

  it('arrays of plain objects become an HTML table plus text/plain', async () => {
    const [b] = bundles(await session.run('[{ name: "ant", n: 3 }, { name: "<bee>", n: 4.25 }]'));
    expect(b['text/html']).toContain('<th>name</th><th>n</th>');
    expect(b['text/html']).toContain('<td>&lt;bee&gt;</td><td>4.25</td>');
    expect(b['text/plain']).toContain("name: 'ant'");
  });

  it('a Plot chart is SVG markup containing its marks', async () => {
    const [b] = bundles(await session.run('Plot.plot({ marks: [Plot.dot([{ x: 1, y: 2 }, { x: 3, y: 5 }], { x: "x", y: "y" }), Plot.lineY([1, 4, 2])] })'));
    const svg = b['image/svg+xml'] as string;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('aria-label="dot"');
    expect(svg).toContain('aria-label="line"');
    expect((svg.match(/<circle/g) ?? []).length).toBe(2);
    expect(b['text/plain']).toMatch(/Plot chart/);
  });

  it('mark.plot() and a figure with a legend (HTML) work without a page document', async () => {
    const [svg] = bundles(await session.run('Plot.barY([3, 1, 2]).plot()'));
    expect((svg['image/svg+xml'] as string).match(/<rect/g)?.length).toBe(3);
    const [fig] = bundles(await session.run('Plot.plot({ color: { legend: true }, marks: [Plot.dot([{ x: 1, c: "a" }, { x: 2, c: "b" }], { x: "x", fill: "c" })] })'));
    expect(fig['text/html']).toMatch(/^<figure/);
    expect(fig['text/html']).toContain('<svg');
    expect(fig['image/svg+xml']).toBeUndefined();
  });

  it('tensors show as a text summary with shape, dtype and elided values', async () => {
    const [b] = bundles(await session.run('tf.range(0, 1000).reshape([10, 100])'));
    const text = b['text/plain'] as string;
    expect(text.split('\n')[0]).toBe('Tensor float32 [10, 100]');
    expect(text).toContain('[0, 1, 2, …, 97, 98, 99]');
    expect(text).toContain('[900, 901, 902, …, 997, 998, 999]]');
    expect(text.length).toBeLessThan(600);
    expect(Object.keys(b)).toEqual(['text/plain']);
  });

  it('objects with [Symbol.for("tailor.mime")] choose their bundle and still get text/plain', async () => {
    const [b] = bundles(await session.run('({ [Symbol.for("tailor.mime")]() { return { "text/markdown": "**hi**" }; } })'));
    expect(b['text/markdown']).toBe('**hi**');
    expect(typeof b['text/plain']).toBe('string');
  });

  it('display.image encodes an image tensor as a PNG that decodes to the same pixels', async () => {
    const run = await session.run('const img = tf.tensor3d([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [10, 20, 30]]], [2, 2, 3], "int32");\ndisplay.image(img);\nimg.dispose();');
    const [b] = bundles(run);
    const png = Buffer.from(b['image/png'] as string, 'base64');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([2, 2, 3]);
    expect([...data]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
  });

  it('progress(total) shows a bar updated in place, throttled, ending at total', async () => {
    const run = await session.run('const bar = progress(1000, { label: "items" });\nfor (let i = 0; i < 1000; i++) bar.tick();');
    const first = run.outputs.filter(isDisplayData);
    const updates = run.outputs.filter(isUpdateDisplayData);
    expect(first).toHaveLength(1);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThan(20);
    const last = updates[updates.length - 1].content;
    expect(last.transient.display_id).toBe(first[0].content.transient.display_id);
    expect(last.data['application/vnd.tailor.progress+json']).toMatchObject({ done: 1000, total: 1000, label: 'items' });
    expect(last.data['text/plain']).toMatch(/^items █+ 1000\/1000/);
  });

  it('stream output is capped per cell with one truncation notice', async () => {
    const run = await session.run('for (let i = 0; i < 100000; i++) console.log("line", i);');
    const out = run.text('stdout');
    expect(out.split('\n').length - 1).toBe(1000);
    expect(out.endsWith('line 999\n')).toBe(true);
    expect(run.text('stderr')).toMatch(/^\[output truncated: this cell wrote more than 1,000 lines/);
    // Coalesced into few messages, not 100,000.
    expect(run.outputs.filter(isStream).length).toBeLessThan(10);
    const next = await session.run('console.log("fresh cell")');
    expect(next.text()).toBe('fresh cell\n');
  });
});

describe('inspect and tensor summaries', () => {
  it.each([
    [[2, 4, 6], '[ 2, 4, 6 ]'],
    [{ a: 1, b: 'x', c: [true, null] }, "{ a: 1, b: 'x', c: [ true, null ] }"],
    [new Map([['k', 1]]), "Map(1) { 'k' => 1 }"],
    [new Set([1]), 'Set(1) { 1 }'],
    [new Float32Array([1, 2.5]), 'Float32Array(2) [ 1, 2.5 ]'],
    [{ deep: { deeper: { deepest: { gone: 1 } } } }, '{ deep: { deeper: { deepest: [Object] } } }'],
    ["it's", `"it's"`],
  ])('inspect(%j)', (value, expected) => {
    expect(inspect(value)).toBe(expected);
  });

  it('long arrays are elided after 100 items', () => {
    expect(inspect(Array.from({ length: 150 }, () => 0))).toContain('... 50 more items');
  });

  it('summarizeTensor reads values without creating tensors', () => {
    const t = tf.tensor2d([[1.23456, -2], [3, 4]]);
    const before = tf.memory().numTensors;
    expect(summarizeTensor(t)).toBe('Tensor float32 [2, 2]\n[[1.2346, -2],\n [3, 4]]');
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    expect(summarizeTensor(t)).toBe('Tensor float32 [2, 2] (disposed)');
  });
});
