import { globSync } from 'tinyglobby';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { KERNEL_GLOBALS, KERNEL_GLOBALS_PATH } from './src/language/kernel-globals.ts';
import { buildCellFiles } from './src/language/notebook-files.ts';
const root = '/work/main';
const MODE = { all: ts.JSDocParsingMode.ParseAll, none: ts.JSDocParsingMode.ParseNone, types: ts.JSDocParsingMode.ParseForTypeErrors }[process.argv[2] ?? 'all']!;
const STRIP = process.argv.includes('--strip');
const pats = ['node_modules/typescript/lib/lib.es5.d.ts','node_modules/typescript/lib/lib.es20*.d.ts','node_modules/typescript/lib/lib.decorators*.d.ts','node_modules/typescript/lib/lib.webworker.d.ts','!node_modules/typescript/lib/lib.es20*.full.d.ts','node_modules/@tensorflow/tfjs/package.json','node_modules/@tensorflow/tfjs/dist/*.d.ts','node_modules/@tensorflow/tfjs-{core,layers,converter,data,backend-cpu,backend-webgl}/package.json','node_modules/@tensorflow/tfjs-{core,layers,converter,data,backend-cpu,backend-webgl}/dist/**/*.d.ts','!node_modules/@tensorflow/*/dist/**/*_test.d.ts','node_modules/@webgpu/types/package.json','node_modules/@webgpu/types/dist/index.d.ts','node_modules/@observablehq/plot/package.json','node_modules/@observablehq/plot/src/**/*.d.ts','kernels/transfer/**/*.ts','kernels/runtime/ask-types.ts'];
const files = new Map<string,string>();
for (const f of globSync(pats, { cwd: root })) { let t = readFileSync(`${root}/${f}`, 'utf8'); if (STRIP) t = t.replace(/^\/\*\*?[\s\S]*?@license[\s\S]*?\*\//, ''); files.set('/' + f, t); }
files.set(KERNEL_GLOBALS_PATH, KERNEL_GLOBALS);
const cells = buildCellFiles([{ id: 'a', source: "import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\nnet." }]);
for (const c of cells) files.set(c.path, c.text);
const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2023.d.ts','lib.webworker.d.ts'], types: [], strict: true, skipLibCheck: true, noEmit: true, allowImportingTsExtensions: true, resolveJsonModule: true, paths: { tailor: ['/kernels/transfer/index.ts'] } };
const dirs = new Set(['/']); for (const p of files.keys()) for (let d = p.slice(0, p.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
let fe = 0;
const host: ts.CompilerHost = {
  getSourceFile: (p, lang) => { const t = files.get(p); return t === undefined ? undefined : ts.createSourceFile(p, t, { languageVersion: ts.ScriptTarget.ES2022, jsDocParsingMode: MODE, impliedNodeFormat: undefined } as any, true); },
  getDefaultLibFileName: () => '/node_modules/typescript/lib/lib.d.ts', writeFile: () => {}, getCurrentDirectory: () => '/', getCanonicalFileName: (f) => f, useCaseSensitiveFileNames: () => true, getNewLine: () => '\n',
  fileExists: (p) => (fe++, files.has(p)), readFile: (p) => files.get(p), directoryExists: (p) => dirs.has(p.replace(/\/$/, '') || '/'), getDirectories: () => [],
};
let s = performance.now(); let cpu = process.cpuUsage(); const cpuMs = () => { const d = process.cpuUsage(cpu); cpu = process.cpuUsage(); return ((d.user + d.system) / 1000).toFixed(0) + ' cpu-ms'; };
const program = ts.createProgram([KERNEL_GLOBALS_PATH, ...cells.map((c) => c.path)], options, host);
console.log('createProgram (parse+resolve)', cpuMs(), (performance.now() - s).toFixed(0), 'ms; files', program.getSourceFiles().length, 'fileExists', fe);
const byPkg = new Map<string, [number, number]>();
for (const f of program.getSourceFiles()) { const k = f.fileName.replace(/^\/node_modules\/(@[^/]+\/[^/]+|[^/]+).*/, '$1').replace(/^\/kernels\/(\w+).*/, 'kernels/$1'); const v = byPkg.get(k) ?? [0, 0]; byPkg.set(k, [v[0] + 1, v[1] + f.text.length]); }
console.log([...byPkg].map(([k, [n, b]]) => `${k}: ${n} files ${(b / 1e3).toFixed(0)} kB`).join('\n'));
s = performance.now();
const checker = program.getTypeChecker();
console.log('getTypeChecker (bind+merge globals)', cpuMs(), (performance.now() - s).toFixed(0), 'ms');
s = performance.now();
const d = program.getSemanticDiagnostics(program.getSourceFile(cells[0].path));
console.log('semantic diags of cell', cpuMs(), (performance.now() - s).toFixed(0), 'ms', d.map((x) => ts.flattenDiagnosticMessageText(x.messageText, '\n')));
