// Offline after the first load: the production build's service worker (src/offline/) keeps the app,
// its kernel (worker script, TF.js wasm) and the weights and photos fetched once, so a reload with
// no network opens the app cross-origin isolated and classifies again; a model never fetched says
// that the network is unreachable and which command fetches it. A new deploy's worker takes over on
// the next load and deletes the old build's cache, keeping the weights.
//
// "Offline" is real here: the page is served through a proxy that the test shuts down (and the
// context is set offline too), so nothing can come from the server whatever the service worker's
// own requests are subject to.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useBuiltApp } from './built-app.ts';
import { launchChromium, type ChromiumSession } from './chromium.ts';
import { newNotebook, sourceOf, typeInto, waitForOutput } from './notebook-page.ts';
import type { ServedApp } from './serve-build.ts';

let app: ServedApp;
let proxy: Proxy;
let browser: ChromiumSession;

beforeAll(async () => {
  app = await useBuiltApp();
  proxy = await startProxy(app.url);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await app?.close();
});

/** A cell that loads `id` and classifies the teddy bear photo; prints the top-1 index and label, and where the weights came from. */
const classifyCell = (id: string) =>
  [
    "import { loadBackbone } from 'tailor';",
    `const net = await loadBackbone('${id}');`,
    "const [top] = await net.classify('/data/photos/teddy.jpg');",
    'net.dispose();',
    '`top-1 [${top.index}] ${top.label} from ${net.info.source.kind}`',
  ].join('\n');

/** Runs `source` in cell 1 of a new notebook and returns the output once it contains `expected`. */
async function runInNewNotebook(page: Page, source: string, expected: string): Promise<string> {
  await typeInto(page, 1, source);
  await page.keyboard.press('Control+Enter');
  return waitForOutput(page, 1, expected, 60_000);
}

test('after one visit online and a new deploy, the app reloads offline, isolated, and classifies with the weights it fetched', async () => {
  const page = await newNotebook(browser, proxy.url);
  // The service worker has installed (precached the build) and controls the page.
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'no service worker');
  await expect
    .poll(controlled, { timeout: 30_000, message: 'the build registers no service worker: is offlinePlugin() in vite.config.ts?' })
    .toBe('activated');

  // SOURCES.md's verified prediction for this photo and model: [850] teddy, teddy bear.
  const online = await runInNewNotebook(page, classifyCell('mobilenet_v1_0.25_224'), 'top-1');
  expect(online).toContain('top-1 [850] teddy, teddy bear from public');

  // A new deploy: the next load installs the new worker, which takes over and deletes the old build's cache,
  // keeping the weights. Everything offline below comes from the new version's caches.
  const cachesNow = () => page.evaluate(async () => (await caches.keys()).sort());
  const [oldApp] = (await cachesNow()).filter((name) => name.startsWith('tailor-app-'));
  proxy.deployNewVersion();
  await page.reload();
  const newApp = oldApp.replace('tailor-app-', 'tailor-app-next-');
  await expect.poll(cachesNow, { timeout: 30_000 }).toEqual([newApp, 'tailor-weights-v1']);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state), { timeout: 30_000 }).toBe('activated');

  await proxy.close();
  await browser.context.setOffline(true);
  try {
    // Reloading brings back the notebook (restored from autosave) in a page that is still cross-origin isolated.
    await page.reload();
    await expect.poll(() => sourceOf(page, 1), { timeout: 30_000 }).toContain("loadBackbone('mobilenet_v1_0.25_224')");
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    // Opening the app afresh works too, and a new notebook's kernel classifies from the cached weights.
    const fresh = await newNotebook(browser, proxy.url);
    expect(await fresh.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const offline = await runInNewNotebook(fresh, classifyCell('mobilenet_v1_0.25_224'), 'top-1');
    expect(offline).toBe(online);
    // The kernel runs TF.js's threaded wasm (its files came from the cache) as it did online.
    expect(await fresh.getByTitle('TensorFlow.js backend').textContent()).toMatch(/^wasm \(simd, \d+ threads?\)$/);

    // A model no page fetched before cannot come from anywhere: the error says why and what to do.
    await fresh.keyboard.press('Alt+Enter');
    await fresh.keyboard.insertText("await loadBackbone('mobilenet_v1_0.75_224');");
    await fresh.keyboard.press('Control+Enter');
    const error = await waitForOutput(fresh, 2, 'Error', 60_000);
    expect(error).toMatch(/mobilenet_v1_0\.75_224/);
    expect(error).toMatch(/offline|unreachable/i);
    expect(error).toContain('npm run assets');
    expect(browser.errorsOf(fresh)).toEqual([]);
  } finally {
    await browser.context.setOffline(false);
  }
  expect(browser.errorsOf(page)).toEqual([]);
});

interface Proxy {
  url: string;
  /** From now on, serve service-worker.js as a new deploy would: the same files under a new build version. */
  deployNewVersion(): void;
  /** Stops answering: open connections are cut and the port is closed. Safe to call twice. */
  close(): Promise<void>;
}

/** An HTTP proxy on a free port that forwards every request to `target`, headers and all. */
async function startProxy(target: string): Promise<Proxy> {
  const upstream = new URL(target);
  let newVersion = false;
  const server: Server = createServer((req, res) => {
    const rewrite = newVersion && req.url === '/service-worker.js';
    // A new deploy's worker has new validators: ask for the whole file, not a 304 for the old one.
    if (rewrite) delete req.headers['if-none-match'], delete req.headers['if-modified-since'];
    const forward = httpRequest(
      // Uncompressed, so the worker script can be rewritten below.
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host, 'accept-encoding': 'identity' } },
      (answer) => {
        if (!(rewrite && answer.statusCode === 200)) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          // The build version sits in the worker as escaped JSON: \"version\":\"abc\".
          const body = Buffer.from(Buffer.concat(chunks).toString('utf8').replace(/(\\"version\\":\\")/, '$1next-'));
          const { 'transfer-encoding': _chunked, ...headers } = answer.headers;
          res.writeHead(200, { ...headers, 'content-length': String(body.length), etag: '"next"' });
          res.end(body);
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    deployNewVersion: () => {
      newVersion = true;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
