/**
 * The kernel protocol: every constructor makes a message that passes
 * `validateMessage` and its own guard (and no other), survives the structured
 * clone a worker boundary applies, and invalid messages are refused with the
 * offending field named.
 */
import { describe, expect, it } from 'vitest';
import * as protocol from '../../kernels/protocol/index.ts';
import {
  CHANNEL_OF,
  MESSAGE_TYPES,
  PROTOCOL_VERSION,
  validateMessage,
  type KernelMessage,
  type MessageType,
} from '../../kernels/protocol/index.ts';

const request = protocol.executeRequest('1 + 1');
const opts = { parent: request };

/** One message per type, made by its constructor, with the guard that must accept it. */
const MADE: { [T in MessageType]: [KernelMessage, (m: KernelMessage) => boolean] } = {
  execute_request: [request, protocol.isExecuteRequest],
  execute_reply: [protocol.executeReply({ status: 'ok', execution_count: 1, user_expressions: {} }, opts), protocol.isExecuteReply],
  status: [protocol.statusMessage('busy', opts), protocol.isStatus],
  stream: [protocol.streamMessage('stdout', 'hi\n', opts), protocol.isStream],
  display_data: [protocol.displayData({ data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 'd' } }, opts), protocol.isDisplayData],
  update_display_data: [
    protocol.updateDisplayData({ data: { 'text/plain': 'y' }, metadata: {}, transient: { display_id: 'd' } }, opts),
    protocol.isUpdateDisplayData,
  ],
  execute_result: [protocol.executeResult({ execution_count: 1, data: { 'text/plain': '2' }, metadata: {} }, opts), protocol.isExecuteResult],
  error: [protocol.errorMessage({ ename: 'Error', evalue: 'boom', traceback: ['Error: boom'] }, opts), protocol.isError],
  clear_output: [protocol.clearOutput(true, opts), protocol.isClearOutput],
  interrupt_request: [protocol.interruptRequest(), protocol.isInterruptRequest],
  interrupt_reply: [protocol.interruptReply('ok'), protocol.isInterruptReply],
  kernel_info_request: [protocol.kernelInfoRequest(), protocol.isKernelInfoRequest],
  kernel_info_reply: [
    protocol.kernelInfoReply({
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'tailor',
      implementation_version: '0.1.0',
      language_info: { name: 'typescript', version: '5.9', mimetype: 'text/typescript', file_extension: '.ts' },
      banner: 'Tailor',
      backend: 'wasm',
    }),
    protocol.isKernelInfoReply,
  ],
  input_request: [protocol.inputRequest({ prompt: 'Pick images', password: false, kind: 'files', options: { accept: 'image/*' } }, opts), protocol.isInputRequest],
  input_reply: [protocol.inputReply({ value: '', payload: [{ name: 'a.jpg' }] }), protocol.isInputReply],
  complete_request: [protocol.completeRequest('tf.te', 5), protocol.isCompleteRequest],
  complete_reply: [
    protocol.completeReply({ status: 'ok', matches: ['tensor'], cursor_start: 3, cursor_end: 5, metadata: {} }),
    protocol.isCompleteReply,
  ],
};
const GUARDS = Object.values(MADE).map(([, guard]) => guard);

describe('constructors and guards', () => {
  it('cover every message type', () => {
    expect(Object.keys(MADE).sort()).toEqual([...MESSAGE_TYPES].sort());
  });

  it.each(MESSAGE_TYPES)('%s: valid, on its channel, accepted by its guard only, and clone-safe', (type) => {
    const [message, guard] = MADE[type];
    expect(message.header.msg_type).toBe(type);
    expect(message.channel).toBe(CHANNEL_OF[type]);
    expect(message.header.version).toBe(PROTOCOL_VERSION);
    expect(validateMessage(message)).toEqual({ ok: true, message });
    expect(validateMessage(structuredClone(message))).toMatchObject({ ok: true });
    expect(validateMessage(JSON.parse(JSON.stringify(message)))).toMatchObject({ ok: true });
    expect(guard(message)).toBe(true);
    expect(GUARDS.filter((g) => g(message))).toEqual([guard]);
    expect(protocol.isMessageType(message, type)).toBe(true);
  });

  it('answers carry the request header as parent and keep its session', () => {
    const [reply] = MADE.execute_reply;
    expect(reply.parent_header).toEqual(request.header);
    expect(reply.header.session).toBe(request.header.session);
    expect(reply.header.msg_id).not.toBe(request.header.msg_id);
    expect(MADE.kernel_info_request[0].parent_header).toEqual({});
  });

  it('fills defaults of execute_request and takes overrides', () => {
    expect(request.content).toEqual({ code: '1 + 1', silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true });
    expect(protocol.executeRequest('x', { silent: true, stop_on_error: false }).content).toMatchObject({ silent: true, stop_on_error: false });
  });

  it('gives every message a fresh id', () => {
    const ids = new Set(Array.from({ length: 500 }, () => protocol.statusMessage('idle').header.msg_id));
    expect(ids.size).toBe(500);
  });
});

