import { defineConfig } from 'vitest/config';
import { offlinePlugin } from './src/offline/offline-plugin.ts';
import { declarationsPlugin } from './src/language/declarations-plugin.ts';

// Cross-origin isolation lets TF.js's wasm backend use SharedArrayBuffer threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Production builds work offline after one visit (src/offline/); the dev server is untouched.
  // The language worker gets the trimmed, generated declarations (src/language/declarations-build.ts).
  plugins: [offlinePlugin(), declarationsPlugin()],
  server: { headers: isolationHeaders },
  // The kernel and language workers import these; found only when a notebook opens, they would make the dev
  // server re-bundle and reload the page under a user's first keystrokes. Crawl the workers too, and bundle
  // their dependencies at start.
  optimizeDeps: {
    entries: ['index.html', 'src/language/ts-worker.ts', 'kernels/host/worker.ts'],
    include: ['@observablehq/plot', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'acorn', 'sucrase', 'typescript'],
  },
  preview: { headers: isolationHeaders },
  // Workers (kernel, language service) are mangled like the page: smaller
  // scripts start sooner, and mangling alone keeps TF.js's wasm worker intact.
  worker: { format: 'es', plugins: () => [declarationsPlugin()], rolldownOptions: { output: { minify: { compress: false, mangle: true } } } },
  build: {
    target: 'es2022',
    // The default minifier breaks TF.js's threaded wasm worker under isolation;
    // mangling without compression is safe (measured, see DEVELOPERS notes).
    minify: false,
    rolldownOptions: { output: { minify: { compress: false, mangle: true } } },
  },
  test: {
    // Node tests and real-browser tests are separate projects so the app is
    // built once per run, and only when browser tests are queued.
    projects: [
      { extends: true, test: { name: 'node', include: ['tests/**/*.test.ts'], exclude: ['tests/browser/**', 'tests/hardening/page.test.ts', '**/node_modules/**'] } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts', 'tests/hardening/page.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          // Two Chromiums would fight over the machine's two cores.
          fileParallelism: false,
        },
      },
    ],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
