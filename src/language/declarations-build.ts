/**
 * Build-time trimming of the language worker's declaration files (Node
 * only; `declarations-plugin.ts` runs it during `vite build`/`vite`). The
 * result types a notebook exactly as the untrimmed files do, with less for
 * the worker to load and TypeScript to parse and bind on its first request:
 *
 * - `tailor` as declarations (`.d.ts` emitted from `kernels/transfer`) instead
 *   of its sources: no function bodies to parse or infer.
 * - Only the files a notebook's program reaches (from the kernel's globals,
 *   `tailor`, `@tensorflow/tfjs` and `@observablehq/plot`), plus the
 *   `package.json` files their resolution reads.
 * - TensorFlow.js's side-effect-only imports that carry no types (kernel and
 *   gradient registration: several hundred files) are dropped; those whose
 *   files augment types (chained ops such as `tensor.add`) stay.
 * - The licence header every TensorFlow.js file repeats is kept once per
 *   distinct text in `/licenses.txt` (never read by TypeScript) instead of
 *   in each file, where TypeScript parsed each as documentation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { compilerOptions, LIB_DIR } from './compiler-options.ts';
import { KERNEL_GLOBALS, KERNEL_GLOBALS_PATH } from './kernel-globals.ts';

export interface TrimmedDeclarations {
  /** Declaration files by virtual path (rooted at `/`, as in the repository). */
  files: Record<string, string>;
  /** The `tailor` module's entry among `files`. */
  tailorEntry: string;
  /** The repository files the result was made from (to watch in dev). */
  inputs: string[];
}

export const LICENSES_PATH = '/licenses.txt';

/** The candidate files, as the untrimmed `declaration-files.ts` globs them. */
const SOURCES: readonly { dir: string; test: (path: string) => boolean }[] = [
  { dir: 'node_modules/typescript/lib', test: (p) => /\/lib\.(es5|es20\w+(\.\w+)*|decorators(\.\w+)*|webworker)\.d\.ts$/.test(p) && !/\.full\.d\.ts$/.test(p) },
  {
    dir: 'node_modules/@tensorflow',
    test: (p) =>
      /\/tfjs(-(core|layers|converter|data|backend-cpu|backend-webgl))?\/(package\.json|dist\/.*\.d\.ts)$/.test(p) &&
      !/\/tfjs\/dist\/.+\/.*\.d\.ts$/.test(p) &&
      !/(_test|\/(test_util|jasmine_util|image_test_util|test_async_backends|tests))\.d\.ts$/.test(p),
  },
  { dir: 'node_modules/@webgpu/types', test: (p) => /\/(package\.json|dist\/index\.d\.ts)$/.test(p) },
  { dir: 'node_modules/@observablehq/plot', test: (p) => /\/plot\/(package\.json|src\/.*\.d\.ts)$/.test(p) },
  { dir: 'kernels/transfer', test: (p) => p.endsWith('.ts') },
  { dir: 'kernels/runtime', test: (p) => p.endsWith('/ask-types.ts') },
];

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(root, path, out);
    } else out.push(path);
  }
}

/** The untrimmed files by virtual path (what `declaration-files.ts` bundles without the plugin). */
export function readDeclarationSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const { dir, test } of SOURCES) {
    const found: string[] = [];
    walk(root, dir, found);
    for (const path of found) if (test(`/${path}`)) files.set(`/${path}`, readFileSync(join(root, path), 'utf8'));
  }
  return files;
}

