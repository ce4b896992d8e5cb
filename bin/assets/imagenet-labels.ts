/**
 * The ImageNet label tables that travel with the backbones, derived from the
 * files their publishers ship, byte-for-byte as in shared/models (so the
 * shipped SHA256SUMS checks them):
 * - `imagenet-classes.json`: the 1000 class names in standard index order, from
 *   `IMAGENET_CLASSES` in @tensorflow-models/mobilenet's `dist/imagenet_classes.js`.
 * - `imagenet-wnids.json`: the 1000 WordNet ids in the same order, i.e. the
 *   first 1000 lines of Darknet's `imagenet.labels.list`, sorted.
 * - `darknet_tiny-output-to-imagenet-index.json`: output unit `i` of
 *   darknet_tiny is ImageNet class `map[i]` (Darknet orders outputs by that list).
 */

/** Reads the class names out of mobilenet's compiled `imagenet_classes.js` (`N: 'name' + 'name'` entries). */
export function parseMobilenetClasses(js: string): string[] {
  const names: string[] = [];
  const entry = /^\s*(\d+):\s*((?:'(?:[^'\\]|\\.)*'\s*\+?\s*)+),?\s*$/gm;
  for (const match of js.matchAll(entry)) {
    const parts = [...match[2]!.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((part) => part[1]!.replace(/\\(.)/g, '$1'));
    names[Number(match[1])] = parts.join('');
  }
  if (names.length !== 1000 || names.some((name) => name === undefined)) {
    throw new Error(`expected IMAGENET_CLASSES entries 0…999, found ${names.filter((n) => n !== undefined).length}`);
  }
  return names;
}

/** `imagenet-classes.json` text: compact JSON and a newline. */
export function formatClassNames(names: string[]): string {
  return `${JSON.stringify(names)}\n`;
}

/** Derives the wnid table and the Darknet output remap from `imagenet.labels.list`. */
export function deriveDarknetTables(labelsList: string): { wnids: string[]; darknetToImagenet: number[] } {
  const darknetOrder = labelsList.split('\n').map((line) => line.trim()).filter((line) => line !== '').slice(0, 1000);
  if (darknetOrder.length !== 1000 || darknetOrder.some((wnid) => !/^n\d{8}$/.test(wnid))) {
    throw new Error('expected at least 1000 WordNet ids (nXXXXXXXX), one per line, in imagenet.labels.list');
  }
  const wnids = [...darknetOrder].sort();
  const indexOf = new Map(wnids.map((wnid, index) => [wnid, index]));
  return { wnids, darknetToImagenet: darknetOrder.map((wnid) => indexOf.get(wnid)!) };
}

/** JSON as Python's `json.dump` writes it (`", "` between items), plus a newline — the format of the shared files. */
export function formatPythonStyleList(items: readonly (string | number)[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]\n`;
}
