/**
 * The language worker's warm-up: requests it answers for itself, one per
 * turn, while no real request waits (see `request-queue.ts`). The first
 * parses and binds every declaration file (the bulk of the start-up); the
 * others walk the paths a user's first requests take — a member of a
 * library type, its details, the global list, hover, signature help — so
 * that TypeScript's code for them is compiled and hot before the user types.
 */
import type { LanguageRequest } from './protocol.ts';

const CELL_ID = 'warm-up';
const SOURCE =
  "import { loadBackbone } from 'tailor';\n" +
  "const net = await loadBackbone('mobilenet_v1_0.25_224');\n" +
  'const zeros = tf.zeros([1]);\n' +
  'Plot.plot({ marks: [] });\n' +
  'net.';

const at = (source: string, pos = source.length) => ({ id: 0, cellId: CELL_ID, cells: [{ id: CELL_ID, source }], pos });

/** In order; ids are 0 (the worker answers them to no one). */
export const WARM_UP_REQUESTS: readonly LanguageRequest[] = [
  { id: 0, kind: 'diagnostics', cellId: CELL_ID, cells: [{ id: CELL_ID, source: SOURCE }] },
  { kind: 'completions', explicit: false, ...at(SOURCE) },
  { kind: 'completionDetail', name: 'classify', ...at(SOURCE) },
  { kind: 'quickInfo', ...at(SOURCE, SOURCE.indexOf('net =') + 1) },
  { kind: 'completions', explicit: false, ...at(`${SOURCE}info;\nn`) },
  { kind: 'completions', explicit: false, ...at(`${SOURCE}info;\ntf.`) },
  { kind: 'signatureHelp', ...at(`${SOURCE}info;\nloadBackbone(`) },
];