/** A compiler host over in-memory files (all paths absolute, `/`-rooted). */
function memoryHost(files: Map<string, string>, options: ts.CompilerOptions, written?: Map<string, string>): ts.CompilerHost {
  const directories = new Set<string>(['/']);
  for (const path of files.keys()) for (let d = path.slice(0, path.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) directories.add(d);
  return {
    getSourceFile: (path, language) => {
      const text = files.get(path);
      return text === undefined ? undefined : ts.createSourceFile(path, text, language);
    },
    getDefaultLibFileName: () => `${LIB_DIR}/${ts.getDefaultLibFileName(options)}`,
    writeFile: (path, text) => written?.set(path, text),
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (path) => path,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (path) => files.has(path),
    readFile: (path) => files.get(path),
    directoryExists: (path) => directories.has(path.replace(/\/$/, '') || '/'),
    getDirectories: () => [],
  };
}

/**
 * `kernels/transfer` (and the runtime's `ask-types.ts`) as `.d.ts`, in place of each source whose declarations
 * emit on their own (every export annotated, as TypeScript's `isolatedDeclarations` asks); a file that does not
 * stays as its source, which types the same, only slower.
 */
function emitTailorDeclarations(files: Map<string, string>): void {
  for (const [path, text] of [...files]) {
    if (!path.startsWith('/kernels/') || !path.endsWith('.ts') || path.endsWith('.d.ts')) continue;
    const { outputText, diagnostics } = ts.transpileDeclaration(text, { fileName: path, reportDiagnostics: true, compilerOptions: { allowImportingTsExtensions: true } });
    if (diagnostics?.length) continue;
    files.delete(path);
    files.set(path.replace(/\.ts$/, '.d.ts'), outputText);
  }
}

/** Whether a TensorFlow.js file's side-effect import can go: nothing it reaches that way augments a type. */
function sideEffectFree(path: string, files: Map<string, string>, resolve: (specifier: string, from: string) => string | undefined, seen = new Set<string>()): boolean {
  if (seen.has(path)) return true;
  seen.add(path);
  const text = files.get(path) ?? '';
  if (/^\s*declare (module|global)\b/m.test(text)) return false;
  for (const [, specifier] of text.matchAll(/^import ['"]([^'"]+)['"];?$/gm)) {
    const target = resolve(specifier, path);
    if (target && !sideEffectFree(target, files, resolve, seen)) return false;
  }
  return true;
}

const LICENSE_HEADER = /\/\*\*?\s*\n\s*\*\s*@license[\s\S]*?\*\/\n?/g;

/** Generates the trimmed declaration files from the repository at `root` (see the module comment). */
export function generateDeclarations(root: string): TrimmedDeclarations {
  const files = readDeclarationSources(root);
  const inputs = [...files.keys()].filter((path) => path.startsWith('/kernels/')).map((path) => join(root, path));
  emitTailorDeclarations(files);
  const tailorEntry = files.has('/kernels/transfer/index.d.ts') ? '/kernels/transfer/index.d.ts' : '/kernels/transfer/index.ts';
  files.set(KERNEL_GLOBALS_PATH, KERNEL_GLOBALS);
  const options = compilerOptions(tailorEntry);
  const host = memoryHost(files, options);
  const resolve = (specifier: string, from: string) => ts.resolveModuleName(specifier, from, options, host).resolvedModule?.resolvedFileName;

  const licenses = new Set<string>();
  for (const [path, text] of files) {
    if (!path.startsWith('/node_modules/@tensorflow/') || !path.endsWith('.d.ts')) continue;
    let trimmed = text.replace(/^import ['"]([^'"]+)['"];?\n/gm, (line, specifier: string) => {
      const target = resolve(specifier, path);
      return target && sideEffectFree(target, files, resolve) ? '' : line;
    });
    trimmed = trimmed.replace(LICENSE_HEADER, (license) => {
      licenses.add(license.trim());
      return '';
    });
    files.set(path, trimmed);
  }

  // What a notebook reaches: the globals (tf, Plot, ask) and the modules a cell may import.
  const entry = '/notebook/reach.ts';
  files.set(entry, "import 'tailor';\nimport '@tensorflow/tfjs';\nimport '@observablehq/plot';\n");
  const program = ts.createProgram([KERNEL_GLOBALS_PATH, entry], options, host);
  const reached = new Set(program.getSourceFiles().map((file) => file.fileName));
  reached.delete(entry);
  reached.delete(KERNEL_GLOBALS_PATH);
  const out: Record<string, string> = {};
  for (const path of [...reached].sort()) out[path] = files.get(path)!;
  // Resolution reads the package.json of each package it enters.
  for (const path of files.keys()) {
    if (path.endsWith('/package.json') && [...reached].some((file) => file.startsWith(path.slice(0, -'package.json'.length)))) out[path] = files.get(path)!;
  }
  out[LICENSES_PATH] = [...licenses].join('\n\n');
  return { files: out, tailorEntry, inputs };
}
