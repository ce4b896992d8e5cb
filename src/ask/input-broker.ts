/**
 * Connects the kernel's `input_request`s (`ask.files`, `ask.webcam`) to the
 * widgets drawn in the cell's output. The kernel shows an output
 * `{id, kind, …}` (drawn by `tailor-ask-files` / `tailor-ask-webcam`) and
 * sends an `input_request` whose `options.id` is the same `id`; the broker
 * holds that request until the widget with that id replies.
 *
 * The broker reaches the widgets by context (`inputBrokerContext`), provided
 * on the notebook element that owns the kernel.
 */
import { ContextProvider, createContext } from '@lit/context';
import type { ReactiveControllerHost } from 'lit';
import type { InputReplyContent } from '../kernel-client/index.ts';
import type { MessageOf } from '../../kernels/protocol/index.ts';

export const inputBrokerContext = createContext<InputBroker>(Symbol('tailor-input-broker'));

export class InputBroker {
  private readonly pending = new Map<string, (content: InputReplyContent) => void>();
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Provides the broker by context on `host` when it is an element (the notebook view). */
  constructor(host?: ReactiveControllerHost) {
    if (typeof HTMLElement !== 'undefined' && host instanceof HTMLElement) {
      new ContextProvider(host as HTMLElement & ReactiveControllerHost, { context: inputBrokerContext, initialValue: this });
    }
  }

  /** The kernel client's `onInput`: resolves when the widget for this request replies. */
  answer(request: MessageOf<'input_request'>): Promise<InputReplyContent> {
    const { kind, options } = request.content;
    const id = options.id;
    if (kind === 'text' || typeof id !== 'string') {
      return Promise.resolve({ value: '', error: `This page cannot answer ${kind === 'text' ? 'input() text prompts' : `a "${kind}" request without an id`} yet.` });
    }
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      for (const wake of this.waiters.get(id) ?? []) wake();
      this.waiters.delete(id);
    });
  }

  /** True while the kernel waits for the widget `id`. */
  isWaiting(id: string): boolean {
    return this.pending.has(id);
  }

  /** Resolves once the kernel waits for `id` (at once when it already does). */
  whenWaiting(id: string): Promise<void> {
    if (this.pending.has(id)) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set();
      set.add(resolve);
      this.waiters.set(id, set);
    });
  }

  /** Sends a widget's answer; false when nobody waits for it any more (the cell ended, the kernel restarted). */
  reply(id: string, content: InputReplyContent): boolean {
    const resolve = this.pending.get(id);
    if (!resolve) return false;
    this.pending.delete(id);
    resolve(content);
    return true;
  }

  /** Ends every wait with `reason` (the kernel is being restarted). */
  cancelAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.reply(id, { value: '', error: reason });
  }
}
