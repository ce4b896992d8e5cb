/**
 * Which caching strategy the service worker uses for a request: a pure
 * function of the request and the worker's scope, so it is tested in Node.
 *
 * - `shell`: the page itself (a navigation to the scope root or `index.html`):
 *   network first, so a new deploy is picked up at once; the cached copy when
 *   the network fails.
 * - `immutable`: the build's content-hashed files under `assets/` (JS, CSS,
 *   wasm, workers): cache first; their name changes when their content does.
 * - `weights`: `models/**` and `data/**` (pretrained weights, photos,
 *   datasets): cache first in a cache that outlives deploys, so what was
 *   fetched once loads offline.
 * - `fresh`: any other same-origin GET: network first, cached copy offline.
 * - `pass`: not the worker's business (other origins, non-GET, range
 *   requests, the worker script itself): the browser fetches as if there
 *   were no service worker.
 */
export type OfflineRoute = 'shell' | 'immutable' | 'weights' | 'fresh' | 'pass';

/** What `routeRequest` looks at (a subset of `Request`). */
export interface RouteInput {
  url: string;
  method: string;
  mode: string;
  /** True when the request asks for part of a file (`Range` header): the Cache API cannot answer those. */
  hasRange: boolean;
}

/** The file name the build gives the service worker, beside index.html. */
export const SERVICE_WORKER_FILE = 'service-worker.js';

/** Chooses the strategy for `request` under the worker's `scope` (e.g. `https://host/app/`). */
export function routeRequest(request: RouteInput, scope: string): OfflineRoute {
  if (request.method !== 'GET' || request.hasRange) return 'pass';
  const url = new URL(request.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return 'pass';
  const path = url.pathname.slice(base.pathname.length);
  if (path === SERVICE_WORKER_FILE) return 'pass';
  if (path === '' || path === 'index.html') return 'shell';
  if (request.mode === 'navigate') return 'fresh';
  if (path.startsWith('assets/')) return 'immutable';
  if (path.startsWith('models/') || path.startsWith('data/')) return 'weights';
  return 'fresh';
}

/** Cache names: the app shell's is per build (`version`), the weights' outlives builds. */
export function cacheNames(version: string): { app: string; weights: string } {
  return { app: `tailor-app-${version}`, weights: 'tailor-weights-v1' };
}

/** True for a cache this worker made that a newer build no longer uses (old app shells). */
export function isStaleCache(name: string, version: string): boolean {
  const current = cacheNames(version);
  return name.startsWith('tailor-') && name !== current.app && name !== current.weights;
}
