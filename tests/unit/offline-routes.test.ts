/**
 * The service worker's decisions, in Node: which strategy each request gets,
 * which caches a new build deletes, and what the build precaches. The worker
 * itself runs in tests/browser/offline.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cacheNames, isStaleCache, routeRequest, type OfflineRoute } from '../../src/offline/index.ts';
import { precacheList } from '../../src/offline/offline-plugin.ts';

const SCOPE = 'https://tailor.example/app/';
const get = (url: string, mode = 'cors') => ({ url, method: 'GET', mode, hasRange: false });

describe('routeRequest', () => {
  const CASES: [string, Parameters<typeof routeRequest>[0], OfflineRoute][] = [
    ['the app root (a navigation)', get(`${SCOPE}`, 'navigate'), 'shell'],
    ['the app root with a query (?open=…)', get(`${SCOPE}?open=notebooks/01.ipynb`, 'navigate'), 'shell'],
    ['index.html', get(`${SCOPE}index.html`, 'navigate'), 'shell'],
    ['a hashed script', get(`${SCOPE}assets/index-Db_uSq2A.js`), 'immutable'],
    ['the kernel worker script', get(`${SCOPE}assets/worker-bGSSXCrP.js`, 'same-origin'), 'immutable'],
    ['a TF.js wasm binary', get(`${SCOPE}assets/tfjs-backend-wasm-simd-BrM3BlWr.wasm`), 'immutable'],
    ['a weight shard', get(`${SCOPE}models/mobilenet_v1_0.25_224/group1-shard1of1`), 'weights'],
    ['a model.json', get(`${SCOPE}models/mobilenet_v1_0.25_224/model.json`), 'weights'],
    ['a photo', get(`${SCOPE}data/photos/teddy.jpg`), 'weights'],
    ['a dataset manifest', get(`${SCOPE}data/hymenoptera_data/index.json`), 'weights'],
    ['another file of the site', get(`${SCOPE}notebooks/00-welcome.ipynb`), 'fresh'],
    ['a navigation to another page of the site', get(`${SCOPE}models/x/model.json`, 'navigate'), 'fresh'],
    ['the service worker script', get(`${SCOPE}service-worker.js`), 'pass'],
    ['another origin (a publisher)', get('https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json'), 'pass'],
    ['the same host outside the scope', get('https://tailor.example/other/assets/x.js'), 'pass'],
    ['a POST', { ...get(`${SCOPE}assets/x.js`), method: 'POST' }, 'pass'],
    ['a range request (media)', { ...get(`${SCOPE}data/clip.mp4`), hasRange: true }, 'pass'],
  ];
  it.each(CASES)('%s → %s', (_, request, route) => {
    expect(routeRequest(request, SCOPE)).toBe(route);
  });
});

describe('caches across builds', () => {
  it('names the shell cache by build and keeps one weights cache', () => {
    expect(cacheNames('abc')).toEqual({ app: 'tailor-app-abc', weights: 'tailor-weights-v1' });
  });
  it('deletes the shells of older builds, keeps the current one, the weights and caches it did not make', () => {
    const all = ['tailor-app-old1', 'tailor-app-old2', 'tailor-app-new', 'tailor-weights-v1', 'someone-elses-cache'];
    expect(all.filter((name) => isStaleCache(name, 'new'))).toEqual(['tailor-app-old1', 'tailor-app-old2']);
  });
});

describe('precacheList', () => {
  it('caches the root and every bundle file except the worker, index.html (the root) and source maps, in order', () => {
    const bundle = ['index.html', 'service-worker.js', 'assets/worker-b.js', 'assets/index-a.js', 'assets/index-a.js.map', 'assets/x.wasm', '.vite/manifest.json'];
    expect(precacheList(bundle)).toEqual(['./', 'assets/index-a.js', 'assets/worker-b.js', 'assets/x.wasm']);
  });
});
