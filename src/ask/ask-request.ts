/**
 * The output a cell's `ask.files` / `ask.webcam` shows
 * (`application/vnd.tailor.input+json`): what the widgets draw, and the
 * helpers they share to answer it.
 */
import type { InputReplyContent } from '../kernel-client/index.ts';

export interface AskRequest {
  /** Matches `options.id` of the kernel's `input_request`. */
  id: string;
  kind: 'files' | 'webcam';
  prompt: string;
  options: Record<string, unknown>;
}

/** Reads the MIME value (an object, or its JSON text in a saved notebook); undefined when it is not an ask request. */
export function parseAskRequest(data: unknown): AskRequest | undefined {
  let value = data;
  if (typeof value === 'string' || Array.isArray(value)) {
    try {
      value = JSON.parse(Array.isArray(value) ? value.join('') : value);
    } catch {
      return undefined;
    }
  }
  const v = value as Partial<AskRequest> | null;
  if (!v || typeof v !== 'object' || typeof v.id !== 'string' || (v.kind !== 'files' && v.kind !== 'webcam')) return undefined;
  return { id: v.id, kind: v.kind, prompt: typeof v.prompt === 'string' ? v.prompt : '', options: typeof v.options === 'object' && v.options ? v.options : {} };
}

/** One file or frame as the kernel's `ask` expects it in `input_reply.payload`. */
export interface PayloadFile {
  name: string;
  path: string;
  type: string;
  bytes: ArrayBuffer;
  label?: string;
}

/** A reply carrying `payload`, with a short summary as `value`. */
export function payloadReply(items: PayloadFile[], what: string): InputReplyContent {
  const total = items.reduce((sum, f) => sum + f.bytes.byteLength, 0);
  return { value: `${items.length} ${what} (${total} bytes)`, payload: items };
}
