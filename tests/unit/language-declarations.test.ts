// The build's trimmed declarations (src/language/declarations-build.ts) type a notebook exactly as the
// files they come from: the same completions, details and diagnostics from a language service over
// each, for the library, TF.js (chained ops included), Plot and the kernel's globals.
import { beforeAll, expect, it } from 'vitest';
import { LIB_DIR } from '../../src/language/compiler-options.ts';
import { generateDeclarations, LICENSES_PATH, readDeclarationSources, type TrimmedDeclarations } from '../../src/language/declarations-build.ts';
import { createNotebookLanguageService, type NotebookLanguageService } from '../../src/language/notebook-language-service.ts';
import type { LanguageRequest } from '../../src/language/protocol.ts';
import { REPO_ROOT } from '../browser/serve-build.ts';

let trimmed: TrimmedDeclarations;
let untrimmed: Map<string, string>;
let before: NotebookLanguageService;
let after: NotebookLanguageService;

beforeAll(() => {
  untrimmed = readDeclarationSources(REPO_ROOT);
  trimmed = generateDeclarations(REPO_ROOT);
  before = createNotebookLanguageService({ files: untrimmed, libDir: LIB_DIR, tailorEntry: '/kernels/transfer/index.ts' });
  after = createNotebookLanguageService({ files: new Map(Object.entries(trimmed.files)), libDir: LIB_DIR, tailorEntry: trimmed.tailorEntry });
});

it('is smaller: tailor as declarations, only reached files, no side-effect-only kernel registration, one licence copy', () => {
  const size = (texts: Iterable<string>) => [...texts].reduce((sum, text) => sum + text.length, 0);
  const files = Object.keys(trimmed.files);
  console.log(`declarations: ${untrimmed.size} files, ${(size(untrimmed.values()) / 1e6).toFixed(2)} MB → ${files.length} files, ${(size(Object.values(trimmed.files)) / 1e6).toFixed(2)} MB`);
  expect(trimmed.tailorEntry).toBe('/kernels/transfer/index.d.ts');
  expect(trimmed.files['/kernels/transfer/index.d.ts']).toMatch(/export \{ loadBackbone/);
  expect(files.filter((path) => path.startsWith('/kernels/') && !path.endsWith('.d.ts')).length).toBeLessThan(3);
  expect(files.filter((path) => /register_all_(kernels|gradients)|\/gradients\/\w+_grad\.d\.ts$/.test(path))).toEqual([]);
  expect(files).toContain('/node_modules/@tensorflow/tfjs-core/dist/public/chained_ops/add.d.ts');
  expect(Object.entries(trimmed.files).filter(([path, text]) => path.startsWith('/node_modules/@tensorflow/') && /@license\s*\n/.test(text))).toEqual([]);
  expect(trimmed.files[LICENSES_PATH]).toContain('Apache License, Version 2.0');
  expect(size(Object.values(trimmed.files))).toBeLessThan(size(untrimmed.values()) * 0.8);
});

const cells = (...sources: string[]) => sources.map((source, i) => ({ id: `c${i + 1}`, source }));
const probes: LanguageRequest[] = [];
const at = (kind: 'completions' | 'quickInfo' | 'signatureHelp', source: string, extra: object = {}) =>
  probes.push({ id: probes.length, kind, cells: cells(source), cellId: 'c1', pos: source.length, explicit: false, ...extra } as LanguageRequest);
at('completions', "import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\nnet.");
at('completions', 'tf.');
at('completions', 'tf.zeros([2]).');
at('completions', 'Plot.');
at('completions', 'ask.');
at('completions', "import { trainHead } from 'tailor';\nconst head = await trainHead(undefined as any, {} as any);\nhead.");
at('completions', "import * as tailor from 'tailor';\ntailor.");
at('signatureHelp', "import { loadImageFolder } from 'tailor';\nloadImageFolder(");
at('signatureHelp', 'tf.tensor2d(');
at('quickInfo', "import { extractFeatures } from 'tailor';\nextractFeatures", { pos: 45 });
probes.push({ id: 99, kind: 'completionDetail', cells: cells('tf.zeros([1]).add'), cellId: 'c1', pos: 17, name: 'add' });
probes.push({ id: 100, kind: 'diagnostics', cells: cells("import { loadBackbone } from 'tailor';\nconst net = await loadBackbone(3);\nconst t: string = tf.zeros([1]).add(1);\nPlot.dot([1]).plot({ width: 'x' });"), cellId: 'c1' });

it('answers every probe as the untrimmed files do', () => {
  for (const probe of probes) {
    const expected = before.handle(probe);
    expect(expected, `${probe.kind} ${JSON.stringify(probe.cells[0].source)}`).not.toBeNull();
    expect(after.handle(probe), `${probe.kind} ${JSON.stringify(probe.cells[0].source)}`).toEqual(expected);
  }
});
