/**
 * Runtime semantics as a table: each case runs its cells in order in one
 * in-process runtime (one notebook scope per table) and checks the last
 * cell's reply and outputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError, isExecuteResult, type KernelMessage } from '../../kernels/protocol/index.ts';
import { startSession, type CellRun, type RuntimeSession } from '../support/runtime-session.ts';

let session: RuntimeSession;
beforeAll(async () => {
  session = await startSession();
});
afterAll(() => session.dispose());

const result = (run: CellRun) => {
  const r = run.outputs.find(isExecuteResult);
  return r ? (r.content.data['text/plain'] as string) : undefined;
};
const error = (run: CellRun) => run.outputs.find(isError)?.content;

interface Case {
  name: string;
  cells: string[];
  check: (last: CellRun, all: CellRun[]) => void;
}

const CASES: Case[] = [
  {
    name: 'declarations persist across cells',
    cells: ['const base: number = 20;\nlet step = 1;\nvar extra = 1;', 'base + step + extra'],
    check: (last) => expect(result(last)).toBe('22'),
  },
  {
    name: 're-running a cell re-declares without "already declared"',
    cells: ['const again = 1;', 'const again = 2;', 'let again2 = 1; let again2b = again2;', 'again'],
    check: (last, all) => {
      expect(all.map((r) => r.reply.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(result(last)).toBe('2');
    },
  },
  {
    name: 'shadowing: locals inside functions and blocks do not leak into the scope',
    cells: ['const shade = "outer";', 'function readShade() { const shade = "inner"; return shade; }\n{ const shade = "block"; }\n[readShade(), shade]'],
    check: (last) => expect(result(last)).toBe("[ 'inner', 'outer' ]"),
  },
  {
    name: 'closures from earlier cells see later assignments (one scope, not copies)',
    cells: ['let counter = 0;\nconst bump = () => ++counter;', 'bump(); bump();', 'counter'],
    check: (last) => expect(result(last)).toBe('2'),
  },
  {
    name: 'functions are hoisted and classes are shared; a redefinition is seen by earlier callers',
    cells: [
      'twice(2);\nfunction twice(n: number): number { return helper(n) * 2; }\nfunction helper(n: number) { return n; }',
      'class Point { constructor(public x: number, public y: number) {} norm() { return Math.hypot(this.x, this.y); } }',
      'function helper(n: number) { return n + 1; }',
      '[new Point(3, 4).norm(), twice(2), twice.name]',
    ],
    check: (last) => expect(result(last)).toBe("[ 5, 6, 'twice' ]"),
  },
  {
    name: 'destructuring declarations',
    cells: ['const { a: first, b: [second, ...rest] } = { a: 1, b: [2, 3, 4] };', '[first, second, rest]'],
    check: (last) => expect(result(last)).toBe('[ 1, 2, [ 3, 4 ] ]'),
  },
  {
    name: 'top-level await',
    cells: ['const later = await new Promise<number>((r) => setTimeout(() => r(7), 5));\nlater * 6'],
    check: (last) => expect(result(last)).toBe('42'),
  },
  {
    name: 'a trailing expression is the result; a trailing statement gives none',
    cells: ['const v = 3;\nv * 2', 'let w = 5;', '({ w })'],
    check: (last, all) => {
      expect(result(all[0])).toBe('6');
      expect(result(all[1])).toBeUndefined();
      expect(result(last)).toBe('{ w: 5 }');
    },
  },
  {
    name: 'execution_count increments per execution',
    cells: ['1', '2'],
    check: (last, all) => expect(last.reply.execution_count).toBe(all[0].reply.execution_count + 1),
  },
  {
    name: 'a thrown error: traceback names the cell lines',
    cells: ['const ok = 1;\nfunction explode(x: number): never {\n  throw new TypeError(`bad ${x}`);\n}\nexplode(ok);'],
    check: (last) => {
      expect(last.reply.status).toBe('error');
      const e = error(last)!;
      expect([e.ename, e.evalue]).toEqual(['TypeError', 'bad 1']);
      expect(e.traceback.join('\n')).toMatch(/at explode \(Cell In\[\d+\], line 3:/);
      expect(e.traceback.join('\n')).toMatch(/at Cell In\[\d+\], line 5:/);
    },
  },
  {
    name: 'type annotations do not shift lines',
    cells: ['interface Row {\n  a: number;\n  b: string;\n}\ntype Id = string;\nconst r: Row = { a: 1, b: "x" };\nnull!.boom;'],
    check: (last) => expect(error(last)!.traceback.join('\n')).toMatch(/line 7:/),
  },
  {
    name: 'an awaited rejection is the cell error',
    cells: ['async function fails() { await null; throw new Error("async boom"); }\nawait fails();'],
    check: (last) => expect(error(last)).toMatchObject({ ename: 'Error', evalue: 'async boom' }),
  },
  {
    name: 'a thrown non-Error value',
    cells: ['throw "plain"'],
    check: (last) => expect(error(last)).toMatchObject({ ename: 'Uncaught', evalue: "'plain'" }),
  },
  {
    name: 'syntax error: line and caret, nothing runs',
    cells: ['let untouched = 1;', 'untouched = 2;\nconst = 5;'],
    check: (last) => {
      const e = error(last)!;
      expect(e.ename).toBe('SyntaxError');
      expect(e.traceback.join('\n')).toMatch(/line 2:/);
    },
  },
  {
    name: 'deep recursion is a RangeError, the kernel carries on',
    cells: ['function down(n: number): number { return down(n + 1) + 1; }\ndown(0);'],
    check: (last) => expect(error(last)).toMatchObject({ ename: 'RangeError' }),
  },
  {
    name: 'console output in order with other outputs',
    cells: ['console.log("one", [2, 4, 6]);\nconsole.error("two");\ndisplay("three");\nconsole.info({ four: 4 });\n"five"'],
    check: (last) => {
      const seen = last.outputs.map((m: KernelMessage) => {
        const c = m.content as { text?: string; data?: Record<string, string> };
        return c.text ?? c.data?.['text/plain'];
      });
      expect(seen).toEqual(["one [ 2, 4, 6 ]\n", 'two\n', "'three'", '{ four: 4 }\n', "'five'"]);
    },
  },
  {
    name: 'imports of the module table work in any cell',
    cells: ["import * as tf from '@tensorflow/tfjs';\nimport { plot, dot } from '@observablehq/plot';\nimport * as tailor from 'tailor';", '[typeof tf.tensor, typeof plot, typeof dot, typeof tailor]'],
    check: (last) => expect(result(last)).toBe("[ 'function', 'function', 'function', 'object' ]"),
  },
  {
    name: 'unknown import: the error lists the available modules',
    cells: ["import _ from 'lodash';"],
    check: (last) => {
      const e = error(last)!;
      expect(e.evalue).toContain("Cannot find module 'lodash'");
      expect(e.evalue).toContain('@tensorflow/tfjs, @observablehq/plot, tailor');
    },
  },
  {
    name: 'a reserved global cannot be declared',
    cells: ['const console = 1;'],
    check: (last) => expect(error(last)!.evalue).toContain("'console' cannot be declared"),
  },
];

describe('runtime semantics', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const runs: CellRun[] = [];
      for (const code of c.cells) runs.push(await session.run(code));
      c.check(runs[runs.length - 1], runs);
    });
  }

  it('numTensors is unchanged after a cell that creates and disposes tensors', async () => {
    const before = await session.run('tf.memory().numTensors');
    const made = await session.run('const big = tf.randomNormal([64, 64]);\nconst s = tf.tidy(() => big.matMul(big).sum());\ns.dataSync();\nbig.dispose(); s.dispose();');
    expect(made.reply.status).toBe('ok');
    const after = await session.run('tf.memory().numTensors');
    expect(result(after)).toBe(result(before));
  });

  it('keeps the sources of the last 256 cells for tracebacks, not of every cell ever run', async () => {
    await session.run('function oldExplode(): never {\n  throw new Error("old");\n}');
    await session.run('function recentExplode(): never {\n  throw new Error("recent");\n}');
    const recent = error(await session.run('recentExplode();'))!.traceback.join('\n');
    expect(recent).toMatch(/at recentExplode \(Cell In\[\d+\], line 2:/);
    for (let i = 0; i < 256; i++) await session.run(`${i};`);
    const old = error(await session.run('oldExplode();'))!.traceback.join('\n');
    expect(old).not.toMatch(/at oldExplode \(Cell In/);
    expect(old).toMatch(/at oldExplode \(tailor-cell-\d+\.ts:2:/);
  });

  it('the execution\'s AbortSignal is a global while it runs', async () => {
    const run = await session.run('[signal instanceof AbortSignal, signal.aborted]');
    expect(result(run)).toBe('[ true, false ]');
  });
});
