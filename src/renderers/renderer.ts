/**
 * Output renderers as ranked factory objects (JupyterLab's rendermime shape):
 * each says which MIME types it draws, its rank (lower is preferred), and
 * whether it is safe for untrusted data as it is. A renderer that is not
 * `safe` must sanitise when `context.trusted` is false.
 */
export interface RenderContext {
  /** True when the notebook (or this output's run) is trusted; untrusted HTML/SVG is sanitised. */
  trusted: boolean;
}

export interface RendererFactory {
  readonly mimeTypes: readonly string[];
  /** Lower ranks win when a bundle offers several types. */
  readonly rank: number;
  /** True when `render` never needs trust (plain text, images, JSON). */
  readonly safe: boolean;
  /** Draws one MIME value into a new element. */
  render(data: unknown, mimeType: string, context: RenderContext): HTMLElement;
}

/** An ordered set of renderer factories; adding an output type is one factory and one line. */
export class RendererRegistry {
  private readonly factories: RendererFactory[];

  constructor(factories: readonly RendererFactory[]) {
    this.factories = [...factories].sort((a, b) => a.rank - b.rank);
  }

  /** The preferred MIME type of a bundle and the factory for it, or undefined when none matches. */
  pick(bundle: Record<string, unknown>): { mimeType: string; factory: RendererFactory } | undefined {
    for (const factory of this.factories) {
      const mimeType = factory.mimeTypes.find((m) => bundle[m] !== undefined);
      if (mimeType) return { mimeType, factory };
    }
    return undefined;
  }

  /** Renders a bundle with its preferred type; unknown bundles say which types they held. */
  render(bundle: Record<string, unknown>, context: RenderContext): HTMLElement {
    const picked = this.pick(bundle);
    if (picked) return picked.factory.render(bundle[picked.mimeType], picked.mimeType, context);
    const note = document.createElement('div');
    note.className = 'output-unsupported';
    note.textContent = `No renderer for ${Object.keys(bundle).join(', ') || 'an empty output'}.`;
    return note;
  }
}

/** nbformat allows multi-line strings as arrays of lines; renderers want one string. */
export function joinText(value: unknown): string {
  if (Array.isArray(value)) return value.join('');
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : JSON.stringify(value, null, 2);
}
