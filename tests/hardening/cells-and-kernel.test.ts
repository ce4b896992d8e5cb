/**
 * Hardening — cells and kernel: faults in a cell's code, runaway cells and
 * kernel restarts, driven through the real Node kernel (a worker thread, as
 * `tailor run` uses) and the real `tailor` command. Each case asserts what
 * the learner sees (the cell's error or output, the CLI's stderr and exit
 * code) and that the kernel answers the next cell. docs/robustness.md lists
 * the same cases.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeKernel, type ExecuteOutcome, type NodeKernel } from '../../kernels/host/node-kernel.ts';
import { isError, isExecuteResult, isStream } from '../../kernels/protocol/index.ts';
import { assetsRoot } from '../support/transfer-env.ts';
import { runTailor } from '../unit/run-tailor.ts';

let kernel: NodeKernel;

beforeAll(async () => {
  // The kernel's worker inherits these: weights and photos from the shared assets, a private feature cache.
  process.env.TAILOR_PUBLIC_DIR = assetsRoot();
  process.env.TAILOR_CACHE_DIR = mkdtempSync(join(tmpdir(), 'tailor-hardening-cache-'));
  kernel = await startNodeKernel({ interruptGraceMs: 1500, settleGraceMs: 3000 });
});
afterAll(async () => kernel?.shutdown());

const errorsOf = (o: ExecuteOutcome) => o.messages.filter(isError).map((m) => m.content);
const resultOf = (o: ExecuteOutcome) => o.messages.filter(isExecuteResult).map((m) => m.content.data['text/plain'])[0];
const stdoutOf = (o: ExecuteOutcome) => o.messages.filter(isStream).filter((m) => m.content.name === 'stdout').map((m) => m.content.text).join('');
const stderrOf = (o: ExecuteOutcome) => o.messages.filter(isStream).filter((m) => m.content.name === 'stderr').map((m) => m.content.text).join('');

/** Resolves once a message of the running cell makes `test` true. */
function waitForOutput(test: (text: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const off = kernel.onMessage((m) => {
      if (isStream(m)) seen += m.content.text;
      if (test(seen)) {
        off();
        resolve();
      }
    });
  });
}

/** The kernel still runs cells (and keeps `name` when given). */
async function expectAlive(): Promise<void> {
  const o = await kernel.execute('6 * 7');
  expect(resultOf(o)).toBe('42');
}

interface KernelCase {
  name: string;
  /** The message the learner reads in the cell's error output (ename: evalue). */
  sees: RegExp;
  run(): Promise<ExecuteOutcome>;
  /** Further checks of the outcome. */
  also?(o: ExecuteOutcome): Promise<void> | void;
}

