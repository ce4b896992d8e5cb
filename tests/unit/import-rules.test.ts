/**
 * The layer map of DESIGN.md holds: no file in `src/` or `kernels/` imports
 * across a forbidden edge or deep into another layer. A self-test first shows
 * the checker does flag bad edges (so the real scan cannot pass vacuously).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImportRules, findImports, readSources, type SourceFile } from '../support/import-rules.ts';

const root = resolve(import.meta.dirname, '../..');

describe('the import checker', () => {
  const PROTOCOL = '../../kernels/protocol/index.ts';
  const BAD: [string, SourceFile, RegExp][] = [
    ['lit in the model', { path: 'src/model/x.ts', text: "import { html } from 'lit';" }, /src\/model must not import lit/],
    ['tfjs in the model', { path: 'src/model/x.ts', text: "export * from '@tensorflow/tfjs-core';" }, /must not import @tensorflow\/tfjs-core/],
    ['a value import of the protocol in the model', { path: 'src/model/x.ts', text: `import { validateMessage } from '${PROTOCOL}';` }, /types only/],
    ['a mixed import of the protocol in the model', { path: 'src/model/x.ts', text: `import { type KernelMessage, MIME } from '${PROTOCOL}';` }, /types only/],
    ['the UI from the model', { path: 'src/model/x.ts', text: "import '../ui/index.ts';" }, /src\/model must not import src\/ui/],
    ['the DOM in the model', { path: 'src/model/x.ts', text: 'export const w = () => document.title;' }, /must not use the global document/],
    ['tfjs dynamically in the UI', { path: 'src/ui/x.ts', text: "const tf = await import('@tensorflow/tfjs');" }, /src\/\*\* must not import @tensorflow\/tfjs .*dynamic import/],
    ['a computed dynamic import', { path: 'src/ui/x.ts', text: 'const m = await import(name);' }, /name their module literally/],
    ['the transfer library re-exported from the UI', { path: 'src/ui/x.ts', text: "export * from '../../kernels/transfer/index.ts';" }, /must not import kernels\/transfer/],
    ['the runtime as a Vite worker from the page', { path: 'src/kernel-client/x.ts', text: "import W from '../../kernels/runtime/index.ts?worker';" }, /must not import kernels\/runtime/],
    ['the runtime as a module URL', { path: 'src/kernel-client/x.ts', text: "new Worker(new URL('../../kernels/runtime/run.ts', import.meta.url));" }, /must not import kernels\/runtime .*module URL/],
    ['a deep import into the model', { path: 'src/ui/x.ts', text: "import { createCell } from '../model/cell.ts';" }, /deep import into src\/model/],
    ['anything from the protocol', { path: 'kernels/protocol/x.ts', text: "import { tensor } from '@tensorflow/tfjs';" }, /kernels\/protocol imports nothing/],
    ['another layer from the protocol', { path: 'kernels/protocol/x.ts', text: "import type { X } from '../transfer/index.ts';" }, /kernels\/protocol imports nothing/],
    ['the protocol from the transfer library', { path: 'kernels/transfer/heads/x.ts', text: "import { MIME } from '../../protocol/index.ts';" }, /kernels\/transfer must not import kernels\/protocol/],
    ['the page from the transfer library', { path: 'kernels/transfer/x.ts', text: "const r = require('../../src/model/index.ts');" }, /kernels\/transfer must not import src/],
    ['postMessage in the runtime', { path: 'kernels/runtime/x.ts', text: 'export const send = (m: unknown) => self.postMessage(m);' }, /must not use the global self/],
    ['bare postMessage in the runtime', { path: 'kernels/runtime/x.ts', text: 'postMessage(1);' }, /must not use the global postMessage/],
    ['the page from a host', { path: 'kernels/host/worker.ts', text: "import '../../src/ui/index.ts';" }, /kernels\/host must not import src/],
    ['a type reference into tfjs from the page', { path: 'src/renderers/x.ts', text: "let t: import('@tensorflow/tfjs').Tensor;" }, /must not import @tensorflow\/tfjs .*type import/],
  ];
  it.each(BAD)('flags %s', (_, file, rule) => {
    const violations = checkImportRules([file]);
    expect(violations.map((v) => `${v.file}:${v.line} ${v.what}: ${v.rule}`).join('\n')).toMatch(rule);
    expect(violations[0].file).toBe(file.path);
  });

  const GOOD: [string, SourceFile][] = [
    ['type-only protocol imports in the model', { path: 'src/model/x.ts', text: `import type { KernelMessage } from '${PROTOCOL}';\nimport { type MimeBundle } from '${PROTOCOL}';\nexport type { Header } from '${PROTOCOL}';` }],
    ['own files in the model', { path: 'src/model/x.ts', text: "import { createCell } from './cell.ts';" }],
    ['imports in comments and strings', { path: 'src/model/x.ts', text: "// import 'lit';\n/* import('@tensorflow/tfjs') */\nexport const s = \"import '@tensorflow/tfjs'\";" }],
    ['the model index and protocol values from the UI', { path: 'src/ui/x.ts', text: `import { createCell } from '../model/index.ts';\nimport { MIME } from '${PROTOCOL}';\nimport { html } from 'lit';` }],
    ['the worker host as a module URL from the page', { path: 'src/kernel-client/x.ts', text: "new Worker(new URL('../../kernels/host/worker.ts', import.meta.url), { type: 'module' });" }],
    ['tfjs and Plot in the transfer library', { path: 'kernels/transfer/x.ts', text: "import * as tf from '@tensorflow/tfjs';\nimport * as Plot from '@observablehq/plot';\nimport { a } from './heads/knn.ts';" }],
    ['protocol and transfer in the runtime, property postMessage', { path: 'kernels/runtime/x.ts', text: `import { MIME } from '../protocol/index.ts';\nimport { loadBackbone } from '../transfer/index.ts';\nport.postMessage(1);\nconst o = { self: 1, window: 2 };` }],
    ['a local named like a global', { path: 'kernels/runtime/x.ts', text: 'export function run(postMessage: (m: unknown) => void) { postMessage(1); }' }],
    ['a computed import of a Node built-in in the kernel', { path: 'kernels/transfer/env.ts', text: 'export const load = (s: string) => import(/* @vite-ignore */ s);' }],
    ['the runtime from the worker host', { path: 'kernels/host/worker.ts', text: "import { createRuntime } from '../runtime/index.ts';\nself.onmessage = () => {};" }],
  ];
  it.each(GOOD)('allows %s', (_, file) => {
    expect(checkImportRules([file])).toEqual([]);
  });
});

describe("the repository's sources", () => {
  it('keep to the layer map of DESIGN.md', () => {
    const files = readSources(root, ['src', 'kernels']);
    const edges = files.flatMap(findImports);
    // The scan must have something to check: the protocol alone has several files importing each other.
    expect(files.filter((f) => f.path.startsWith('kernels/protocol/')).length).toBeGreaterThanOrEqual(4);
    expect(edges.length).toBeGreaterThan(0);
    const violations = checkImportRules(files).map((v) => `${v.file}:${v.line} imports ${v.what} — ${v.rule}`);
    expect(violations).toEqual([]);
  });
});
