/**
 * Observable Plot for the kernel, where there is no page DOM: a virtual
 * document (linkedom) is given to Plot by default, so `Plot.plot(...)`,
 * `mark.plot(...)` and `Plot.legend(...)` return static SVG/HTML elements
 * whose markup is saved in the notebook.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

let virtualDocument: Document | undefined;

/** The kernel's shared virtual document. */
export function kernelDocument(): Document {
  virtualDocument ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return virtualDocument;
}

type PlotModule = typeof Plot;
let wrapped: PlotModule | undefined;

/** The Plot module as cells see it: same exports, `document` defaulted. */
export function plotModule(): PlotModule {
  if (wrapped) return wrapped;
  const withDocument = <O extends object | undefined>(options: O) => ({ document: kernelDocument(), ...(options ?? {}) });
  // `mark.plot()` calls Plot's internal plot(), not the export; default its document on the prototype.
  const markPlot = Plot.Mark.prototype.plot;
  if (!(markPlot as { tailorWrapped?: boolean }).tailorWrapped) {
    const patched = function (this: Plot.Mark, options?: Plot.PlotOptions) {
      return markPlot.call(this, withDocument(options));
    };
    (patched as { tailorWrapped?: boolean }).tailorWrapped = true;
    Plot.Mark.prototype.plot = patched as typeof markPlot;
  }
  wrapped = Object.freeze({
    ...Plot,
    plot: (options?: Plot.PlotOptions) => Plot.plot(withDocument(options)),
    legend: (options?: Plot.LegendOptions) => Plot.legend(withDocument(options) as Plot.LegendOptions),
  }) as PlotModule;
  return wrapped;
}
