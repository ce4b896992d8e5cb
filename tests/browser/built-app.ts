/**
 * The built app for a browser test file: the server started once per run by
 * global-setup.ts when it is registered, otherwise a build and server of this
 * file's own (so a browser test also runs on its own, just slower).
 * Call in `beforeAll`; call `close()` in `afterAll`.
 */
import { inject } from 'vitest';
import { buildAndServe, type ServedApp } from './serve-build.ts';

/** The URL of the served production build; `close()` is a no-op when the run-wide server is shared. */
export async function useBuiltApp(): Promise<ServedApp> {
  const shared = inject('tailorAppUrl') as string | undefined;
  if (shared) return { url: shared, close: async () => {} };
  return buildAndServe();
}
