/**
 * `ask.files(options)` and `ask.webcam(options)`: a cell asks for data only
 * the page (or `tailor run --files DIR`) can give.
 *
 * Each call shows an output in the cell — `application/vnd.tailor.input+json`
 * `{id, kind, options}`, which the page draws as a drop zone or a camera —
 * and sends an `input_request` of that kind carrying the same `id`. The
 * answer's payload becomes `File`s (`ask.files`) or labelled frames
 * (`ask.webcam`), and the output is replaced by a one-line summary (so a
 * saved notebook says what was chosen, not a stale picker). A refusal (no
 * camera, permission denied) arrives as `input_reply.error` and is thrown as
 * an error of the cell; an interrupt cancels the wait.
 */
import { MIME, type ContentMap, type InputKind } from '../protocol/index.ts';
import {
  checkFilesOptions,
  checkWebcamOptions,
  filesFromPayload,
  framesFromPayload,
  summarizeFiles,
  summarizeFrames,
  type AskedFile,
  type AskFilesOptions,
  type AskWebcamOptions,
  type WebcamFrame,
} from './ask-types.ts';
import { newDisplayId, type DisplaySink } from './display.ts';

export interface Ask {
  /**
   * Shows a drop zone and a file (or folder) picker in the cell's output and
   * resolves with the chosen files, in the order given. Always a list (one
   * item when `multiple` is false). Each is a `File` with `path` and `bytes`:
   * `loadImageFolder(await ask.files({accept: 'image/*', directory: true}))`.
   */
  files(options?: AskFilesOptions): Promise<AskedFile[]>;
  /**
   * Shows the camera with a hold-to-record button per class and resolves,
   * when the learner presses Done, with the frames (JPEG, `size`×`size`):
   * `fromCaptures(await ask.webcam({classes: ['left', 'right']}))`.
   * Throws when there is no camera or its permission is refused.
   */
  webcam(options: AskWebcamOptions): Promise<WebcamFrame[]>;
}

export interface AskDeps {
  /** Where the widget output and its summary go. */
  sink: DisplaySink;
  /** Sends an `input_request` and resolves with the reply; throws when the reply carries `error`. */
  request(content: Partial<ContentMap['input_request']>): Promise<ContentMap['input_reply']>;
  /** False when nobody can answer (the run was started without stdin, e.g. `startNodeKernel` without an answerer). */
  canAsk(): boolean;
  /** The running cell's AbortSignal (an interrupt cancels the wait). */
  signal(): AbortSignal;
}

const NOT_HERE: Record<'files' | 'webcam', string> = {
  files:
    'ask.files cannot be answered here: the program running this notebook cannot ask anyone to choose files. ' +
    'In `tailor run`, pass --files DIR: the files under DIR answer ask.files.',
  webcam:
    'ask.webcam needs a camera, and the program running this notebook has none. ' +
    'In `tailor run`, pass --files DIR with one folder per class (DIR/<class>/*.jpg): those images answer ask.webcam.',
};

export function createAsk(deps: AskDeps): Ask {
  /** Shows the widget, waits for the answer (or an interrupt), and leaves a summary in place of the widget. */
  async function askFor<T>(kind: InputKind & ('files' | 'webcam'), prompt: string, options: Record<string, unknown>, take: (payload: unknown) => { value: T; summary: string }): Promise<T> {
    if (!deps.canAsk()) throw new Error(NOT_HERE[kind]);
    const signal = deps.signal();
    signal.throwIfAborted();
    const id = newDisplayId();
    const waiting = kind === 'files' ? `${prompt}: waiting for files to be chosen in the notebook page…` : `${prompt}: waiting for the camera in the notebook page…`;
    deps.sink.display({
      data: { [MIME.input]: { id, kind, prompt, options }, [MIME.plain]: waiting },
      metadata: {},
      transient: { display_id: id },
    });
    const settle = (text: string) => deps.sink.update({ data: { [MIME.plain]: text }, metadata: {}, transient: { display_id: id } });
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason ?? new DOMException('The cell was interrupted.', 'AbortError'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const reply = await Promise.race([deps.request({ prompt, kind, options: { ...options, id } }), aborted]);
      const { value, summary } = take(reply.payload);
      settle(summary);
      return value;
    } catch (error) {
      settle(signal.aborted ? `ask.${kind} was interrupted.` : `ask.${kind} got nothing: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      aborted.catch(() => undefined);
    }
  }

  return {
    files(options) {
      const checked = checkFilesOptions(options);
      const { prompt, ...rest } = checked;
      return askFor('files', prompt, rest, (payload) => {
        const files = filesFromPayload(payload);
        if (files.length === 0) throw new Error('ask.files got no files.');
        return { value: files, summary: summarizeFiles(files) };
      });
    },
    webcam(options) {
      const checked = checkWebcamOptions(options);
      const { prompt, ...rest } = checked;
      return askFor('webcam', prompt, rest, (payload) => {
        const frames = framesFromPayload(payload, checked.classes);
        if (frames.length === 0) throw new Error('ask.webcam got no frames: record at least one frame per class, then press Done.');
        return { value: frames, summary: summarizeFrames(frames, checked.classes) };
      });
    },
  };
}