describe('validateMessage refuses bad messages, naming the field', () => {
  const base = () => structuredClone(MADE.execute_request[0]) as unknown as Record<string, any>;
  const of = (type: MessageType) => structuredClone(MADE[type][0]) as unknown as Record<string, any>;
  const BAD: [string, () => unknown, RegExp][] = [
    ['not an object', () => 'hello', /message must be an object, got string/],
    ['an array', () => [], /message must be an object, got array/],
    ['no header', () => ({ ...base(), header: undefined }), /header must be an object, got undefined/],
    ['no msg_id', () => { const m = base(); delete m.header.msg_id; return m; }, /header\.msg_id must be a string, got undefined/],
    ['a numeric session', () => { const m = base(); m.header.session = 7; return m; }, /header\.session must be a string, got number/],
    ['an unknown msg_type', () => { const m = base(); m.header.msg_type = 'comm_open'; return m; }, /header\.msg_type must be one of .*got "comm_open"/],
    ['a null parent_header', () => ({ ...base(), parent_header: null }), /parent_header must be an object, got null/],
    ['no metadata', () => ({ ...base(), metadata: undefined }), /metadata must be an object, got undefined/],
    ['an unknown channel', () => ({ ...base(), channel: 'websocket' }), /channel must be one of shell, iopub, control, stdin, got "websocket"/],
    ['code that is a number', () => { const m = base(); m.content.code = 42; return m; }, /\(execute_request\): content\.code must be a string, got number/],
    ['no content', () => ({ ...base(), content: undefined }), /content must be an object, got undefined/],
    ['silent that is a string', () => { const m = base(); m.content.silent = 'no'; return m; }, /content\.silent must be a boolean, got string/],
    ['an unknown stream name', () => { const m = of('stream'); m.content.name = 'stdin'; return m; }, /content\.name must be one of stdout, stderr, got "stdin"/],
    ['an update without display id', () => { const m = of('update_display_data'); m.content.transient = {}; return m; }, /content\.transient\.display_id must be a string, got undefined/],
    ['a display without transient', () => { const m = of('display_data'); delete m.content.transient; return m; }, /content\.transient must be an object, got undefined/],
    ['a fractional execution count', () => { const m = of('execute_result'); m.content.execution_count = 1.5; return m; }, /content\.execution_count must be an integer, got number/],
    ['an error reply without traceback', () => ({ ...of('execute_reply'), content: { status: 'error', execution_count: 1, ename: 'E', evalue: 'v' } }), /content\.traceback must be an array of strings/],
    ['a traceback holding numbers', () => { const m = of('error'); m.content.traceback = [1]; return m; }, /content\.traceback must be an array of strings/],
    ['an unknown input kind', () => { const m = of('input_request'); m.content.kind = 'microphone'; return m; }, /content\.kind must be one of text, files, webcam, got "microphone"/],
    ['an unknown status', () => { const m = of('status'); m.content.execution_state = 'sleeping'; return m; }, /content\.execution_state must be one of busy, idle, starting, dead/],
    ['kernel info without backend', () => { const m = of('kernel_info_reply'); delete m.content.backend; return m; }, /content\.backend must be a string, got undefined/],
  ];
  it.each(BAD)('%s', (_, make, message) => {
    const result = validateMessage(make());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe('MIME helpers', () => {
  it('tell binary payloads from markup and check the text/plain fallback', () => {
    expect(protocol.isBinaryMime('image/png')).toBe(true);
    expect(protocol.isBinaryMime(protocol.MIME.svg)).toBe(false);
    expect(protocol.isBinaryMime('text/html')).toBe(false);
    expect(protocol.hasPlainText({ 'text/plain': 'x', 'image/png': 'AAA' })).toBe(true);
    expect(protocol.hasPlainText({ 'image/png': 'AAA' })).toBe(false);
    expect(protocol.MIME.progress).toBe('application/vnd.tailor.progress+json');
  });
});
