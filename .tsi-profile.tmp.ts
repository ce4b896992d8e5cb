// Node profile of the language worker's start: load TS, build files, warm up, first/later requests.
const t0 = performance.now();
const { globSync } = await import('tinyglobby');
const { readFileSync } = await import('node:fs');
const root = '/work/main';
const patterns = {
  libs: ['node_modules/typescript/lib/lib.es5.d.ts','node_modules/typescript/lib/lib.es20*.d.ts','node_modules/typescript/lib/lib.decorators*.d.ts','node_modules/typescript/lib/lib.webworker.d.ts','!node_modules/typescript/lib/lib.es20*.full.d.ts'],
  pkgs: ['node_modules/@tensorflow/tfjs/package.json','node_modules/@tensorflow/tfjs/dist/*.d.ts','node_modules/@tensorflow/tfjs-{core,layers,converter,data,backend-cpu,backend-webgl}/package.json','node_modules/@tensorflow/tfjs-{core,layers,converter,data,backend-cpu,backend-webgl}/dist/**/*.d.ts','!node_modules/@tensorflow/*/dist/**/*_test.d.ts','!node_modules/@tensorflow/*/dist/**/{test_util,jasmine_util,image_test_util,test_async_backends,tests}.d.ts','node_modules/@webgpu/types/package.json','node_modules/@webgpu/types/dist/index.d.ts','node_modules/@observablehq/plot/package.json','node_modules/@observablehq/plot/src/**/*.d.ts'],
  tailor: ['kernels/transfer/**/*.ts','kernels/runtime/ask-types.ts'],
};
const files = new Map<string, string>();
let bytes = 0;
for (const list of Object.values(patterns)) for (const f of globSync(list, { cwd: root })) { const t = readFileSync(`${root}/${f}`, 'utf8'); bytes += t.length; files.set('/' + f, t); }
const t1 = performance.now();
const ts = (await import('typescript')).default;
const t2 = performance.now();
const { createNotebookLanguageService } = await import('/work/main/src/language/notebook-language-service.ts');
const service = createNotebookLanguageService({ files, libDir: '/node_modules/typescript/lib', tailorEntry: '/kernels/transfer/index.ts' });
const t3 = performance.now();
const lap = (label: string, f: () => unknown) => { const s = performance.now(); const r = f(); console.log(label, (performance.now() - s).toFixed(0), 'ms'); return r; };
const mode = process.argv[2] ?? 'warm';
if (mode === 'warm') {
  lap('warm diag', () => service.handle({ id: 0, kind: 'diagnostics', cellId: 'warm-up', cells: [{ id: 'warm-up', source: "import { loadBackbone } from 'tailor';\nconst n = tf.zeros([1]);" }] }));
  lap('warm compl tf.', () => service.handle({ id: 0, kind: 'completions', cellId: 'warm-up', pos: 3, explicit: false, cells: [{ id: 'warm-up', source: 'tf.' }] }));
}
const src = "import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\nnet.";
const r = lap('first real net.', () => service.handle({ id: 1, kind: 'completions', cellId: 'a', pos: src.length, explicit: false, cells: [{ id: 'a', source: src }] })) as any;
console.log('entries', r?.entries.length);
lap('diag after', () => service.handle({ id: 2, kind: 'diagnostics', cellId: 'a', cells: [{ id: 'a', source: src + 'i' }] }));
lap('next net.i', () => service.handle({ id: 3, kind: 'completions', cellId: 'a', pos: src.length + 1, explicit: false, cells: [{ id: 'a', source: src + 'i' }] }));
const src2 = src + 'info.';
lap('next net.info.', () => service.handle({ id: 3, kind: 'completions', cellId: 'a', pos: src2.length, explicit: false, cells: [{ id: 'a', source: src2 }] }));
const src3 = src + 'info;\nn';
lap('next global n', () => service.handle({ id: 3, kind: 'completions', cellId: 'a', pos: src3.length, explicit: false, cells: [{ id: 'a', source: src3 }] }));
const src4 = src + 'info;\nne';
lap('next global ne', () => service.handle({ id: 3, kind: 'completions', cellId: 'a', pos: src4.length, explicit: false, cells: [{ id: 'a', source: src4 }] }));
console.log(`read ${files.size} files ${(bytes/1e6).toFixed(1)} MB in ${(t1-t0).toFixed(0)} ms; import ts ${(t2-t1).toFixed(0)} ms; create ${(t3-t2).toFixed(0)} ms`);
const prog = (service as any);
