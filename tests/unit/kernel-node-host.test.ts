/**
 * The Node kernel (a worker thread behind startNodeKernel): executes cells,
 * reports errors nobody awaited in the cell, refuses process.exit, and
 * interrupts — cooperatively for cells that await or check `signal`, by
 * force (terminate, fresh worker, state lost) for a `while (true) {}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeKernel, type ExecuteOutcome, type NodeKernel } from '../../kernels/host/node-kernel.ts';
import { executeRequest, isError, isExecuteResult, isStatus, isStream, type KernelMessage } from '../../kernels/protocol/index.ts';

let kernel: NodeKernel;
beforeAll(async () => {
  kernel = await startNodeKernel({ interruptGraceMs: 1500, settleGraceMs: 3000 });
});
afterAll(async () => kernel?.shutdown());

const result = (o: ExecuteOutcome) => o.messages.filter(isExecuteResult).map((m) => m.content.data['text/plain'])[0];
const errors = (o: ExecuteOutcome) => o.messages.filter(isError).map((m) => m.content);

describe('Node kernel host', () => {
  it('runs cells in one scope on the wasm backend, with Jupyter message order', async () => {
    await kernel.execute('const n = 21;');
    const o = await kernel.execute('console.log("hi");\n[n * 2, tf.getBackend()]');
    expect(result(o)).toBe("[ 42, 'wasm' ]");
    expect(o.messages.map((m) => m.header.msg_type)).toEqual(['status', 'stream', 'execute_result', 'execute_reply', 'status']);
  });

  it('an unhandled rejection and a throw in a timer are errors of the running cell', async () => {
    const o = await kernel.execute('Promise.reject(new Error("nobody awaits me"));\nsetTimeout(() => { throw new Error("from a timer"); }, 5);\nawait new Promise((r) => setTimeout(r, 30));');
    expect(o.reply.status).toBe('error');
    expect(errors(o).map((e) => e.evalue)).toEqual(['nobody awaits me', 'from a timer']);
    expect(errors(o)[0].traceback.join('\n')).toMatch(/Cell In\[\d+\], line 1:/);
    expect(result(await kernel.execute('n'))).toBe('21');
  });

  it('process.exit() from a cell is an error, not a dead kernel', async () => {
    const o = await kernel.execute('process.exit(1)');
    expect(errors(o)[0].evalue).toMatch(/process\.exit\(1\) would stop the kernel/);
    expect(result(await kernel.execute('n'))).toBe('21');
  });

  it('interrupt is cooperative for a cell that checks signal (partial work kept) and for one that never resolves', async () => {
    const loop = kernel.execute('let done = 0;\nwhile (!signal.aborted) { done++; await new Promise((r) => setTimeout(r, 5)); }\nconsole.log("stopped");');
    await new Promise((r) => setTimeout(r, 200));
    expect(await kernel.interrupt()).toBe('interrupted');
    const o = await loop;
    expect(o.restarted).toBe(false);
    expect(o.messages.filter(isStream).map((m) => m.content.text)).toEqual(['stopped\n']);
    expect(Number(result(await kernel.execute('done')))).toBeGreaterThan(0);

    const hang = kernel.execute('await new Promise(() => {});');
    await new Promise((r) => setTimeout(r, 100));
    expect(await kernel.interrupt()).toBe('interrupted');
    const h = await hang;
    expect(errors(h)[0].ename).toBe('Interrupted');
    expect(result(await kernel.execute('n'))).toBe('21');
  });

  it('a cell that never yields is stopped by force: dead → starting → idle, fresh kernel, state lost', async () => {
    const states: string[] = [];
    const off = kernel.onMessage((m: KernelMessage) => {
      if (isStatus(m)) states.push(m.content.execution_state);
    });
    const o = await kernel.execute('while (true) {}', { timeoutMs: 200 });
    off();
    expect(o.timedOut).toBe(true);
    expect(o.restarted).toBe(true);
    expect(errors(o)[0].ename).toBe('KernelRestarted');
    expect(errors(o)[0].evalue).toMatch(/state was lost/);
    expect(states.slice(states.indexOf('dead'))).toEqual(['dead', 'starting', 'idle']);
    const after = await kernel.execute('typeof n');
    expect(result(after)).toBe("'undefined'");
    expect(after.reply.execution_count).toBe(1);
  });

  it('a malformed message is answered with an error naming the field', async () => {
    const seen: KernelMessage[] = [];
    const off = kernel.onMessage((m) => seen.push(m));
    const bad = executeRequest('1') as unknown as { content: Record<string, unknown> };
    bad.content.code = 42;
    // Sent through the worker boundary like any message from the page.
    kernel.post(bad);
    await new Promise((r) => setTimeout(r, 200));
    off();
    const e = seen.filter(isError)[0];
    expect(e.content.evalue).toMatch(/content\.code must be a string, got number/);
  });
});
