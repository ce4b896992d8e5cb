/**
 * Exercise checks and grading: `check()` shows ✓ or a hint that never
 * contains the expected answer, and `tailor run --grade` (a real child
 * process) prints the score table and exits by the pass threshold — on a
 * student's copy of the welcome notebook with a wrong answer, on checks
 * that never ran because their cell failed, and on bad options.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNamesIn, parseThreshold } from '../../bin/run/grade.ts';
import { MIME } from '../../kernels/protocol/index.ts';
import { CHECK_MIME, check, checkResults, resetChecks } from '../../kernels/transfer/index.ts';
import { createCell, createNotebook, toIpynb } from '../../src/model/index.ts';
import { runTailor } from '../unit/run-tailor.ts';

const work = mkdtempSync(join(tmpdir(), 'tailor-grade-'));
const welcome = resolve(import.meta.dirname, '../../notebooks/00-welcome.ipynb');

/** Writes a notebook of code cells and returns its path. */
function notebook(name: string, sources: string[]): string {
  const file = join(work, name);
  writeFileSync(file, toIpynb(createNotebook(sources.map((s) => createCell('code', s)))));
  return file;
}

describe('check()', () => {
  it('passes, fails with hints that name what is wrong but never the answer, and records every result', () => {
    resetChecks();
    const secret = 4242;
    const quiet = console.log;
    const lines: string[] = [];
    console.log = (text: string) => lines.push(text);
    try {
      expect(check('right', secret, secret).passed).toBe(true);
      const wrong = check('wrong number', 17, secret);
      const low = check('too low', 0.5, { atLeast: 0.875 });
      const high = check('too high', 3, { between: [1, 2] });
      const typed = check('wrong type', '4242', secret);
      const promise = check('forgot await', Promise.resolve(secret), secret);
      const unset = check('unset', undefined, secret);
      const custom = check('custom', [1, 2], (v) => (v as number[]).length === 3 || 'needs one more item');
      const spec = check('spec hint', 1, { equals: 2, hint: 'look at the loop bounds' });
      for (const r of [wrong, low, high, typed, promise, unset, custom, spec]) {
        expect(r.passed).toBe(false);
        expect(r.hint).toBeTruthy();
        expect(r.hint).not.toMatch(/4242|0\.875|\b2\b/);
      }
      expect(low.hint).toMatch(/too low/);
      expect(typed.hint).toMatch(/expected a number; got a string/);
      expect(promise.hint).toMatch(/await/);
      expect(custom.hint).toBe('needs one more item');
      expect(spec.hint).toBe('look at the loop bounds');
      expect(lines).toEqual(['✓ right', ...checkResults().slice(1).map((r) => `✗ ${r.name}: ${r.hint}`)]);
      expect(checkResults().map((r) => r.passed)).toEqual([true, false, false, false, false, false, false, false, false]);
    } finally {
      console.log = quiet;
    }
  });

  it('throws on a malformed expectation (a programmer mistake), naming the valid rules', () => {
    expect(() => check('x', 1, { atleast: 1 } as never)).toThrow(/unknown rule atleast\. Valid rules: equals, close/);
    expect(() => check('', 1, 1)).toThrow(/needs a name/);
  });

  it('uses the MIME type the protocol names', () => {
    expect(CHECK_MIME).toBe(MIME.check);
  });
});

