import { defineConfig } from 'vitest/config';

// Cross-origin isolation lets TF.js's wasm backend use SharedArrayBuffer threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The default minifier breaks TF.js's threaded wasm worker under isolation;
    // mangling without compression is safe (measured, see DEVELOPERS notes).
    minify: false,
    rolldownOptions: { output: { minify: { compress: false, mangle: true } } },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
