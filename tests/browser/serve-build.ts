/**
 * Builds the app with Vite's `build()` API into a temp folder and serves it
 * with Vite's `preview()` on 127.0.0.1 and a free port — the production bundle,
 * with the Cross-Origin-Opener/Embedder-Policy headers that vite.config.ts sets
 * for preview (the page is cross-origin isolated, as wasm threads need).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServedApp {
  /** The page's URL, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Stops the server and deletes the build. */
  close(): Promise<void>;
}

/** Runs `vite build` (the repository's vite.config.ts) and serves the result; resolves once it is listening. */
export async function buildAndServe(): Promise<ServedApp> {
  const outDir = await mkdtemp(join(tmpdir(), 'tailor-build-'));
  const configFile = resolve(REPO_ROOT, 'vite.config.ts');
  try {
    await build({ root: REPO_ROOT, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const port = await findFreePort();
    const server = await preview({
      root: REPO_ROOT,
      configFile,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true, open: false },
    });
    return {
      url: `http://127.0.0.1:${port}/`,
      async close() {
        await server.close();
        await rm(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}

/** A port nothing listens on right now (the OS picks it). */
function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}
