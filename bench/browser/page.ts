/**
 * The browser bench page: starts one module worker per runner
 * (`runner-worker.ts`) and relays calls from Node (playwright's
 * `page.evaluate`) as `tailorBench.call(workerId, op, args)`.
 */
interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const workers = new Map<number, Worker>();
const pending = new Map<number, Pending>();
let nextId = 1;

function start(): number {
  const worker = new Worker(new URL('./runner-worker.ts', import.meta.url), { type: 'module' });
  const id = nextId++;
  worker.onmessage = (event: MessageEvent) => {
    const { id: callId, value, error } = event.data as { id: number; value?: unknown; error?: string };
    const p = pending.get(callId);
    pending.delete(callId);
    if (error !== undefined) p?.reject(new Error(error));
    else p?.resolve(value);
  };
  worker.onerror = (event) => {
    for (const [key, p] of pending) {
      p.reject(new Error(`worker ${id} failed: ${event.message}`));
      pending.delete(key);
    }
  };
  workers.set(id, worker);
  return id;
}

function call(workerId: number, op: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const worker = workers.get(workerId);
  if (!worker) return Promise.reject(new Error(`no worker ${workerId}`));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, args });
  });
}

function stop(workerId: number): void {
  workers.get(workerId)?.terminate();
  workers.delete(workerId);
}

(globalThis as unknown as { tailorBench: unknown }).tailorBench = { start, call, stop, isolated: globalThis.crossOriginIsolated };
