/**
 * Measures the TypeScript → JavaScript transpilers the kernel could use on a
 * 200-line notebook cell: sucrase, esbuild-wasm and TypeScript's
 * `transpileModule`. Prints cold (first call, including load) and warm
 * (median of 50) times in milliseconds.
 *
 *   npx tsx tests/bench/transpile.ts
 */
import { performance } from 'node:perf_hooks';

/** A realistic 200-line cell: interfaces, generics, classes, async code, arrow functions. */
export function makeCell(lines = 200): string {
  const out: string[] = [
    "import * as tf from '@tensorflow/tfjs';",
    'interface Row { label: string; score: number; tags?: string[] }',
    'type Pair<T> = [T, T];',
  ];
  let i = 0;
  while (out.length < lines) {
    const k = i++;
    out.push(
      `function step${k}<T extends number>(xs: T[], scale: number = ${k}): number { return xs.reduce((a: number, b) => a + b * scale, 0); }`,
      `const rows${k}: Row[] = [{ label: 'r${k}', score: ${k} / 3 }, { label: 's${k}', score: step${k}([1, 2, 3] as number[]) }];`,
      `class Box${k}<V> { constructor(private readonly value: V, public n = ${k}) {} get(): V { return this.value as V; } }`,
      `let pair${k}: Pair<number> = [${k}, ${k + 1}];`,
      `const total${k} = await Promise.resolve(rows${k}.map((r) => r.score).reduce((a, b) => a + b, 0));`,
      `for (const r of rows${k}) { if (r.score > ${k}) console.log(r.label!, new Box${k}<string>(r.label).get()); }`,
    );
  }
  return out.slice(0, lines).join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(name: string, load: () => Promise<(code: string) => string | Promise<string>>): Promise<void> {
  const code = makeCell();
  const t0 = performance.now();
  const transform = await load();
  const out = await transform(code);
  const cold = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await transform(code + `\n// ${i}`);
    times.push(performance.now() - t);
  }
  const lines = out.split('\n').length;
  console.log(`${name.padEnd(26)} cold ${cold.toFixed(1).padStart(7)} ms   warm median ${median(times).toFixed(2).padStart(6)} ms   output lines ${lines}`);
}

await measure('sucrase', async () => {
  const { transform } = await import('sucrase');
  return (code) => transform(code, { transforms: ['typescript'], keepUnusedImports: true, disableESTransforms: true }).code;
});
await measure('typescript transpileModule', async () => {
  const ts = (await import('typescript')).default;
  return (code) =>
    ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true } }).outputText;
});
await measure('esbuild-wasm', async () => {
  const esbuild = await import('esbuild-wasm');
  await esbuild.initialize({});
  return async (code) => (await esbuild.transform(code, { loader: 'ts', format: 'esm', target: 'es2022' })).code;
});
