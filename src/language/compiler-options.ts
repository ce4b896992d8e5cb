/**
 * The compiler options cells are typed with, shared by the language service
 * and the build-time trimming of its declarations (`declarations-build.ts`),
 * so both resolve modules alike.
 */
import ts from 'typescript';

/** The directory holding TypeScript's lib files in the virtual file system. */
export const LIB_DIR = '/node_modules/typescript/lib';

/**
 * Cells are typed as strictly as `tsc --strict` would; `noEmitOnError` does not apply: nothing here blocks running.
 * The globals are a worker's (lib.webworker), as in the kernel; lib.dom would also offer `document`, which cells
 * do not have, and makes every completion at the top level about 20× slower (measured: 700 ms vs 31 ms).
 * `tailorEntry` is the virtual path the `tailor` module resolves to.
 */
export function compilerOptions(tailorEntry: string): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.webworker.d.ts'],
    types: [],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    useDefineForClassFields: false,
    paths: { tailor: [tailorEntry] },
  };
}
