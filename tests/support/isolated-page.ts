/**
 * A minimal cross-origin-isolated page for browser tests and benches of the
 * SIMD engine's pieces (shared memory and nested workers need COOP/COEP):
 * TypeScript entries bundled for the browser with esbuild, served on
 * 127.0.0.1 with the isolation headers.
 */
import { createServer } from 'node:http';
import { build } from 'esbuild';

/** Bundles `contents` (TypeScript; relative imports resolved from `resolveDir`) into one ES module for the browser. */
export async function bundleForPage(contents: string, resolveDir: string): Promise<string> {
  const out = await build({
    stdin: { contents, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

/** A served isolated page. */
export interface IsolatedServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  close(): Promise<void>;
}

/** Serves `files` (path → [content type, body]) cross-origin isolated on a free port of 127.0.0.1; 404 for anything else. */
export async function serveIsolated(files: Record<string, [string, string | Uint8Array]>): Promise<IsolatedServer> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    if (!file) res.writeHead(404, headers).end();
    else res.writeHead(200, { ...headers, 'Content-Type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
