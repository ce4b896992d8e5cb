/**
 * The order in which the language worker answers what the page asked, so
 * that what the user is waiting for comes first:
 *
 * - A request made stale by a newer one of the same kind for the same cell
 *   (the editor moved on while the worker was busy) is answered at once with
 *   "nothing" instead of being computed: `null` for completions, details,
 *   hover and signature help. Diagnostics are never answered with nothing
 *   (that would clear the squiggles): several for one cell are computed once,
 *   from the newest, and that answer goes to each.
 * - Completions go first, then signature help, hover and completion details,
 *   then diagnostics (which the editor asks for after a pause anyway).
 * - Background work (the warm-up steps) runs only when nothing is waiting.
 *
 * Pure and synchronous: the worker feeds it messages and asks `next()`.
 */
import type { LanguageRequest } from './protocol.ts';

/** What to do next: compute `request` and send the result to every id in `ids`, or answer `stale` with nothing. */
export type QueueStep = { kind: 'answer'; request: LanguageRequest; ids: number[] } | { kind: 'skip'; stale: LanguageRequest };

/** Lower goes first. */
const RANK: Record<LanguageRequest['kind'], number> = { completions: 0, signatureHelp: 1, quickInfo: 2, completionDetail: 3, diagnostics: 4 };

export class RequestQueue {
  private waiting: LanguageRequest[] = [];

  /** Requests not answered yet. */
  get size(): number {
    return this.waiting.length;
  }

  push(request: LanguageRequest): void {
    this.waiting.push(request);
  }

  /** The next step, or undefined when nothing waits. */
  next(): QueueStep | undefined {
    if (!this.waiting.length) return undefined;
    const stale = this.waiting.findIndex(
      (r, i) => r.kind !== 'diagnostics' && this.waiting.some((later, j) => j > i && later.kind === r.kind && later.cellId === r.cellId),
    );
    if (stale >= 0) return { kind: 'skip', stale: this.waiting.splice(stale, 1)[0] };
    const pick = this.waiting.reduce((best, r) => (RANK[r.kind] < RANK[best.kind] ? r : best));
    if (pick.kind !== 'diagnostics') {
      this.waiting.splice(this.waiting.indexOf(pick), 1);
      return { kind: 'answer', request: pick, ids: [pick.id] };
    }
    const same = this.waiting.filter((r) => r.kind === 'diagnostics' && r.cellId === pick.cellId);
    this.waiting = this.waiting.filter((r) => !same.includes(r));
    return { kind: 'answer', request: same[same.length - 1], ids: same.map((r) => r.id) };
  }
}
