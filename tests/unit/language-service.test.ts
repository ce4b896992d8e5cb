// The notebook's TypeScript language service in Node (the same code the editor's worker runs):
// cells typed as one program in order, the library's and TF.js's real types, diagnostics per cell.
import { beforeAll, describe, expect, it } from 'vitest';
import { declarationFiles, LIB_DIR, TAILOR_ENTRY } from '../../src/language/declaration-files.ts';
import { KERNEL_GLOBAL_NAMES } from '../../src/language/kernel-globals.ts';
import { createNotebookLanguageService, type NotebookLanguageService } from '../../src/language/notebook-language-service.ts';
import type { CompletionResult, NotebookCellSource } from '../../src/language/protocol.ts';
import { WARM_UP_REQUESTS } from '../../src/language/warm-up.ts';

let service: NotebookLanguageService;
let nextId = 0;
const cells = (...sources: string[]): NotebookCellSource[] => sources.map((source, i) => ({ id: `c${i + 1}`, source }));
const complete = (list: NotebookCellSource[], cellId: string, pos = list.find((c) => c.id === cellId)!.source.length) =>
  service.handle({ id: ++nextId, kind: 'completions', cells: list, cellId, pos, explicit: false }) as CompletionResult;
const labels = (result: CompletionResult | null) => (result?.entries ?? []).map((e) => e.label);
const diagnose = (list: NotebookCellSource[], cellId: string) => service.handle({ id: ++nextId, kind: 'diagnostics', cells: list, cellId });

beforeAll(() => {
  const started = performance.now();
  service = createNotebookLanguageService({ files: declarationFiles(), libDir: LIB_DIR, tailorEntry: TAILOR_ENTRY });
  console.log(`language service created in ${(performance.now() - started).toFixed(0)} ms`);
});

