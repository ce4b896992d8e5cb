/**
 * The widget a cell's `ask.files` / `ask.webcam` shows
 * (`application/vnd.tailor.input+json` `{id, kind, prompt, options}`): a
 * drop zone or a camera, answering the kernel's `input_request` with the
 * same id. Safe for untrusted notebooks: it draws no markup from the data,
 * and a widget can only answer a request the kernel is waiting for.
 */
import { MIME } from '../../kernels/protocol/index.ts';
import type { RendererFactory } from '../renderers/index.ts';
import { parseAskRequest } from './ask-request.ts';
import './tailor-ask-files.ts';
import './tailor-ask-webcam.ts';

/**
 * The widgets drawn so far, by request id. The output area redraws every
 * output when any of them changes; handing back the same element keeps a
 * running camera and its recorded frames. Only the latest few are kept.
 */
const drawn = new Map<string, HTMLElement>();
const KEEP = 16;

export const askInputRenderer: RendererFactory = {
  mimeTypes: [MIME.input],
  rank: 4,
  safe: true,
  render(data) {
    const request = parseAskRequest(data);
    if (!request) {
      const note = document.createElement('div');
      note.className = 'output-unsupported';
      note.textContent = 'This input request output is malformed.';
      return note;
    }
    const existing = drawn.get(request.id);
    if (existing) return existing;
    const element = document.createElement(request.kind === 'webcam' ? 'tailor-ask-webcam' : 'tailor-ask-files');
    element.request = request;
    drawn.set(request.id, element);
    if (drawn.size > KEEP) drawn.delete(drawn.keys().next().value!);
    return element;
  },
};
