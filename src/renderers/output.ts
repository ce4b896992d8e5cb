/**
 * One nbformat output (stream, display_data, execute_result, error) to an
 * element, through the registry for MIME bundles.
 */
import { renderAnsi } from './ansi.ts';
import { renderError, type ErrorOutputLike } from './error-output.ts';
import { joinText, type RenderContext, type RendererRegistry } from './renderer.ts';

/** The fields of an nbformat output the renderers read. */
export interface OutputLike {
  output_type: string;
  name?: string;
  text?: unknown;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: readonly string[];
}

export function renderOutput(output: OutputLike, registry: RendererRegistry, context: RenderContext): HTMLElement {
  switch (output.output_type) {
    case 'stream':
      return renderAnsi(joinText(output.text), `output-stream output-${output.name === 'stderr' ? 'stderr' : 'stdout'}`);
    case 'error':
      return renderError(output as ErrorOutputLike);
    case 'display_data':
    case 'execute_result':
      return registry.render(output.data ?? {}, context);
    default: {
      const note = document.createElement('div');
      note.className = 'output-unsupported';
      note.textContent = `Unknown output type "${output.output_type}".`;
      return note;
    }
  }
}
