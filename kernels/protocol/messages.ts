/**
 * Kernel messages, with Jupyter's names and shapes (messaging spec 5.3):
 * `header`, `parent_header`, `metadata`, `content`, plus the `channel` the
 * message travels on. One content type per message; `KernelMessage` is the
 * discriminated union of all of them, keyed by `header.msg_type`.
 */
import type { MimeBundle } from './mime.ts';

export const PROTOCOL_VERSION = '5.3';

export type Channel = 'shell' | 'iopub' | 'control' | 'stdin';
export type ExecutionState = 'busy' | 'idle' | 'starting' | 'dead';
export type StreamName = 'stdout' | 'stderr';

export interface Header<T extends MessageType = MessageType> {
  msg_id: string;
  msg_type: T;
  session: string;
  username: string;
  /** ISO 8601 timestamp. */
  date: string;
  version: string;
}

/** The content of each message type. */
export interface ContentMap {
  execute_request: {
    code: string;
    silent: boolean;
    store_history: boolean;
    user_expressions: Record<string, string>;
    allow_stdin: boolean;
    stop_on_error: boolean;
  };
  execute_reply:
    | { status: 'ok'; execution_count: number; user_expressions: Record<string, unknown> }
    | { status: 'error'; execution_count: number; ename: string; evalue: string; traceback: string[] }
    | { status: 'aborted'; execution_count: number };
  status: { execution_state: ExecutionState };
  stream: { name: StreamName; text: string };
  display_data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } };
  update_display_data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id: string } };
  execute_result: { execution_count: number; data: MimeBundle; metadata: Record<string, unknown> };
  error: { ename: string; evalue: string; traceback: string[] };
  clear_output: { wait: boolean };
  interrupt_request: Record<string, never>;
  interrupt_reply: { status: 'ok' | 'error' };
  kernel_info_request: Record<string, never>;
  kernel_info_reply: {
    status: 'ok';
    protocol_version: string;
    implementation: string;
    implementation_version: string;
    language_info: { name: string; version: string; mimetype: string; file_extension: string };
    banner: string;
    /** Tailor extension: the TensorFlow.js backend in use (`wasm`, `webgl`, …). */
    backend: string;
  };
  /**
   * Asks the page for something only it can do. Jupyter's `prompt`/`password`
   * are kept; `kind` says what is asked (`text`, `files`, `webcam`) and
   * `options` carries its settings.
   */
  input_request: { prompt: string; password: boolean; kind: InputKind; options: Record<string, unknown> };
  /** `value` is the text answer; `payload` carries files or frames; `error` says why nothing came. */
  input_reply: { value: string; payload?: unknown; error?: string };
  complete_request: { code: string; cursor_pos: number };
  complete_reply: {
    status: 'ok';
    matches: string[];
    cursor_start: number;
    cursor_end: number;
    metadata: Record<string, unknown>;
  };
}

export type InputKind = 'text' | 'files' | 'webcam';
export type MessageType = keyof ContentMap;

export interface Message<T extends MessageType = MessageType> {
  header: Header<T>;
  /** The header of the request this message answers, or `{}`. */
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: ContentMap[T];
  channel: Channel;
}

/** Any kernel message, discriminated by `header.msg_type`. */
export type KernelMessage = { [T in MessageType]: Message<T> }[MessageType];

/** The channel each message type travels on. */
export const CHANNEL_OF: { readonly [T in MessageType]: Channel } = {
  execute_request: 'shell',
  execute_reply: 'shell',
  status: 'iopub',
  stream: 'iopub',
  display_data: 'iopub',
  update_display_data: 'iopub',
  execute_result: 'iopub',
  error: 'iopub',
  clear_output: 'iopub',
  interrupt_request: 'control',
  interrupt_reply: 'control',
  kernel_info_request: 'shell',
  kernel_info_reply: 'shell',
  input_request: 'stdin',
  input_reply: 'stdin',
  complete_request: 'shell',
  complete_reply: 'shell',
};

export const MESSAGE_TYPES = Object.keys(CHANNEL_OF) as MessageType[];

/** The messages that carry a cell output (they map one-to-one to `.ipynb` outputs). */
export type OutputMessage = MessageOf<OutputMessageType>;
export type OutputMessageType = 'stream' | 'display_data' | 'update_display_data' | 'execute_result' | 'error' | 'clear_output';

/** The member of `KernelMessage` for one or several message types. */
export type MessageOf<T extends MessageType> = Extract<KernelMessage, { header: { msg_type: T } }>;
