/**
 * Builds the browser bench page with the app's own Vite config (same
 * minifier settings as the shipped app: they decide whether TF.js's pthread
 * workers start) and serves it cross-origin isolated on 127.0.0.1:
 * `/` the build, `/models` and `/data` from `public/`, `/bench-data` from
 * `bench/out` (parity inputs and ONNX files), `/ort` ONNX Runtime Web's dist
 * files as shipped.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'vite';

export interface BenchServer {
  /** The bench page, e.g. `http://127.0.0.1:41234/bench/browser/index.html`. */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.bin': 'application/octet-stream',
};

export async function serveBenchPage(root: string, outDir: string): Promise<BenchServer> {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-bench-page-'));
  await build({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    publicDir: false,
    build: { outDir: dist, emptyOutDir: true, rolldownOptions: { input: path.join(root, 'bench/browser/index.html') } },
  });
  const mounts: Array<[string, string]> = [
    ['/models/', path.join(root, 'public/models')],
    ['/data/', path.join(root, 'public/data')],
    ['/bench-data/', outDir],
    ['/ort/', path.join(root, 'node_modules/onnxruntime-web/dist')],
    ['/', dist],
  ];
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [prefix, dir] = mounts.find(([p]) => pathname.startsWith(p))!;
    const file = path.join(dir, pathname.slice(prefix.length));
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/bench/browser/index.html`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dist, { recursive: true, force: true });
    },
  };
}
