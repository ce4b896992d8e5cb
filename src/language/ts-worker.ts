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
 *
 * Where the time goes is recorded as User Timing measures (`timings.ts`):
 * `script` (worker created → its script runs), `typescript` (TypeScript and
 * the declarations initialise), `service`, then per request `wait`,
 * `request`, and inside it `cells`, `program` (parse, bind, a new checker) and
 * `answer`; warm-up steps as `warm-up`.
 */
import './worker-start.ts';
import { declarationFiles, LIB_DIR, TAILOR_ENTRY } from './declaration-files.ts';
import { createNotebookLanguageService } from './notebook-language-service.ts';
import type { LanguageRequest, LanguageResponse } from './protocol.ts';
import { RequestQueue } from './request-queue.ts';
import { recordPhase, timePhase } from './timings.ts';
import { WARM_UP_REQUESTS } from './warm-up.ts';

recordPhase('typescript', performance.getEntriesByName('tailor-ts:script')[0]?.duration ?? 0);
const service = timePhase('service', () => createNotebookLanguageService({ files: declarationFiles(), libDir: LIB_DIR, tailorEntry: TAILOR_ENTRY }));
const queue = new RequestQueue();
const warmUp = [...WARM_UP_REQUESTS];
let scheduled = false;

/** When each waiting request arrived (for the `wait` timing). */
const arrived = new Map<number, number>();

function answer(request: LanguageRequest, ids: readonly number[]): void {
  let reply: { ok: true; result: unknown } | { ok: false; error: string };
  const start = performance.now();
  for (const id of ids) {
    recordPhase('wait', arrived.get(id) ?? start, request.kind);
    arrived.delete(id);
  }
  try {
    reply = { ok: true, result: timePhase('request', () => service.handle(request), request.kind) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  for (const id of ids) self.postMessage({ id, ...reply } as LanguageResponse);
}

/** Does one thing, then yields, so requests that arrived meanwhile are seen before the next. */
function step(): void {
  scheduled = false;
  const next = queue.next();
  if (next?.kind === 'skip') {
    arrived.delete(next.stale.id);
    self.postMessage({ id: next.stale.id, ok: true, result: null } satisfies LanguageResponse);
  } else if (next) answer(next.request, next.ids);
  else if (warmUp.length) {
    try {
      const request = warmUp.shift()!;
      timePhase('warm-up', () => service.handle(request), request.kind);
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
  arrived.set(event.data.id, performance.now());
  queue.push(event.data);
  schedule();
};
schedule();
