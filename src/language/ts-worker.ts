/**
 * The TypeScript language worker: TypeScript's language service over the
 * notebook (see `notebook-language-service.ts`), answering the page's
 * requests in order. Started by the language client on first use, so
 * TypeScript and its declaration files load only when a notebook with code
 * cells is open, and never on the page's main thread.
 */
import { declarationFiles, LIB_DIR, TAILOR_ROOT } from './declaration-files.ts';
import { createNotebookLanguageService } from './notebook-language-service.ts';
import type { LanguageRequest, LanguageResponse } from './protocol.ts';

const service = createNotebookLanguageService({ files: declarationFiles(), libDir: LIB_DIR, tailorEntry: `${TAILOR_ROOT}/index.ts` });

self.onmessage = (event: MessageEvent<LanguageRequest>) => {
  const request = event.data;
  let response: LanguageResponse;
  try {
    response = { id: request.id, ok: true, result: service.handle(request) };
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(response);
};

// Warm up while the notebook is being read: parse the libraries and resolve the library's and
// TF.js's types once, so the first real request does not pay for it. Requests wait behind this.
service.handle({ id: 0, kind: 'diagnostics', cellId: 'warm-up', cells: [{ id: 'warm-up', source: "import { loadBackbone } from 'tailor';\nconst n = tf.zeros([1]);" }] });
service.handle({ id: 0, kind: 'completions', cellId: 'warm-up', pos: 3, explicit: false, cells: [{ id: 'warm-up', source: 'tf.' }] });
