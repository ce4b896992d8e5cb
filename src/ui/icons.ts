/** Toolbar icons as inline SVG (no icon font, no emoji: both depend on the fonts installed). */
import { svg, type SVGTemplateResult } from 'lit';

const icon = (body: SVGTemplateResult) =>
  svg`<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${body}</svg>`;

export const ICONS: Record<string, SVGTemplateResult> = {
  open: icon(svg`<path d="M1.5 4.5v8h11l2-5.5h-11l-2 5.5M1.5 4.5V3h4l1.5 1.5h5.5V7"/>`),
  save: icon(svg`<path d="M2.5 2.5h9l2 2v9h-11z"/><path d="M5 2.5v3.5h5V2.5M5 13.5V9.5h6v4"/>`),
  plus: icon(svg`<path d="M8 3v10M3 8h10"/>`),
  run: svg`<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5v11l9-5.5z" fill="currentColor"/></svg>`,
  runAll: svg`<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M1.5 3v10l6-5zM8.5 3v10l6-5z" fill="currentColor"/></svg>`,
  stop: svg`<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><rect x="3.5" y="3.5" width="9" height="9" rx="1" fill="currentColor"/></svg>`,
  restart: icon(svg`<path d="M13 8a5 5 0 1 1-1.5-3.6"/><path d="M12 1.8v3h-3"/>`),
  up: icon(svg`<path d="M8 13V3M4 7l4-4 4 4"/>`),
  down: icon(svg`<path d="M8 3v10M4 9l4 4 4-4"/>`),
  clear: icon(svg`<path d="M3 4h10M6.5 4V2.5h3V4M4.5 4l.7 9.5h5.6l.7-9.5"/>`),
  export: icon(svg`<path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 11v2.5h11V11"/>`),
  palette: icon(svg`<path d="M2 4h12M2 8h12M2 12h7"/>`),
};
