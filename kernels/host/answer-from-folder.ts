/**
 * How `tailor run` answers `ask.files` and `ask.webcam`: from the files
 * under `--files DIR`, or, without it, with an error naming `--files`.
 *
 * - `ask.files`: the files directly in DIR; with `directory: true` every
 *   file below it, each with its path relative to DIR (so
 *   `DIR/ants/1.jpg` arrives as `ants/1.jpg` and a class-per-folder tree
 *   becomes a dataset). Filtered by `accept`; hidden files are skipped.
 * - `ask.webcam`: the images in `DIR/<class>/` for each class, at most
 *   `perClass` each, in name order.
 * - `input()` (text): an error; `tailor run` has nobody to type.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { matchesAccept, mimeTypeOf, type ContentMap, type MessageOf } from '../protocol/index.ts';

type Reply = ContentMap['input_reply'];

export type InputAnswerer = (request: MessageOf<'input_request'>) => Promise<Reply>;

const HIDDEN = /^(\.|__MACOSX$|Thumbs\.db$|desktop\.ini$)/i;
const IMAGE = 'image/*';

/** Files under `dir` as paths relative to it (`/`-separated), sorted; recursive when `deep`. */
async function listFiles(dir: string, deep: boolean, rel = ''): Promise<string[]> {
  const entries = (await readdir(join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    if (HIDDEN.test(entry.name)) continue;
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(join(dir, path)).catch(() => undefined))?.isDirectory());
    if (isDir) {
      if (deep) found.push(...(await listFiles(dir, deep, path)));
    } else found.push(path);
  }
  return found;
}

async function payloadOf(dir: string, paths: string[], label?: string) {
  return Promise.all(
    paths.map(async (path) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const buffer = await readFile(join(dir, path));
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      return { name, path, type: mimeTypeOf(name), bytes, ...(label ? { label } : {}) };
    }),
  );
}

async function answerFiles(dir: string, options: Record<string, unknown>): Promise<Reply> {
  const accept = typeof options.accept === 'string' ? options.accept : '';
  const all = await listFiles(dir, options.directory === true);
  let chosen = all.filter((path) => matchesAccept({ name: path }, accept));
  if (options.multiple === false) chosen = chosen.slice(0, 1);
  if (chosen.length === 0) {
    const what = accept ? ` matching accept '${accept}'` : '';
    const hint = options.directory === true ? '' : ' (ask.files without directory: true takes only the files directly in it)';
    return { value: '', error: `ask.files: --files ${dir} holds no files${what}${hint}.` };
  }
  return { value: `${chosen.length} files from ${dir}`, payload: await payloadOf(dir, chosen) };
}

async function answerWebcam(dir: string, options: Record<string, unknown>): Promise<Reply> {
  const classes = Array.isArray(options.classes) ? options.classes.map(String) : [];
  const perClass = typeof options.perClass === 'number' ? options.perClass : 30;
  const present = await Promise.all(classes.map(async (c) => (await stat(join(dir, c)).catch(() => undefined))?.isDirectory() ?? false));
  if (!present.some(Boolean)) {
    return {
      value: '',
      error: `ask.webcam needs a camera; in tailor run pass --files DIR with one folder per class (${classes.map((c) => `DIR/${c}/`).join(', ')}). --files ${dir} has none of those folders.`,
    };
  }
  const missing = classes.filter((_, i) => !present[i]);
  if (missing.length) return { value: '', error: `ask.webcam: --files ${dir} has no folder for class ${missing.map((c) => `'${c}' (${join(dir, c)})`).join(', ')}.` };
  const frames = [];
  for (const label of classes) {
    const images = (await listFiles(join(dir, label), false)).filter((name) => matchesAccept({ name }, IMAGE)).slice(0, perClass);
    if (images.length === 0) return { value: '', error: `ask.webcam: the folder ${join(dir, label)} for class '${label}' holds no images.` };
    frames.push(...(await payloadOf(join(dir, label), images, label)));
  }
  return { value: `${frames.length} frames from ${dir}`, payload: frames };
}

/**
 * The answerer `tailor run` gives the Node kernel. With `dir` undefined every
 * request fails with a message saying to pass `--files DIR`.
 */
export function answerFromFolder(dir: string | undefined): InputAnswerer {
  const root = dir === undefined ? undefined : resolve(dir);
  return async (request) => {
    const { kind, options, prompt } = request.content;
    try {
      if (kind === 'text') {
        return { value: '', error: `input(${JSON.stringify(prompt)}) cannot be answered in tailor run: nobody is there to type. Pass values with --param NAME=VALUE instead.` };
      }
      if (!root) {
        return {
          value: '',
          error:
            kind === 'webcam'
              ? 'ask.webcam needs a camera; in tailor run pass --files DIR with one folder per class (DIR/<class>/*.jpg).'
              : 'ask.files needs files; in tailor run pass --files DIR: the files under DIR answer ask.files.',
        };
      }
      return kind === 'files' ? await answerFiles(root, options) : await answerWebcam(root, options);
    } catch (error) {
      return { value: '', error: `ask.${kind}: could not read --files ${root}: ${(error as Error).message}` };
    }
  };
}
