// The language worker's request order: stale requests are answered with nothing, completions go
// first, several diagnostics for one cell are computed once (from the newest) and answer them all.
import { expect, it } from 'vitest';
import type { LanguageRequest } from '../../src/language/protocol.ts';
import { RequestQueue } from '../../src/language/request-queue.ts';

let nextId = 0;
const cells = [{ id: 'a', source: 'net.' }, { id: 'b', source: 'x' }];
const completions = (cellId: string, pos = 4): LanguageRequest => ({ id: ++nextId, kind: 'completions', cells, cellId, pos, explicit: false });
const diagnostics = (cellId: string): LanguageRequest => ({ id: ++nextId, kind: 'diagnostics', cells, cellId });
const detail = (cellId: string): LanguageRequest => ({ id: ++nextId, kind: 'completionDetail', cells, cellId, pos: 4, name: 'classify' });

/** Drains the queue into readable steps. */
function drain(queue: RequestQueue): string[] {
  const steps: string[] = [];
  for (let step = queue.next(); step; step = queue.next()) {
    steps.push(step.kind === 'skip' ? `skip ${step.stale.id}` : `answer ${step.request.kind} ${step.request.id} -> ${step.ids.join(',')}`);
  }
  return steps;
}

it('answers nothing for a completion a newer one of the same cell replaced, and computes the newer', () => {
  const queue = new RequestQueue();
  const [old, other, newer] = [completions('a', 1), completions('b'), completions('a', 4)];
  for (const r of [old, other, newer]) queue.push(r);
  expect(drain(queue)).toEqual([`skip ${old.id}`, `answer completions ${other.id} -> ${other.id}`, `answer completions ${newer.id} -> ${newer.id}`]);
  expect(queue.size).toBe(0);
  expect(queue.next()).toBeUndefined();
});

it('puts completions before details and diagnostics, whatever the arrival order', () => {
  const queue = new RequestQueue();
  const [check, info, complete] = [diagnostics('a'), detail('a'), completions('b')];
  for (const r of [check, info, complete]) queue.push(r);
  expect(drain(queue)).toEqual([
    `answer completions ${complete.id} -> ${complete.id}`,
    `answer completionDetail ${info.id} -> ${info.id}`,
    `answer diagnostics ${check.id} -> ${check.id}`,
  ]);
});

it('never answers diagnostics with nothing: several for one cell get the newest one\'s answer', () => {
  const queue = new RequestQueue();
  const [first, otherCell, second] = [diagnostics('a'), diagnostics('b'), diagnostics('a')];
  for (const r of [first, otherCell, second]) queue.push(r);
  expect(drain(queue)).toEqual([`answer diagnostics ${second.id} -> ${first.id},${second.id}`, `answer diagnostics ${otherCell.id} -> ${otherCell.id}`]);
});
