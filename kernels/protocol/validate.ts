/**
 * Validation at the boundary: every message that enters a host or the page
 * goes through `validateMessage` once. An invalid message is rejected with a
 * sentence naming the field (`content.code must be a string, got number`).
 * Inside the boundary, code trusts the types.
 */
import { MESSAGE_TYPES, type KernelMessage, type MessageOf, type MessageType } from './messages.ts';

export type ValidationResult = { ok: true; message: KernelMessage } | { ok: false; error: string };

type Check = (value: unknown, path: string) => string | undefined;

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, p) => (typeof v === 'string' ? undefined : `${p} must be a string, got ${describe(v)}`);
const bool: Check = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be a boolean, got ${describe(v)}`);
const int: Check = (v, p) =>
  typeof v === 'number' && Number.isInteger(v) ? undefined : `${p} must be an integer, got ${describe(v)}`;
const obj: Check = (v, p) => (isRecord(v) ? undefined : `${p} must be an object, got ${describe(v)}`);
const strArray: Check = (v, p) =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? undefined : `${p} must be an array of strings`;
const oneOf =
  (...choices: string[]): Check =>
  (v, p) =>
    typeof v === 'string' && choices.includes(v) ? undefined : `${p} must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}`;
const optional =
  (check: Check): Check =>
  (v, p) =>
    v === undefined ? undefined : check(v, p);
const shape =
  (fields: Record<string, Check>): Check =>
  (v, p) => {
    if (!isRecord(v)) return `${p} must be an object, got ${describe(v)}`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(v[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

const displayContent = (idRequired: boolean) =>
  shape({ data: obj, metadata: obj, transient: shape({ display_id: idRequired ? str : optional(str) }) });

/** What `content` must look like, per message type. */
const CONTENT: { [T in MessageType]: Check } = {
  execute_request: shape({ code: str, silent: bool, store_history: bool, user_expressions: obj, allow_stdin: bool, stop_on_error: bool }),
  execute_reply: (v, p) => {
    const base = shape({ status: oneOf('ok', 'error', 'aborted'), execution_count: int })(v, p);
    if (base) return base;
    const c = v as Record<string, unknown>;
    if (c.status === 'error') return shape({ ename: str, evalue: str, traceback: strArray })(v, p);
    return undefined;
  },
  status: shape({ execution_state: oneOf('busy', 'idle', 'starting', 'dead') }),
  stream: shape({ name: oneOf('stdout', 'stderr'), text: str }),
  display_data: displayContent(false),
  update_display_data: displayContent(true),
  execute_result: shape({ execution_count: int, data: obj, metadata: obj }),
  error: shape({ ename: str, evalue: str, traceback: strArray }),
  clear_output: shape({ wait: bool }),
  interrupt_request: obj,
  interrupt_reply: shape({ status: oneOf('ok', 'error') }),
  kernel_info_request: obj,
  kernel_info_reply: shape({
    status: oneOf('ok'),
    protocol_version: str,
    implementation: str,
    implementation_version: str,
    language_info: shape({ name: str, version: str, mimetype: str, file_extension: str }),
    banner: str,
    backend: str,
  }),
  input_request: shape({ prompt: str, password: bool, kind: oneOf('text', 'files', 'webcam'), options: obj }),
  input_reply: shape({ value: str, error: optional(str) }),
  complete_request: shape({ code: str, cursor_pos: int }),
  complete_reply: shape({ status: oneOf('ok'), matches: strArray, cursor_start: int, cursor_end: int, metadata: obj }),
};

const headerCheck = shape({ msg_id: str, msg_type: oneOf(...MESSAGE_TYPES), session: str, username: str, date: str, version: str });

/** Checks an untrusted value is a well-formed kernel message. Never throws. */
export function validateMessage(value: unknown): ValidationResult {
  if (!isRecord(value)) return { ok: false, error: `message must be an object, got ${describe(value)}` };
  const problem =
    headerCheck(value.header, 'header') ??
    (isRecord(value.parent_header) ? undefined : `parent_header must be an object, got ${describe(value.parent_header)}`) ??
    obj(value.metadata, 'metadata') ??
    oneOf('shell', 'iopub', 'control', 'stdin')(value.channel, 'channel') ??
    CONTENT[(value.header as { msg_type: MessageType }).msg_type](value.content, 'content');
  if (problem) {
    const type = isRecord(value.header) && typeof value.header.msg_type === 'string' ? ` (${value.header.msg_type})` : '';
    return { ok: false, error: `invalid kernel message${type}: ${problem}` };
  }
  return { ok: true, message: value as unknown as KernelMessage };
}

/** Narrows a validated message to one type. */
export function isMessageType<T extends MessageType>(message: KernelMessage, msgType: T): message is MessageOf<T> {
  return message.header.msg_type === msgType;
}

const guard =
  <T extends MessageType>(t: T) =>
  (m: KernelMessage): m is MessageOf<T> =>
    m.header.msg_type === t;

export const isExecuteRequest = guard('execute_request');
export const isExecuteReply = guard('execute_reply');
export const isStatus = guard('status');
export const isStream = guard('stream');
export const isDisplayData = guard('display_data');
export const isUpdateDisplayData = guard('update_display_data');
export const isExecuteResult = guard('execute_result');
export const isError = guard('error');
export const isClearOutput = guard('clear_output');
export const isInterruptRequest = guard('interrupt_request');
export const isInterruptReply = guard('interrupt_reply');
export const isKernelInfoRequest = guard('kernel_info_request');
export const isKernelInfoReply = guard('kernel_info_reply');
export const isInputRequest = guard('input_request');
export const isInputReply = guard('input_reply');
export const isCompleteRequest = guard('complete_request');
export const isCompleteReply = guard('complete_reply');