describe('notebook language service', () => {
  it('completes a backbone from the tailor library with its real members', () => {
    const notebook = cells("import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\nnet.");
    let started = performance.now();
    const result = complete(notebook, 'c1');
    const first = performance.now() - started;
    expect(labels(result)).toEqual(expect.arrayContaining(['classify', 'info', 'features', 'dispose']));
    started = performance.now();
    complete(cells("import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\nnet.i"), 'c1');
    console.log(`completion: first ${first.toFixed(0)} ms, next ${(performance.now() - started).toFixed(0)} ms (Node)`);
  });

  it('knows a name from an earlier cell with its type, in a later cell', () => {
    const notebook = cells('const scores = { ants: 0.91, bees: 0.87 };', '// unrelated', 'scores.');
    expect(labels(complete(notebook, 'c3'))).toEqual(['ants', 'bees']);
    const info = service.handle({ id: ++nextId, kind: 'quickInfo', cells: notebook, cellId: 'c1', pos: 8 });
    expect(info).toMatchObject({ signature: 'const scores: {\n    ants: number;\n    bees: number;\n}', range: { from: 6, to: 12 } });
    const later = service.handle({ id: ++nextId, kind: 'quickInfo', cells: notebook, cellId: 'c3', pos: 2 });
    expect(later!.signature).toContain('const scores: {');
  });

  it('reports a type error in the cell, at the cell offsets, and nothing for valid cells', () => {
    const notebook = cells('let count = 1;', "const n: number = 'x';", 'count = count + 1;\nawait Promise.resolve(count);');
    expect(diagnose(notebook, 'c1')).toEqual([]);
    const errors = diagnose(notebook, 'c2');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ from: 6, to: 7, severity: 'error', code: 2322 });
    expect(errors[0].message).toContain("Type 'string' is not assignable to type 'number'");
    // A `let` of an earlier cell can be assigned later (the kernel allows it); top-level await works.
    expect(diagnose(notebook, 'c3')).toEqual([]);
  });

  it('lets a later cell declare a name again, and later cells see the newer type', () => {
    const notebook = cells("import * as tf from '@tensorflow/tfjs';\nconst data = [1, 2, 3];", "import * as tf from '@tensorflow/tfjs';\nconst data = 'text';", 'data.toUpperCase();\ntf.tensor([1]).dispose();');
    for (const id of ['c1', 'c2', 'c3']) expect(diagnose(notebook, id)).toEqual([]);
    expect(diagnose(cells('const data = [1];', 'data.toUpperCase();'), 'c2')[0].message).toContain("Property 'toUpperCase' does not exist on type 'number[]'");
  });

  it('declares the kernel globals and the importable modules', () => {
    const notebook = cells(
      "import * as Plot from '@observablehq/plot';\nconst bar = progress(10, { label: 'x' });\nbar.tick();\ndisplay(Plot.dot([1, 2]).plot());\ndisplay.html('<b>hi</b>');\nconst t = tf.zeros([2, 2]);\nt.dispose();\nsignal.aborted;",
    );
    expect(diagnose(notebook, 'c1')).toEqual([]);
    expect(labels(complete(cells('tf.'), 'c1'))).toEqual(expect.arrayContaining(['tensor', 'tidy', 'loadLayersModel']));
    expect(labels(complete(cells("import { } from 'nowhere';\nPlot."), 'c1'))).toEqual(expect.arrayContaining(['barY', 'plot', 'dot']));
    expect(diagnose(cells("import { x } from 'nowhere';"), 'c1')[0].message).toContain("Cannot find module 'nowhere'");
  });

  it('answers every warm-up request the worker makes for itself (no error, a real answer each)', () => {
    // The worker swallows a failing warm-up step; this is where one would show.
    const answers = WARM_UP_REQUESTS.map((request) => service.handle(request));
    expect(answers[0]).toEqual([]);
    for (const answer of answers.slice(1)) expect(answer).not.toBeNull();
    expect(labels(answers[1] as CompletionResult)).toEqual(expect.arrayContaining(['classify', 'info']));
  });

  it('gives signature help inside a call', () => {
    const source = "import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\nnet.classify(";
    const help = service.handle({ id: ++nextId, kind: 'signatureHelp', cells: cells(source), cellId: 'c1', pos: source.length });
    expect(help!.signatures[0].label).toMatch(/^classify\(image: .*options\?: ClassifyOptions/);
    expect(help!.activeParameter).toBe(0);
  });

  it('shows documentation comments, read on demand (the program itself is parsed without JSDoc)', () => {
    const source = "import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\nnet.classify(";
    const detail = service.handle({ id: ++nextId, kind: 'completionDetail', cells: cells(source), cellId: 'c1', pos: source.length - 9, name: 'classify' });
    expect(detail!.signature).toContain('Backbone.classify(image: ImageInput');
    expect(detail!.documentation).toContain('ImageNet classes');
    const hover = service.handle({ id: ++nextId, kind: 'quickInfo', cells: cells(source), cellId: 'c1', pos: 12 });
    expect(hover!.documentation).toContain('Loads a pretrained backbone');
    const tensor = service.handle({ id: ++nextId, kind: 'signatureHelp', cells: cells('tf.tensor2d('), cellId: 'c1', pos: 12 });
    expect(tensor!.signatures[0].documentation).toContain('Creates rank-2 `tf.Tensor`');
    // A cell's own doc comment, on its name in a later cell; the kernel's globals are documented too.
    const own = cells('/** Ants and bees. */\nconst classes = 2;', 'classes;\ndisplay;');
    expect(service.handle({ id: ++nextId, kind: 'quickInfo', cells: own, cellId: 'c2', pos: 1 })!.documentation).toBe('Ants and bees.');
    expect(service.handle({ id: ++nextId, kind: 'quickInfo', cells: own, cellId: 'c2', pos: 11 })!.documentation).toContain("Shows a value in the cell's output");
  });

  it('declares exactly the globals the kernel runtime installs', async () => {
    const { createRuntime } = await import('../../kernels/runtime/index.ts');
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const runtime = createRuntime({ send: () => {}, backend: 'cpu' });
    const added = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name));
    runtime.dispose();
    await runtime.ready.catch(() => {});
    expect(added.sort()).toEqual([...KERNEL_GLOBAL_NAMES].sort());
  });
});
