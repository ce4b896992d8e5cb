/**
 * The notebook document model: an immutable JSON value in nbformat 4.5
 * shape, its pure edits, `.ipynb` reading and writing, and the output
 * reducer. No DOM, Lit, CodeMirror or TensorFlow.js here; from the kernel
 * protocol only types.
 */
export * from './json.ts';
export * from './cell-id.ts';
export * from './output.ts';
export * from './cell.ts';
export * from './notebook.ts';
export * from './edit-cells.ts';
export * from './edit-outputs.ts';
export { parseIpynb, type ParseResult } from './parse-ipynb.ts';
export { toIpynb, toIpynbJson, TRANSIENT_CELL_METADATA, TRANSIENT_NOTEBOOK_METADATA } from './write-ipynb.ts';
export { findJsonSyntaxError, type JsonSyntaxError } from './json-error.ts';
export { splitLines, joinLines } from './lines.ts';
export { stringifyLikePython } from './python-json.ts';
export { applyKernelMessage, applyDisplayUpdate } from './output-reducer.ts';
export { appendStreamText, applyControls, visibleStreamText } from './stream-text.ts';
