/**
 * Reads one `.ipynb` output (stream, display_data, execute_result, error)
 * into the in-memory shape: multi-line strings joined, unknown MIME types and
 * unknown keys kept, the non-standard `transient` key dropped.
 */
import { describeJson, isRecord } from './json.ts';
import { joinLines } from './lines.ts';
import { OUTPUT_TYPES, type Output } from './output.ts';
import { isMultiline, type Problems } from './parse-problems.ts';

const OUTPUT_KEYS: Record<Output['output_type'], readonly string[]> = {
  stream: ['output_type', 'name', 'text'],
  display_data: ['output_type', 'data', 'metadata'],
  execute_result: ['output_type', 'data', 'metadata', 'execution_count'],
  error: ['output_type', 'ename', 'evalue', 'traceback'],
};

// nbformat 3 output types, named so the error can say where they come from.
const V3_OUTPUT_TYPES = ['pyout', 'pyerr', 'display'];

/** The output at `path`, or undefined after recording an error. */
export function parseOutput(value: unknown, path: string, problems: Problems): Output | undefined {
  if (!isRecord(value)) return problems.error(`${path} must be an object, got ${describeJson(value)}.`);
  const type = value.output_type;
  if (typeof type !== 'string' || !(OUTPUT_TYPES as readonly string[]).includes(type)) {
    const hint = V3_OUTPUT_TYPES.includes(type as string) ? ' (an nbformat 3 output; re-save the notebook in Jupyter)' : '';
    return problems.error(
      `${path}: unknown output_type ${JSON.stringify(type)}${hint}; expected one of ${OUTPUT_TYPES.join(', ')}.`,
    );
  }
  const output: Record<string, unknown> = { ...value };
  if ('transient' in output) {
    // Some front ends saved the live display id by mistake; it means nothing once the kernel is gone.
    delete output.transient;
    problems.warn(`${path} has a "transient" key, which is live kernel state and not part of nbformat; dropped it.`);
  }
  const extra = Object.keys(output).filter((key) => !OUTPUT_KEYS[type as Output['output_type']].includes(key));
  if (extra.length > 0) {
    problems.warn(
      `${path} has keys nbformat does not define (${extra.join(', ')}); they are kept, but Jupyter's validator will reject the file until they are removed.`,
    );
  }
  const need = (key: string, ok: (v: unknown) => boolean, what: string): boolean => {
    if (ok(value[key])) return true;
    problems.error(`${path}.${key} must be ${what}, got ${value[key] === undefined ? 'nothing' : describeJson(value[key])}.`);
    return false;
  };
  const isString = (v: unknown) => typeof v === 'string';
  switch (type) {
    case 'stream':
      if (!need('name', isString, 'a string') || !need('text', isMultiline, 'a string or an array of strings')) return undefined;
      output.text = joinLines(value.text as string | string[]);
      break;
    case 'execute_result':
    case 'display_data': {
      if (type === 'execute_result') {
        if (value.execution_count === undefined) {
          problems.warn(`${path} has no "execution_count"; using null.`);
          output.execution_count = null;
        } else if (!need('execution_count', (v) => v === null || (Number.isInteger(v) && (v as number) >= 0), 'a non-negative integer or null')) {
          return undefined;
        }
      }
      const data = joinBundle(value.data, `${path}.data`, problems);
      if (!data) return undefined;
      output.data = data;
      if (value.metadata === undefined) {
        problems.warn(`${path} has no "metadata"; using empty metadata.`);
        output.metadata = {};
      } else if (!need('metadata', isRecord, 'an object')) return undefined;
      break;
    }
    case 'error':
      if (
        !need('ename', isString, 'a string') ||
        !need('evalue', isString, 'a string') ||
        !need('traceback', (v) => Array.isArray(v) && v.every(isString), 'an array of strings')
      ) {
        return undefined;
      }
      break;
  }
  return output as unknown as Output;
}

/** Joins the line arrays of a MIME bundle's text-like values, as nbformat's reader does (JSON types stay as they are). */
export function joinBundle(value: unknown, path: string, problems: Problems): Record<string, unknown> | undefined {
  if (!isRecord(value)) {
    return problems.error(`${path} must be an object (a MIME bundle), got ${value === undefined ? 'nothing' : describeJson(value)}.`);
  }
  return Object.fromEntries(
    Object.entries(value).map(([mime, data]) => [mime, !isJsonMime(mime) && isMultiline(data) ? joinLines(data) : data]),
  );
}

/** `application/json` and `application/…+json` hold JSON values, never split lines. */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}
