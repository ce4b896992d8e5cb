/**
 * `check(name, value, expectation)`: the exercise checks of the guided
 * notebooks. A check prints ✓ or a hint — never the expected answer — and
 * records its result, in the cell's outputs (a display with the MIME type
 * `application/vnd.tailor.check+json`, which `tailor run --grade` reads) and
 * in this module's log (`checkResults()`).
 */
import { describeValue, evaluateExpectation, type Expectation } from './expectation.ts';

/** MIME type of a recorded check: `{name, passed, hint?}`. Same string as `MIME.check` in the kernel protocol. */
export const CHECK_MIME = 'application/vnd.tailor.check+json';

/** The outcome of one check, as recorded and as `check` returns it. */
export interface CheckResult {
  name: string;
  passed: boolean;
  /** Why it failed, in words that do not give the answer away (absent when it passed). */
  hint?: string;
}

const log: CheckResult[] = [];

/** Every check run in this kernel so far, oldest first. */
export function checkResults(): CheckResult[] {
  return log.map((r) => ({ ...r }));
}

/** Forgets the recorded checks (the cell outputs keep theirs). */
export function resetChecks(): void {
  log.length = 0;
}

type Show = (value: unknown) => object;

/**
 * Checks `value` against `expectation` and shows the result: "✓ name" or
 * "✗ name: hint". `expectation` is one of
 * - a function `(value) => boolean | string` (a string is the hint of a failure),
 * - a spec object (`{atLeast, atMost, between, equals, close, tolerance,
 *   oneOf, type, length, integer, test, hint}`; every rule given must hold),
 * - a plain value (string, number, boolean, null) the value must equal.
 *
 * Hints name what is wrong with the value (its type, "too low", "not the
 * expected value") and never the expected answer; `hint` in a spec replaces
 * the generic one. In a Tailor kernel the result is a display (so a cell
 * ending in `check(...)` shows it once); elsewhere it is logged. Returns the
 * result. A bad expectation (a programmer mistake) throws.
 */
export function check(name: string, value: unknown, expectation: Expectation): CheckResult {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`check needs a name (a non-empty string) first; got ${describeValue(name)}.`);
  const outcome = evaluateExpectation(value, expectation);
  const result: CheckResult = outcome.passed ? { name, passed: true } : { name, passed: false, hint: outcome.hint };
  log.push({ ...result });
  const shown = checkDisplay(result);
  const display = (globalThis as { display?: unknown }).display;
  if (typeof display === 'function') {
    // The handle marks the value as displayed, so a trailing `check(...)` is not echoed a second time.
    return Object.assign((display as Show)(shown), result);
  }
  console.log(checkText(result));
  return result;
}

/** One line of text for a result: `✓ name` or `✗ name: hint`. */
export function checkText(result: CheckResult): string {
  return result.passed ? `✓ ${result.name}` : `✗ ${result.name}: ${result.hint ?? 'not yet.'}`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A value the kernel's `display` renders as the check's MIME bundle (record, HTML and text). */
function checkDisplay(result: CheckResult): object {
  const html = result.passed
    ? `<div class="tailor-check tailor-check-pass" style="color:#1a7f37">✓ <b>${escapeHtml(result.name)}</b></div>`
    : `<div class="tailor-check tailor-check-fail" style="color:#9a6700">✗ <b>${escapeHtml(result.name)}</b>: ${escapeHtml(result.hint ?? '')}</div>`;
  return {
    [Symbol.for('tailor.mime')]: () => ({ [CHECK_MIME]: { ...result }, 'text/html': html, 'text/plain': checkText(result) }),
  };
}