describe('grading helpers', () => {
  it('finds literal check names in source and reads thresholds as fractions or percentages', () => {
    expect(checkNamesIn("check('a', x, 1);\ncheck(\"b c\", y, {atLeast: 2})\n// check(`d`, z, 3)\ncheck(`e${i}`, w, 1)")).toEqual(['a', 'b c', 'd']);
    expect([parseThreshold('0.8'), parseThreshold('80%'), parseThreshold('1'), parseThreshold('.5')]).toEqual([0.8, 0.8, 1, 0.5]);
    expect([parseThreshold('120%'), parseThreshold('abc'), parseThreshold('-1')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('tailor run --grade', () => {
  it('the welcome notebook as shipped: every check passes, exit 0', { timeout: 120_000 }, async () => {
    const out = join(work, 'welcome.out.ipynb');
    const r = await runTailor(['run', welcome, '--out', out, '--grade']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+\d+ {2}Gauss sum equals the loop +pass$/m);
    expect(r.stdout).toMatch(/^score: 2\/2 checks = 100% \(pass threshold 100%\): passed$/m);
    // The executed notebook records each check in its outputs, where the grader found it.
    const saved = JSON.parse(readFileSync(out, 'utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
    const records = saved.cells.flatMap((c) => (c.outputs ?? []).map((o) => o.data?.[MIME.check]).filter(Boolean));
    expect(records).toEqual([{ name: 'Gauss sum equals the loop', passed: true }, { name: 'the wait really waited', passed: true }]);
  });

  it("a student's wrong answer: the table shows FAIL with the hint; exit 4, or 0 with a lower threshold", { timeout: 120_000 }, async () => {
    const text = readFileSync(welcome, 'utf8');
    expect(text).toContain('const gauss = (40 * (40 + 1)) / 2;');
    const student = join(work, 'student.ipynb');
    writeFileSync(student, text.replace('const gauss = (40 * (40 + 1)) / 2;', 'const gauss = (40 * 40) / 2;'));
    const failing = await runTailor(['run', student, '--out', join(work, 'student.out.ipynb'), '--grade']);
    expect(failing.code).toBe(4);
    expect(failing.stdout).toMatch(/^\s+\d+ {2}Gauss sum equals the loop +FAIL {2}\(not the expected value yet\.\)$/m);
    expect(failing.stdout).toMatch(/^score: 1\/2 checks = 50% \(pass threshold 100%\): below the pass threshold$/m);
    expect(failing.stdout).not.toContain('820');
    const lenient = await runTailor(['run', student, '--out', join(work, 'student2.out.ipynb'), '--grade', '--pass-threshold', '50%']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/^score: 1\/2 checks = 50% \(pass threshold 50%\): passed$/m);
  });

  it('a failing cell costs its own checks (NOT RUN) but later cells still run and count', { timeout: 120_000 }, async () => {
    const file = notebook('broken.ipynb', [
      "import { check } from 'tailor';\ncheck('first', 1 + 1, 2)",
      "const data = JSON.parse('{oops');\ncheck('parsed', data.ok, true);",
      "check('later', 'x'.repeat(3), 'xxx')",
    ]);
    const r = await runTailor(['run', file, '--grade', '--pass-threshold', '0.6']);
    expect(r.stderr).toMatch(/SyntaxError/);
    expect(r.stdout).toMatch(/^\s+2 {2}parsed +NOT RUN {2}\(the cell failed before this check\)$/m);
    expect(r.stdout).toMatch(/^\s+3 {2}later +pass$/m);
    expect(r.stdout).toMatch(/^score: 2\/3 checks = 66\.7% \(pass threshold 60%\): passed$/m);
    expect(r.code).toBe(0);
  });

  it('a notebook without checks cannot pass; bad options exit 2 with the reason', { timeout: 120_000 }, async () => {
    const none = await runTailor(['run', notebook('none.ipynb', ['1 + 1']), '--grade']);
    expect(none.code).toBe(4);
    expect(none.stdout).toMatch(/no checks found/);
    const badThreshold = await runTailor(['run', welcome, '--grade', '--pass-threshold', '150%']);
    expect(badThreshold.code).toBe(2);
    expect(badThreshold.stderr).toMatch(/--pass-threshold needs a fraction 0–1 \(0\.8\) or a percentage \(80%\), got "150%"/);
    const withoutGrade = await runTailor(['run', welcome, '--pass-threshold', '0.5']);
    expect(withoutGrade.code).toBe(2);
    expect(withoutGrade.stderr).toMatch(/--pass-threshold only applies with --grade/);
  });
});
