/**
 * What a check expects, and how a value is judged against it. Failures
 * come with a hint that says what is wrong with the value — its type, its
 * size, "too low" — but never what the right value is.
 */

/** The rules of a spec expectation; every rule given must hold. */
export interface CheckSpec {
  /** Equal to this (deeply for arrays and objects; numbers within `tolerance`, default 1e-9). */
  equals?: unknown;
  /** A number within `tolerance` (default 1e-6 of its size, at least 1e-9) of this. */
  close?: number;
  /** Allowed absolute difference for `close` and numeric `equals`. */
  tolerance?: number;
  /** A number ≥ this. */
  atLeast?: number;
  /** A number ≤ this. */
  atMost?: number;
  /** A number in `[low, high]`. */
  between?: [number, number];
  /** A whole number. */
  integer?: boolean;
  /** Equal (as `equals`) to one of these. */
  oneOf?: unknown[];
  /** `typeof`, or 'array'. */
  type?: 'number' | 'string' | 'boolean' | 'object' | 'array' | 'function';
  /** `.length` (arrays, strings, typed arrays) equals this. */
  length?: number;
  /** Any further test: true passes; false or a string (the hint) fails. */
  test?: (value: unknown) => boolean | string;
  /** The hint shown when any rule fails, instead of the generic one. */
  hint?: string;
}

/** What `check` accepts as its expectation. */
export type Expectation = ((value: unknown) => boolean | string) | CheckSpec | string | number | boolean | null;

export type Outcome = { passed: true } | { passed: false; hint: string };

const SPEC_KEYS = ['equals', 'close', 'tolerance', 'atLeast', 'atMost', 'between', 'integer', 'oneOf', 'type', 'length', 'test', 'hint'];

/** A short description of a value's kind, for hints ("a string", "an array of 3 items"). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (ArrayBuffer.isView(value) && 'length' in value) return `a ${value.constructor.name} of ${(value as unknown as { length: number }).length} values`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : 'a number';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}

/** Judges `value`; throws (a programmer mistake) when the expectation itself is malformed. */
export function evaluateExpectation(value: unknown, expectation: Expectation): Outcome {
  const early = commonMistake(value);
  if (early) return fail(early);
  if (typeof expectation === 'function') return fromTest(() => expectation(value), 'it does not pass the test yet.');
  if (expectation === null || typeof expectation !== 'object') {
    return deepEqual(value, expectation, 1e-9) ? { passed: true } : fail(mismatchHint(value, expectation));
  }
  return evaluateSpec(value, expectation);
}

function fail(hint: string): Outcome {
  return { passed: false, hint };
}

