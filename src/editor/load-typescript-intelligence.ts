/**
 * `loadTypescriptIntelligence(context)`: the TypeScript extension for a code
 * cell (see `typescript-intelligence.ts`), fetched on first use. It brings
 * CodeMirror's lint UI and the language worker's client, which an open
 * notebook does not need before its first code editor shows; keeping them in
 * their own chunk keeps them out of the page's initial JavaScript.
 */
import type { Extension } from '@codemirror/state';
import type { TypeScriptIntelligenceContext } from './typescript-intelligence.ts';

export type { TypeScriptIntelligenceContext };

let loaded: Promise<typeof import('./typescript-intelligence.ts')> | undefined;

/** Resolves with `typescriptIntelligence(context)` once its module is loaded (loaded once per page). */
export function loadTypescriptIntelligence(context: TypeScriptIntelligenceContext): Promise<Extension> {
  loaded ??= import('./typescript-intelligence.ts');
  return loaded.then(({ typescriptIntelligence }) => typescriptIntelligence(context));
}
