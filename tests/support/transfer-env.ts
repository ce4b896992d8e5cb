/**
 * Test set-up for the transfer library: where the real weights and photos
 * are, a private cache folder, the wasm backend, and a tiny static HTTP
 * server for the URL/manifest/download paths.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBackend } from '../../kernels/transfer/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** `public/` when `npm run assets` filled it, else `TAILOR_ASSETS ?? ../shared` (same layout: models/, data/). */
export function assetsRoot(): string {
  const local = path.join(repoRoot, 'public');
  if (fs.existsSync(path.join(local, 'models', 'mobilenet_v1_0.25_224', 'model.json'))) return local;
  return path.resolve(repoRoot, process.env.TAILOR_ASSETS ?? '../shared');
}

/** Points the library at the assets, gives it a fresh cache folder, and starts wasm. */
export async function setUpTransfer(): Promise<{ assets: string; cacheDir: string }> {
  const assets = assetsRoot();
  process.env.TAILOR_PUBLIC_DIR = assets;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-test-cache-'));
  process.env.TAILOR_CACHE_DIR = cacheDir;
  await ensureBackend();
  return { assets, cacheDir };
}

export function photo(name: string): string {
  return path.join(assetsRoot(), 'data', 'photos', `${name}.jpg`);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Serves `root` over HTTP on 127.0.0.1; counts requests. */
export async function serveFolder(root: string): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(rel);
    const file = path.join(root, rel);
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