/** Mistakes worth naming whatever the check: a forgotten `await`, an unset variable. */
function commonMistake(value: unknown): string | undefined {
  if (value instanceof Promise || (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function')) {
    return 'this is a Promise, not its value: add `await` in front of the call.';
  }
  if (value === undefined) return 'the value is undefined: run the cells above, and fill in the line marked TODO.';
  return undefined;
}

function fromTest(run: () => boolean | string, generic: string): Outcome {
  let verdict: boolean | string;
  try {
    verdict = run();
  } catch (error) {
    return fail(`checking it raised ${(error as Error)?.name ?? 'an error'}: ${(error as Error)?.message ?? String(error)}`);
  }
  if (verdict === true) return { passed: true };
  return fail(typeof verdict === 'string' && verdict.trim() ? verdict : generic);
}

function evaluateSpec(value: unknown, spec: CheckSpec): Outcome {
  const unknown = Object.keys(spec).filter((k) => !SPEC_KEYS.includes(k));
  if (unknown.length) throw new TypeError(`check: unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Valid rules: ${SPEC_KEYS.join(', ')}.`);
  if (spec.between !== undefined && !(Array.isArray(spec.between) && spec.between.length === 2 && spec.between.every(Number.isFinite))) {
    throw new TypeError(`check: between needs [low, high] (two finite numbers); got ${JSON.stringify(spec.between)}.`);
  }
  const hinted = (generic: string) => fail(spec.hint ?? generic);
  const numeric = spec.close !== undefined || spec.atLeast !== undefined || spec.atMost !== undefined || spec.between !== undefined || spec.integer;
  if (spec.type !== undefined) {
    const actual = Array.isArray(value) ? 'array' : typeof value;
    if (actual !== spec.type) return hinted(`expected ${article(spec.type)}; got ${describeValue(value)}.`);
  }
  if (numeric) {
    if (typeof value !== 'number' || Number.isNaN(value)) return hinted(`expected a number; got ${describeValue(value)}.`);
    if (spec.integer && !Number.isInteger(value)) return hinted('expected a whole number.');
    const low = Math.max(spec.atLeast ?? -Infinity, spec.between?.[0] ?? -Infinity);
    const high = Math.min(spec.atMost ?? Infinity, spec.between?.[1] ?? Infinity);
    if (value < low) return hinted('not there yet: the value is too low.');
    if (value > high) return hinted('the value is too high.');
    if (spec.close !== undefined) {
      const tolerance = spec.tolerance ?? Math.max(1e-9, Math.abs(spec.close) * 1e-6);
      if (!(Math.abs(value - spec.close) <= tolerance)) return hinted(`not the expected value yet (it is ${value < spec.close ? 'too low' : 'too high'}).`);
    }
  }
  if (spec.length !== undefined) {
    const length = (value as { length?: unknown } | null)?.length;
    if (typeof length !== 'number') return hinted(`expected something with a length (an array or a string); got ${describeValue(value)}.`);
    if (length !== spec.length) return hinted(`it has ${length} item${length === 1 ? '' : 's'}; that is not the expected number.`);
  }
  if ('equals' in spec && !deepEqual(value, spec.equals, spec.tolerance ?? 1e-9)) return hinted(mismatchHint(value, spec.equals));
  if (spec.oneOf !== undefined) {
    if (!Array.isArray(spec.oneOf)) throw new TypeError('check: oneOf needs an array of allowed values.');
    if (!spec.oneOf.some((v) => deepEqual(value, v, spec.tolerance ?? 1e-9))) return hinted('not one of the expected values.');
  }
  if (spec.test !== undefined) {
    if (typeof spec.test !== 'function') throw new TypeError('check: test needs a function (value) => boolean | string.');
    const outcome = fromTest(() => spec.test!(value), 'it does not pass the test yet.');
    if (!outcome.passed) return spec.hint ? fail(spec.hint) : outcome;
  }
  return { passed: true };
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** Says how a value differs from what was expected in kind, never in content. */
function mismatchHint(value: unknown, expected: unknown): string {
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(value) !== kind(expected)) return `expected ${kind(expected) === 'null' ? 'null' : article(kind(expected))}; got ${describeValue(value)}.`;
  if (Array.isArray(value) && Array.isArray(expected) && value.length !== expected.length) {
    return `it has ${value.length} item${value.length === 1 ? '' : 's'}; that is not the expected number.`;
  }
  return 'not the expected value yet.';
}

/** Structural equality; numbers equal within `tolerance`; typed arrays compare as arrays. */
export function deepEqual(a: unknown, b: unknown, tolerance: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= tolerance;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const listA = ArrayBuffer.isView(a) ? Array.from(a as unknown as ArrayLike<number>) : a;
  const listB = ArrayBuffer.isView(b) ? Array.from(b as unknown as ArrayLike<number>) : b;
  if (Array.isArray(listA) !== Array.isArray(listB)) return false;
  if (Array.isArray(listA) && Array.isArray(listB)) {
    return listA.length === listB.length && listA.every((v, i) => deepEqual(v, listB[i], tolerance));
  }
  const keysA = Object.keys(listA);
  const keysB = Object.keys(listB);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => Object.prototype.hasOwnProperty.call(listB, k) && deepEqual((listA as Record<string, unknown>)[k], (listB as Record<string, unknown>)[k], tolerance));
}
