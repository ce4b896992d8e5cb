/**
 * Tailor's service worker: the app opens, reloads and runs offline after one
 * visit online, and weights and photos fetched once load offline.
 *
 * - install: caches every file of the build (index.html and the hashed JS,
 *   CSS, wasm and worker scripts; the list is written in by the build plugin,
 *   offline-plugin.ts), then takes over at once (`skipWaiting`).
 * - activate: deletes the caches of older builds, keeps the weights cache,
 *   and controls the open pages and their workers (`clients.claim`).
 * - fetch: the strategy of `routeRequest` (offline-routes.ts). Responses are
 *   cached and served as the server sent them, headers included, so the
 *   Cross-Origin-Opener/Embedder-Policy headers that make the page
 *   cross-origin isolated (wasm threads) hold offline too.
 *
 * Built as a classic script (it imports nothing at run time once bundled).
 */
import { cacheNames, isStaleCache, routeRequest, type OfflineRoute } from './offline-routes.ts';

/** What the build plugin writes in: a version (changes with every build) and the files to precache, relative to the scope. */
interface OfflineBuild {
  version: string;
  files: string[];
}

/** The parts of ServiceWorkerGlobalScope used here (the repo's tsconfig has DOM types, not WebWorker's). */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

// The build plugin replaces this string with the build's JSON; a build without it fails loudly.
const BUILD = JSON.parse('__TAILOR_OFFLINE_BUILD__') as OfflineBuild;

const sw = self as unknown as ServiceWorkerScope;
const names = cacheNames(BUILD.version);
// Vite's preview and many hosts answer with `Vary: Origin`; a module script's request carries an
// Origin header that the precache request did not, and must still find its file.
const MATCH = { ignoreVary: true } as const;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(names.app);
      // `no-cache` revalidates with the server, so the HTTP cache cannot hand an older index.html to a new build.
      await cache.addAll(BUILD.files.map((file) => new Request(new URL(file, sw.registration.scope), { cache: 'no-cache' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const stale = (await caches.keys()).filter((name) => isStaleCache(name, BUILD.version));
      await Promise.all(stale.map((name) => caches.delete(name)));
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const route = routeRequest(
    { url: request.url, method: request.method, mode: request.mode, hasRange: request.headers.has('range') },
    sw.registration.scope,
  );
  if (route === 'pass') return;
  // The copy is written while the page already reads the response; waitUntil keeps the worker alive for it.
  const keep = (work: Promise<unknown>) => event.waitUntil(work);
  event.respondWith(respond(route, request, keep));
});

type Keep = (work: Promise<unknown>) => void;

function respond(route: Exclude<OfflineRoute, 'pass'>, request: Request, keep: Keep): Promise<Response> {
  switch (route) {
    case 'shell':
      // Every navigation to the app is the same index.html; one cache entry under the scope URL.
      return networkFirst(request, names.app, sw.registration.scope, keep);
    case 'immutable':
      return cacheFirst(request, names.app, keep);
    case 'weights':
      return cacheFirst(request, names.weights, keep);
    case 'fresh':
      return networkFirst(request, names.app, request, keep);
  }
}

/** The cached copy, else the network's answer (cached when it is a whole, successful same-origin response). */
async function cacheFirst(request: Request, cacheName: string, keep: Keep): Promise<Response> {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request, MATCH);
  if (cached) return cached;
  const response = await fetch(request);
  // Servers with an SPA fallback answer a missing model.json with index.html: never keep that as the file.
  if (!response.headers.get('content-type')?.startsWith('text/html')) store(cache, request, response, keep);
  return response;
}

/** The network's answer (kept for later), else the cached copy; with neither, the network error stands. */
async function networkFirst(request: Request, cacheName: string, key: Request | string, keep: Keep): Promise<Response> {
  const cache = await caches.open(cacheName);
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    const cached = (await cache.match(key, MATCH)) ?? (await caches.match(key, MATCH));
    if (cached) return cached;
    throw error;
  }
  store(cache, key, response, keep);
  return response;
}

/** Keeps a copy of `response` when it can be replayed: 200, same-origin, not redirected. A full disk only loses the copy. */
function store(cache: Cache, key: Request | string, response: Response, keep: Keep): void {
  if (response.status !== 200 || response.type !== 'basic' || response.redirected) return;
  const where = typeof key === 'string' ? key : key.url;
  keep(
    cache.put(key, response.clone()).catch((error: unknown) => {
      console.warn(`tailor offline: could not cache ${where}: ${(error as Error).message}`);
    }),
  );
}
