/**
 * Drives a kernel runtime in-process for tests: `run(code)` sends an
 * `execute_request` and resolves with every message of that execution
 * (up to its `status: idle`), plus shortcuts to the reply and outputs.
 */
import { executeRequest, interruptRequest, isStatus, isStream, validateMessage, type KernelMessage, type MessageOf } from '../../kernels/protocol/index.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../kernels/runtime/index.ts';

export interface CellRun {
  messages: KernelMessage[];
  reply: MessageOf<'execute_reply'>['content'];
  /** Output messages (stream, display_data, update_display_data, execute_result, error, clear_output). */
  outputs: KernelMessage[];
  /** All stream text of one name, concatenated. */
  text(name?: 'stdout' | 'stderr'): string;
}

const OUTPUT_TYPES = new Set(['stream', 'display_data', 'update_display_data', 'execute_result', 'error', 'clear_output']);

export interface RuntimeSession {
  runtime: Runtime;
  run(code: string, options?: { stop_on_error?: boolean }): Promise<CellRun>;
  /** Starts a cell and returns its request id plus a promise of its run. */
  start(code: string): { done: Promise<CellRun> };
  interrupt(): void;
  /** Every message sent so far, validated. */
  all: KernelMessage[];
  dispose(): void;
}

export async function startSession(options: Partial<RuntimeOptions> = {}): Promise<RuntimeSession> {
  const all: KernelMessage[] = [];
  const waiters = new Map<string, (run: CellRun) => void>();
  const runtime = createRuntime({
    ...options,
    send(message) {
      const checked = validateMessage(JSON.parse(JSON.stringify(message)));
      if (!checked.ok) throw new Error(checked.error);
      all.push(message);
      const parentId = (message.parent_header as { msg_id?: string }).msg_id;
      if (isStatus(message) && message.content.execution_state === 'idle' && parentId && waiters.has(parentId)) {
        const messages = all.filter((m) => (m.parent_header as { msg_id?: string }).msg_id === parentId);
        const reply = messages.find((m) => m.header.msg_type === 'execute_reply') as MessageOf<'execute_reply'>;
        const outputs = messages.filter((m) => OUTPUT_TYPES.has(m.header.msg_type));
        const text = (name = 'stdout') =>
          outputs.map((m) => (isStream(m) && m.content.name === name ? m.content.text : '')).join('');
        waiters.get(parentId)!({ messages, reply: reply.content, outputs, text });
        waiters.delete(parentId);
      }
    },
  });
  await runtime.ready;
  const start = (code: string, o: { stop_on_error?: boolean } = {}) => {
    const request = executeRequest(code, { stop_on_error: o.stop_on_error ?? false });
    const done = new Promise<CellRun>((resolve) => waiters.set(request.header.msg_id, resolve));
    runtime.handle(request);
    return { done };
  };
  return {
    runtime,
    all,
    start,
    run: (code, o) => start(code, o).done,
    interrupt: () => runtime.handle(interruptRequest()),
    dispose: () => runtime.dispose(),
  };
}
