/**
 * One constructor per message. Each fills the header (fresh `msg_id`, the
 * session, the date, the protocol version) and the channel, so callers only
 * give the content and, for replies and outputs, the request they answer.
 */
import {
  CHANNEL_OF,
  PROTOCOL_VERSION,
  type ContentMap,
  type Header,
  type MessageOf,
  type MessageType,
} from './messages.ts';

export interface MessageOptions {
  /** The request this message answers; its header becomes `parent_header`. */
  parent?: { header: Header };
  session?: string;
  metadata?: Record<string, unknown>;
}

let counter = 0;
const defaultSession = randomId();

function randomId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
}

/** Builds any message from its type and content. */
export function makeMessage<T extends MessageType>(
  msgType: T,
  content: ContentMap[T],
  options: MessageOptions = {},
): MessageOf<T> {
  const parentHeader = options.parent?.header;
  const header: Header<T> = {
    msg_id: `${randomId()}_${++counter}`,
    msg_type: msgType,
    session: options.session ?? parentHeader?.session ?? defaultSession,
    username: 'tailor',
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
  return {
    header,
    parent_header: parentHeader ?? {},
    metadata: options.metadata ?? {},
    content,
    channel: CHANNEL_OF[msgType],
  } as unknown as MessageOf<T>;
}

type Opts = MessageOptions;

export const executeRequest = (code: string, o: Opts & Partial<ContentMap['execute_request']> = {}) =>
  makeMessage(
    'execute_request',
    {
      code,
      silent: o.silent ?? false,
      store_history: o.store_history ?? true,
      user_expressions: o.user_expressions ?? {},
      allow_stdin: o.allow_stdin ?? true,
      stop_on_error: o.stop_on_error ?? true,
    },
    o,
  );
export const executeReply = (content: ContentMap['execute_reply'], o: Opts = {}) => makeMessage('execute_reply', content, o);
export const statusMessage = (execution_state: ContentMap['status']['execution_state'], o: Opts = {}) =>
  makeMessage('status', { execution_state }, o);
export const streamMessage = (name: ContentMap['stream']['name'], text: string, o: Opts = {}) =>
  makeMessage('stream', { name, text }, o);
export const displayData = (content: ContentMap['display_data'], o: Opts = {}) => makeMessage('display_data', content, o);
export const updateDisplayData = (content: ContentMap['update_display_data'], o: Opts = {}) =>
  makeMessage('update_display_data', content, o);
export const executeResult = (content: ContentMap['execute_result'], o: Opts = {}) => makeMessage('execute_result', content, o);
export const errorMessage = (content: ContentMap['error'], o: Opts = {}) => makeMessage('error', content, o);
export const clearOutput = (wait: boolean, o: Opts = {}) => makeMessage('clear_output', { wait }, o);
export const interruptRequest = (o: Opts = {}) => makeMessage('interrupt_request', {}, o);
export const interruptReply = (status: ContentMap['interrupt_reply']['status'], o: Opts = {}) =>
  makeMessage('interrupt_reply', { status }, o);
export const kernelInfoRequest = (o: Opts = {}) => makeMessage('kernel_info_request', {}, o);
export const kernelInfoReply = (content: ContentMap['kernel_info_reply'], o: Opts = {}) =>
  makeMessage('kernel_info_reply', content, o);
export const inputRequest = (content: ContentMap['input_request'], o: Opts = {}) => makeMessage('input_request', content, o);
export const inputReply = (content: ContentMap['input_reply'], o: Opts = {}) => makeMessage('input_reply', content, o);
export const completeRequest = (code: string, cursor_pos: number, o: Opts = {}) =>
  makeMessage('complete_request', { code, cursor_pos }, o);
export const completeReply = (content: ContentMap['complete_reply'], o: Opts = {}) => makeMessage('complete_reply', content, o);
