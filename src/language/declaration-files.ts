/**
 * The type declarations the language service needs, bundled as text at build
 * time (no network at run time): TypeScript's own lib files, TensorFlow.js
 * and its packages, Observable Plot, and the `tailor` library's sources
 * (`kernels/transfer`, read as text — types only, never run on the page), and
 * the types of the kernel's `ask` (`kernels/runtime/ask-types.ts`).
 * Only the language worker imports this module, so none of it is in the
 * page's initial JavaScript.
 *
 * This module bundles the files as they are. With `declarationsPlugin()` in
 * vite.config.ts the build replaces it with a trimmed set of the same exports
 * (`declarations-plugin.ts`: `tailor` as `.d.ts`, only what a notebook
 * reaches, no licence header per file) that types cells the same and loads
 * and parses faster.
 */
import { LIB_DIR } from './compiler-options.ts';

export { LIB_DIR };

const LIBS = import.meta.glob<string>(
  [
    '/node_modules/typescript/lib/lib.es5.d.ts',
    '/node_modules/typescript/lib/lib.es20*.d.ts',
    '/node_modules/typescript/lib/lib.decorators*.d.ts',
    '/node_modules/typescript/lib/lib.webworker.d.ts',
    '!/node_modules/typescript/lib/lib.es20*.full.d.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
);

const PACKAGES = import.meta.glob<string>(
  [
    '/node_modules/@tensorflow/tfjs/package.json',
    '/node_modules/@tensorflow/tfjs/dist/*.d.ts',
    '/node_modules/@tensorflow/tfjs-{core,layers,converter,data,backend-cpu,backend-webgl}/package.json',
    '/node_modules/@tensorflow/tfjs-{core,layers,converter,data,backend-cpu,backend-webgl}/dist/**/*.d.ts',
    '!/node_modules/@tensorflow/*/dist/**/*_test.d.ts',
    '!/node_modules/@tensorflow/*/dist/**/{test_util,jasmine_util,image_test_util,test_async_backends,tests}.d.ts',
    '/node_modules/@webgpu/types/package.json',
    '/node_modules/@webgpu/types/dist/index.d.ts',
    '/node_modules/@observablehq/plot/package.json',
    '/node_modules/@observablehq/plot/src/**/*.d.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
);

const TAILOR = import.meta.glob<string>(['/kernels/transfer/**/*.ts', '/kernels/runtime/ask-types.ts'], { query: '?raw', import: 'default', eager: true });

/** Where the library's sources live in the virtual file system; `tailor` resolves to its index. */
export const TAILOR_ROOT = '/kernels/transfer';

/** The virtual path the `tailor` module resolves to. */
export const TAILOR_ENTRY: string = `${TAILOR_ROOT}/index.ts`;

/** Whether this is the build's trimmed set (false: the files as they are). */
export const TRIMMED: boolean = false;

/** Every declaration file by virtual path (paths as in the repository, rooted at `/`). */
export function declarationFiles(): Map<string, string> {
  return new Map([...Object.entries(LIBS), ...Object.entries(PACKAGES), ...Object.entries(TAILOR)]);
}
