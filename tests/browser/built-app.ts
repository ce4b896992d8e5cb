/**
 * The built app for a browser test file: the server started once per run by
 * global-setup.ts when it is registered, otherwise a build and server of this
 * file's own (so a browser test also runs on its own, just slower).
 * Call in `beforeAll`; call `close()` in `afterAll` (or use `builtAppInChromium`).
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium, type ChromiumSession } from './chromium.ts';
import { buildAndServe, type ServedApp } from './serve-build.ts';

/** The URL of the served production build; `close()` is a no-op when the run-wide server is shared. */
export async function useBuiltApp(): Promise<ServedApp> {
  const shared = inject('tailorAppUrl') as string | undefined;
  if (shared) return { url: shared, close: async () => {} };
  return buildAndServe();
}

/**
 * A browser test file's usual fixture: registers `beforeAll`/`afterAll` that
 * start the built app and a Chromium session (with `extraArgs`) and close
 * both. Read `app` and `browser` from the returned object inside tests.
 */
export function builtAppInChromium(extraArgs: string[] = []): { readonly app: ServedApp; readonly browser: ChromiumSession } {
  let app: ServedApp | undefined;
  let browser: ChromiumSession | undefined;
  beforeAll(async () => {
    app = await useBuiltApp();
    browser = await launchChromium(extraArgs);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  return {
    get app() {
      return app!;
    },
    get browser() {
      return browser!;
    },
  };
}
