/**
 * Exporting a notebook to share: one self-contained, script-free HTML page
 * (`exportHtml`, pure, page and Node) and its download in the page.
 */
export { exportHtml, type ExportHtmlOptions } from './export-html.ts';
export { downloadHtml, htmlFileName } from './download-html.ts';
export { sanitizeMarkup } from './sanitize-markup.ts';
