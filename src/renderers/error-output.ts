/** An `error` output: the exception name and message, then the traceback (ANSI colours kept). */
import { renderAnsi } from './ansi.ts';
import { joinText } from './renderer.ts';

export interface ErrorOutputLike {
  ename: string;
  evalue: string;
  traceback?: readonly string[];
}

export function renderError(output: ErrorOutputLike): HTMLElement {
  const host = document.createElement('div');
  host.className = 'output-error';
  host.setAttribute('role', 'alert');
  const head = document.createElement('div');
  head.className = 'error-head';
  const name = document.createElement('strong');
  name.textContent = output.ename;
  head.append(name, document.createTextNode(`: ${output.evalue}`));
  host.append(head);
  const traceback = (output.traceback ?? []).map((line) => joinText(line)).join('\n');
  // Many kernels repeat "ename: evalue" as the first traceback line; do not print it twice.
  const rest = traceback.startsWith(`${output.ename}: ${output.evalue}`)
    ? traceback.slice(`${output.ename}: ${output.evalue}`.length).replace(/^\n/, '')
    : traceback;
  if (rest.trim()) host.append(renderAnsi(rest, 'error-traceback'));
  return host;
}
