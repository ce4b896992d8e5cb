/**
 * What `ask.files` and `ask.webcam` take and give, and the checks on both:
 * cell options are validated before anything is shown (a TypeError naming
 * the bad value), and the answer from the page or `tailor run` is validated
 * once, here, before it becomes `File`s and frames.
 */

/** Options of `ask.files`. */
export interface AskFilesOptions {
  /** Which files may be chosen, as `<input accept>`: extensions and MIME types, e.g. `'image/*'`, `'.csv,.tsv'`. Default: any file. */
  accept?: string;
  /** Choose a whole folder (with its subfolders); each file keeps its path inside it, so a class-per-folder tree becomes a dataset. Default false. */
  directory?: boolean;
  /** Allow more than one file. Default true. */
  multiple?: boolean;
  /** The text above the drop zone. Default: "Choose files" (or "Choose a folder"). */
  prompt?: string;
}

/**
 * A chosen file: a real `File` — so the list goes straight into
 * `loadImageFolder(files)` — with its bytes and its path inside the chosen
 * folder (`ants/0013035.jpg`; just the name for single files).
 */
export type AskedFile = File & {
  /** Path relative to the chosen folder, `/`-separated (also `webkitRelativePath`). */
  readonly path: string;
  /** The file's contents. */
  readonly bytes: Uint8Array;
};

/** Options of `ask.webcam`. */
export interface AskWebcamOptions {
  /** Class names, one record button each, e.g. `['left', 'right']`. Required. */
  classes: string[];
  /** Frames to record per class; recording a class stops there. Default 30. */
  perClass?: number;
  /** Side of the square frames in pixels (the centre of the camera image, scaled). Default 224. */
  size?: number;
  /** The text above the camera. Default: "Hold a button to record frames of that class". */
  prompt?: string;
}

/** One recorded frame; the list goes straight into `fromCaptures(frames)`. */
export interface WebcamFrame {
  /** The class it was recorded for. */
  label: string;
  /** Encoded image (JPEG from the page camera; the file's own format from `tailor run --files`). */
  image: Uint8Array;
  /** A file name for listings, e.g. `left-001.jpg`. */
  name: string;
  /** MIME type of `image`. */
  type: string;
}

/** One item of an `input_reply` payload, as the page and the Node host send it. */
export interface PayloadItem {
  name: string;
  path?: string;
  type?: string;
  bytes: ArrayBuffer | ArrayBufferView;
  /** Webcam frames: the class. */
  label?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks `ask.files` options; returns them with defaults filled in. */
export function checkFilesOptions(options: unknown): Required<Omit<AskFilesOptions, 'prompt'>> & { prompt: string } {
  if (options === undefined) options = {};
  if (!isRecord(options)) throw new TypeError(`ask.files(options): options must be an object such as {accept: 'image/*', directory: true}, got ${typeof options}`);
  const { accept = '', directory = false, multiple = true, prompt } = options as AskFilesOptions;
  if (typeof accept !== 'string') throw new TypeError(`ask.files: accept must be a string such as 'image/*' or '.jpg,.png', got ${JSON.stringify(accept)}`);
  if (typeof directory !== 'boolean') throw new TypeError(`ask.files: directory must be true or false, got ${JSON.stringify(directory)}`);
  if (typeof multiple !== 'boolean') throw new TypeError(`ask.files: multiple must be true or false, got ${JSON.stringify(multiple)}`);
  if (prompt !== undefined && typeof prompt !== 'string') throw new TypeError(`ask.files: prompt must be a string, got ${JSON.stringify(prompt)}`);
  return { accept, directory, multiple, prompt: prompt ?? (directory ? 'Choose a folder' : multiple ? 'Choose files' : 'Choose a file') };
}

/** Checks `ask.webcam` options; returns them with defaults filled in. */
export function checkWebcamOptions(options: unknown): Required<AskWebcamOptions> {
  const example = "ask.webcam({classes: ['left', 'right'], perClass: 30})";
  if (!isRecord(options)) throw new TypeError(`ask.webcam needs options with the class names, e.g. ${example}`);
  const { classes, perClass = 30, size = 224, prompt = 'Hold a button to record frames of that class' } = options as unknown as AskWebcamOptions;
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string' && c.trim() !== '')) {
    throw new TypeError(`ask.webcam: classes must be a non-empty array of names, e.g. ${example}; got ${JSON.stringify(classes)}`);
  }
  const bad = classes.find((c) => c.includes('/') || c.startsWith('.'));
  if (bad !== undefined) throw new TypeError(`ask.webcam: class name ${JSON.stringify(bad)} cannot contain '/' or start with '.' (it names a folder).`);
  const twice = classes.find((c, i) => classes.indexOf(c) !== i);
  if (twice !== undefined) throw new TypeError(`ask.webcam: class ${JSON.stringify(twice)} is listed twice; class names must be different.`);
  if (!Number.isInteger(perClass) || perClass < 1 || perClass > 1000) throw new TypeError(`ask.webcam: perClass must be a whole number from 1 to 1000, got ${JSON.stringify(perClass)}`);
  if (!Number.isInteger(size) || size < 16 || size > 1024) throw new TypeError(`ask.webcam: size must be a whole number of pixels from 16 to 1024, got ${JSON.stringify(size)}`);
  if (typeof prompt !== 'string') throw new TypeError(`ask.webcam: prompt must be a string, got ${JSON.stringify(prompt)}`);
  return { classes: [...classes], perClass, size, prompt };
}

function toBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

/** Validates a reply payload: a list of `{name, bytes, path?, type?, label?}`; throws naming the first bad field. */
function checkPayload(payload: unknown, what: string): (PayloadItem & { bytes: Uint8Array })[] {
  const problem = (detail: string) => new Error(`${what} got an answer it cannot use (${detail}). This is a bug in the program that answered; please report it.`);
  if (!Array.isArray(payload)) throw problem(`payload must be a list, got ${payload === undefined ? 'nothing' : typeof payload}`);
  return payload.map((item, i) => {
    if (!isRecord(item) || typeof item.name !== 'string' || item.name === '') throw problem(`payload[${i}].name must be a file name`);
    const bytes = toBytes(item.bytes);
    if (!bytes) throw problem(`payload[${i}].bytes must be an ArrayBuffer or Uint8Array`);
    for (const key of ['path', 'type', 'label'] as const) {
      if (item[key] !== undefined && typeof item[key] !== 'string') throw problem(`payload[${i}].${key} must be a string`);
    }
    return { ...(item as unknown as PayloadItem), bytes };
  });
}

/** The reply payload of `ask.files` as `File`s that also carry `path` and `bytes`. */
export function filesFromPayload(payload: unknown): AskedFile[] {
  return checkPayload(payload, 'ask.files').map((item) => {
    const path = (item.path || item.name).replace(/\\/g, '/').replace(/^\/+/, '');
    const file = new File([item.bytes as BlobPart], item.name, { type: item.type ?? '' });
    // Own properties shadow File's read-only `webkitRelativePath` getter: the library reads folders from it.
    Object.defineProperties(file, {
      path: { value: path, enumerable: true },
      bytes: { value: item.bytes, enumerable: true },
      webkitRelativePath: { value: path, enumerable: true },
    });
    return file as AskedFile;
  });
}

/** The reply payload of `ask.webcam` as frames; every label must be one of `classes`. */
export function framesFromPayload(payload: unknown, classes: readonly string[]): WebcamFrame[] {
  return checkPayload(payload, 'ask.webcam').map((item, i) => {
    if (!item.label || !classes.includes(item.label)) {
      throw new Error(`ask.webcam got frame ${i} labelled ${JSON.stringify(item.label)}, which is not one of the classes ${JSON.stringify(classes)}.`);
    }
    return { label: item.label, image: item.bytes, name: item.name, type: item.type ?? '' };
  });
}

const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

/** One line saying what was chosen, for the cell's output. */
export function summarizeFiles(files: readonly AskedFile[]): string {
  const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
  const shown = files.slice(0, 5).map((f) => f.path);
  const more = files.length > shown.length ? `, … and ${files.length - shown.length} more` : '';
  return `Chose ${files.length} file${files.length === 1 ? '' : 's'} (${formatBytes(total)}): ${shown.join(', ')}${more}`;
}

/** One line saying how many frames each class got. */
export function summarizeFrames(frames: readonly WebcamFrame[], classes: readonly string[]): string {
  const counts = classes.map((c) => `${c} ${frames.filter((f) => f.label === c).length}`);
  return `Captured ${frames.length} frame${frames.length === 1 ? '' : 's'}: ${counts.join(', ')}`;
}
