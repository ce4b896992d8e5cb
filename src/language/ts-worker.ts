/**
 * The TypeScript language worker: TypeScript's language service over the
 * notebook (see `notebook-language-service.ts`). Started by the language
 * client when a notebook with code cells opens, so TypeScript and its
 * declaration files load in the background, never on the page's main thread.
 *
 * One request per turn of the worker's event loop, in the order
 * `request-queue.ts` gives (stale ones dropped, completions first); while
 * nothing has been asked yet, it warms up (`warm-up.ts`) so the first real
 * request finds the declarations parsed and TypeScript's code hot.
 */
import { declarationFiles, LIB_DIR, TAILOR_ROOT } from './declaration-files.ts';
import { createNotebookLanguageService } from './notebook-language-service.ts';
import type { LanguageRequest, LanguageResponse } from './protocol.ts';
import { RequestQueue } from './request-queue.ts';
import { WARM_UP_REQUESTS } from './warm-up.ts';

const service = createNotebookLanguageService({ files: declarationFiles(), libDir: LIB_DIR, tailorEntry: `${TAILOR_ROOT}/index.ts` });
const queue = new RequestQueue();
const warmUp = [...WARM_UP_REQUESTS];
let scheduled = false;

function answer(request: LanguageRequest, ids: readonly number[]): void {
  let reply: { ok: true; result: unknown } | { ok: false; error: string };
  try {
    reply = { ok: true, result: service.handle(request) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  for (const id of ids) self.postMessage({ id, ...reply } as LanguageResponse);
}

/** Does one thing, then yields, so requests that arrived meanwhile are seen before the next. */
function step(): void {
  scheduled = false;
  const next = queue.next();
  if (next?.kind === 'skip') self.postMessage({ id: next.stale.id, ok: true, result: null } satisfies LanguageResponse);
  else if (next) answer(next.request, next.ids);
  else if (warmUp.length) {
    try {
      service.handle(warmUp.shift()!);
    } catch {
      // A warm-up step that fails only leaves that path cold.
    }
  }
  if (queue.size || warmUp.length) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(step, 0);
}

self.onmessage = (event: MessageEvent<LanguageRequest>) => {
  // The user is here: from now on their requests warm TypeScript up; a warm-up step would only delay them.
  warmUp.length = 0;
  queue.push(event.data);
  schedule();
};
schedule();
