/**
 * TypeScript intelligence for notebook cells: a language worker running
 * TypeScript's language service over the notebook (loaded on demand) and
 * the page's client for it. The worker's own modules (TypeScript, the
 * bundled declarations) are never imported from here.
 */
export { createLanguageClient, sharedLanguageClient, type LanguageClient } from './language-client.ts';
export type * from './protocol.ts';
