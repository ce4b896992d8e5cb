/**
 * Cell outputs, exactly nbformat 4's output JSON shapes (stream,
 * display_data, execute_result, error), with multi-line strings joined: in
 * memory `text` and text-like MIME values are single strings; `toIpynb`
 * splits them into line arrays as Jupyter does.
 *
 * One in-memory-only field, `transient`, rides along on outputs. It mirrors
 * the `transient` of Jupyter's display messages and is never saved: nbformat
 * forbids extra keys in outputs, so `toIpynb` drops it and `parseIpynb`
 * removes it from files that carry it.
 */
import type { MimeBundle } from '../../kernels/protocol/index.ts';
import type { JsonObject } from './json.ts';

export type { MimeBundle };

/** Live state of an output that belongs to the running session, not to the file. */
export interface OutputTransient {
  /** The display id given with `display(…, {id})`; `update_display_data` replaces outputs by it. */
  readonly display_id?: string;
  /**
   * Set by `clear_output(wait=true)`: this output is still shown, but goes
   * away when the next output arrives (Jupyter's deferred clear).
   */
  readonly clear_pending?: true;
}

interface OutputBase {
  /** In memory only; see the module comment. */
  readonly transient?: OutputTransient;
}

export interface StreamOutput extends OutputBase {
  readonly output_type: 'stream';
  /** `stdout` or `stderr` (nbformat allows any name). */
  readonly name: string;
  readonly text: string;
}

export interface DisplayDataOutput extends OutputBase {
  readonly output_type: 'display_data';
  readonly data: MimeBundle;
  readonly metadata: JsonObject;
}

export interface ExecuteResultOutput extends OutputBase {
  readonly output_type: 'execute_result';
  readonly data: MimeBundle;
  readonly metadata: JsonObject;
  readonly execution_count: number | null;
}

export interface ErrorOutput extends OutputBase {
  readonly output_type: 'error';
  readonly ename: string;
  readonly evalue: string;
  readonly traceback: readonly string[];
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;
export type OutputType = Output['output_type'];

export const OUTPUT_TYPES: readonly OutputType[] = ['stream', 'display_data', 'execute_result', 'error'];

/** The output without its in-memory `transient` field: what goes into the file. */
export function withoutTransient<T extends Output>(output: T): T {
  if (!('transient' in output)) return output;
  const { transient: _transient, ...rest } = output;
  return rest as T;
}
