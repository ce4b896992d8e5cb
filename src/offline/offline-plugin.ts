/**
 * The Vite plugin that makes production builds work offline (build only; the
 * dev server is untouched):
 *
 * - emits service-worker.ts as `service-worker.js` beside index.html (a
 *   service worker controls the folder it is served from and below, so it
 *   cannot live in `assets/`);
 * - writes into it the build's version and the list of files to precache:
 *   the scope root (index.html) and every file of the bundle (JS, CSS, wasm,
 *   worker scripts) except source maps. `public/` files such as `models/` and
 *   `data/` are not in the bundle: the worker caches those when first fetched;
 * - defines `import.meta.env.TAILOR_SERVICE_WORKER`, which tells
 *   `registerServiceWorker()` that there is a worker to register.
 *
 * Use it in vite.config.ts: `plugins: [offlinePlugin()]`.
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { SERVICE_WORKER_FILE } from './offline-routes.ts';

const SOURCE = fileURLToPath(new URL('./service-worker.ts', import.meta.url));
const PLACEHOLDER = /(["'`])__TAILOR_OFFLINE_BUILD__\1/g; // the minifier may pick any quote

export function offlinePlugin(): Plugin {
  return {
    name: 'tailor-offline',
    apply: 'build',
    config: () => ({ define: { 'import.meta.env.TAILOR_SERVICE_WORKER': JSON.stringify(SERVICE_WORKER_FILE) } }),
    buildStart() {
      this.emitFile({ type: 'chunk', id: SOURCE, fileName: SERVICE_WORKER_FILE });
    },
    generateBundle: {
      // After Vite has added index.html and the worker scripts to the bundle.
      order: 'post',
      handler(_options, bundle) {
        const worker = bundle[SERVICE_WORKER_FILE];
        if (!worker || worker.type !== 'chunk') this.error(`the service worker ${SERVICE_WORKER_FILE} is missing from the bundle`);
        if (worker.imports.length > 0) {
          this.error(`${SERVICE_WORKER_FILE} imports ${worker.imports.join(', ')}; it must be one classic script (import nothing the page imports)`);
        }
        const files = precacheList(Object.keys(bundle));
        const build = { version: versionOf(files, bundle['index.html']), files };
        const found = worker.code.match(PLACEHOLDER)?.length ?? 0;
        if (found !== 1) this.error(`expected the placeholder __TAILOR_OFFLINE_BUILD__ once in ${SERVICE_WORKER_FILE}, found it ${found} times`);
        // A JSON text inside a JS string literal: JSON.stringify twice.
        worker.code = worker.code.replace(PLACEHOLDER, JSON.stringify(JSON.stringify(build)));
      },
    },
  };
}

/** The files to cache at install: the scope root (the page) and the bundle minus maps, the worker itself and index.html (cached as the root). */
export function precacheList(fileNames: string[]): string[] {
  const files = fileNames.filter(
    (name) => name !== SERVICE_WORKER_FILE && name !== 'index.html' && !name.endsWith('.map') && !name.startsWith('.vite/'),
  );
  return ['./', ...files.sort()];
}

/** A short hash of the file list and the page: hashed names change with content, index.html with everything it links. */
function versionOf(files: string[], page: { type: string; source?: string | Uint8Array } | undefined): string {
  const text = files.join('\n') + '\n' + (page?.type === 'asset' ? String(page.source) : '');
  // FNV-1a, 32 bits: enough to tell builds apart, no dependency.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