const cases: KernelCase[] = [
  {
    name: 'syntax error: line, column and a caret; the cell does not run',
    sees: /^SyntaxError: Unexpected token/,
    run: () => kernel.execute('const ok = 1;\nconst x = ;'),
    also: (o) => expect(errorsOf(o)[0].traceback.join('\n')).toMatch(/Cell In\[\d+\], line 2:11\n {4}const x = ;\n {14}\^/),
  },
  {
    name: 'runtime error: the cell line it came from',
    sees: /^TypeError: Cannot read properties of undefined \(reading 'name'\)/,
    run: () => kernel.execute('const user: any = undefined;\nuser.name'),
    also: (o) => expect(errorsOf(o)[0].traceback.join('\n')).toMatch(/at Cell In\[\d+\], line 2:\d+\n {6}user\.name/),
  },
  {
    name: 'unhandled rejection: reported in the cell that caused it',
    sees: /^Error: nobody awaited this/,
    run: () => kernel.execute('Promise.reject(new Error("nobody awaited this"));\nawait new Promise((r) => setTimeout(r, 20));'),
  },
  {
    name: 'deep recursion: a RangeError with the recursing line, not a crash',
    sees: /^RangeError: Maximum call stack size exceeded/,
    run: () => kernel.execute('function down(n: number): number { return down(n + 1) + 1; }\ndown(0)'),
    also: (o) => expect(errorsOf(o)[0].traceback.join('\n')).toMatch(/at down \(Cell In\[\d+\], line 1:\d+\)/),
  },
  {
    name: 'a 20 GB tensor: out of memory, how much was asked, what to do',
    sees: /Out of memory: the cell asked for a tensor or array of 5,000,000,000 values \(18\.6 GB as float32\).*Dispose tensors you no longer need/,
    run: () => kernel.execute('const huge = tf.zeros([100000, 50000]);'),
  },
  {
    name: 'filling the wasm heap: a clear OutOfMemoryError and the tensors already made are intact',
    sees: /^OutOfMemoryError: Out of memory: TensorFlow\.js could not allocate 2\.2 GB for a tensor .*2\.0 GB is in use.*Dispose tensors/,
    run: async () => {
      await kernel.execute('const keep = tf.tensor1d([1, 2, 3]);\nconst first = tf.zeros([25000, 21475]);');
      return kernel.execute('const second = tf.zeros([30000, 20000]);');
    },
    also: async () => {
      // Before the guard, the failed malloc wrote over the heap and every later tensor failed.
      expect(resultOf(await kernel.execute('first.dispose();\nArray.from(keep.add(1).dataSync())'))).toBe('[ 2, 3, 4 ]');
    },
  },
  {
    name: 'process.exit() from a cell: refused, the kernel keeps its variables',
    sees: /^Error: process\.exit\(1\) would stop the kernel and lose every variable\. Use the notebook's Restart instead\./,
    run: () => kernel.execute('const kept = "still here";\nprocess.exit(1)'),
    also: async () => expect(resultOf(await kernel.execute('kept'))).toBe("'still here'"),
  },
  {
    name: 'close() from a cell: refused the same way',
    sees: /^Error: close\(\) would stop the kernel and lose every variable\. Use the notebook's Restart instead\./,
    run: () => kernel.execute('close()'),
  },
  {
    name: 'while (true) {}: interrupted by force, the kernel restarts and says state was lost',
    sees: /^KernelRestarted: The cell did not stop within 2 s of the interrupt\. The kernel was restarted and its state was lost: every variable is gone\. Run the cells above again\./,
    run: () => kernel.execute('while (true) {}', { timeoutMs: 300 }),
    also: (o) => {
      expect(o.restarted).toBe(true);
      expect(o.timedOut).toBe(true);
    },
  },
  {
    name: 'a cell that never resolves: Interrupt ends it cooperatively, variables kept',
    sees: /^Interrupted: The cell was interrupted\./,
    run: async () => {
      await kernel.execute('const before = 5;');
      const hang = kernel.execute('await new Promise(() => {});');
      await new Promise((r) => setTimeout(r, 200));
      expect(await kernel.interrupt()).toBe('interrupted');
      return hang;
    },
    also: async (o) => {
      expect(o.restarted).toBe(false);
      expect(resultOf(await kernel.execute('before'))).toBe('5');
    },
  },
  {
    name: 'restart while busy: the running cell is told its state was lost; the next cell runs',
    sees: /^KernelRestarted: Restart requested\. The kernel was restarted and its state was lost/,
    run: async () => {
      const busy = kernel.execute('const gone = 1;\nawait new Promise((r) => setTimeout(r, 60_000));');
      await new Promise((r) => setTimeout(r, 200));
      await kernel.restart();
      return busy;
    },
    also: async () => expect(resultOf(await kernel.execute('typeof gone'))).toBe("'undefined'"),
  },
  {
    name: '100,000 console.log lines: 10,000 kept in a few messages, then one truncation notice',
    sees: /^$/,
    run: () => kernel.execute('for (let i = 0; i < 100_000; i++) console.log("line", i);'),
    also: (o) => {
      const out = stdoutOf(o);
      expect(out.split('\n').length - 1).toBe(10_000);
      expect(out.endsWith('line 9999\n')).toBe(true);
      expect(stderrOf(o)).toBe('[output truncated: this cell wrote more than 10,000 lines or 1 MB; the rest is not shown]\n');
      // Coalesced: a handful of stream messages, not one per line (the page stays responsive).
      expect(o.messages.filter(isStream).length).toBeLessThan(20);
    },
  },
  {
    name: 'interrupt during feature extraction: the rows done so far are kept',
    // The cell ends at the next batch; when that takes longer than the runtime's 1 s grace (a loaded
    // machine), the cell is reported Interrupted first and finishes its assignment just after.
    sees: /^(|Interrupted: The cell was interrupted\.)$/,
    run: async () => {
      const started = waitForOutput((t) => t.includes('batch 2 done'));
      const cell = kernel.execute(
        [
          'import { loadBackbone, loadImageFolder, extractFeatures } from "tailor";',
          'const net = await loadBackbone("mobilenet_v1_0.25_224");',
          'const ds = await loadImageFolder("hymenoptera_data", { verify: false });',
          'const feats = await extractFeatures(net, ds.train, { signal, cache: false, batchSize: 8, onProgress: (p) => console.log(`batch ${p.done / 8} done`) });',
          'console.log(`kept ${feats.x.length / feats.dim} of ${ds.train.items.length} rows; aborted: ${feats.aborted}`);',
        ].join('\n'),
      );
      await started;
      expect(await kernel.interrupt()).toBe('interrupted');
      return cell;
    },
    also: async () => {
      let kept = '';
      await expect
        .poll(async () => (kept = String(resultOf(await kernel.execute('typeof feats === "undefined" ? "not yet" : [feats.aborted, feats.items.length, feats.x.length / feats.dim, ds.train.items.length]')))), { timeout: 20_000 })
        .not.toBe("'not yet'");
      const [aborted, items, rows, total] = kept.replace(/[[\]\s]/g, '').split(',');
      expect(aborted).toBe('true');
      expect(Number(rows)).toBe(Number(items));
      expect(Number(rows)).toBeGreaterThanOrEqual(16);
      expect(Number(rows)).toBeLessThan(Number(total));
    },
  },
  {
    name: 'interrupt during training: the head keeps its best weights and its history so far',
    sees: /^$/,
    run: async () => {
      const started = waitForOutput((t) => t.includes('epoch 3'));
      const cell = kernel.execute(
        [
          'import { trainHead } from "tailor";',
          'const dim = 16, n = 200;',
          'const x = Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 12.9898) + (Math.floor(i / dim) % 2) * 0.5);',
          'const labels = Int32Array.from({ length: n }, (_, i) => i % 2);',
          'const rows = { x, dim, labels, classes: ["a", "b"], items: Array.from(labels, (label, i) => ({ path: `row${i}`, label })) };',
          'const head = await trainHead(rows, { solver: "adam", epochs: 100_000, signal, onEpoch: (log) => console.log(`epoch ${log.epoch}`) });',
          'console.log(`stopped: ${head.stopReason} after ${head.history.length} epochs`);',
        ].join('\n'),
      );
      await started;
      expect(await kernel.interrupt()).toBe('interrupted');
      return cell;
    },
    also: async (o) => {
      expect(stdoutOf(o)).toMatch(/stopped: aborted after \d+ epochs/);
      const predicted = await kernel.execute('(await head.predict(rows)).length');
      expect(resultOf(predicted)).toBe('200');
    },
  },
];

describe('hardening: cells and kernel', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const o = await c.run();
      const shown = errorsOf(o).map((e) => `${e.ename}: ${e.evalue}`)[0] ?? '';
      expect(shown).toMatch(c.sees);
      await c.also?.(o);
      await expectAlive();
    });
  }

  it('tailor run --timeout-per-cell: a cell that never resolves exits 3 and says which cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailor-hardening-run-'));
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'tailor', display_name: 'TypeScript (Tailor)', language: 'typescript' } },
      cells: [
        { id: 'first', cell_type: 'code', source: 'const a = 1;', metadata: {}, outputs: [], execution_count: null },
        { id: 'forever', cell_type: 'code', source: 'await new Promise(() => {});', metadata: {}, outputs: [], execution_count: null },
      ],
    };
    writeFileSync(join(dir, 'hang.ipynb'), JSON.stringify(notebook));
    const r = await runTailor(['run', join(dir, 'hang.ipynb'), '--timeout-per-cell', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('tailor run: cell 2 (id forever) timed out after 1 s');
    expect(r.stdout).toContain(`wrote ${join(dir, 'hang.out.ipynb')}`);
  });
});
