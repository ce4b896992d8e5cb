/**
 * Completion latency of the editor's TypeScript intelligence in the built app,
 * in real Chromium, the way a user meets it: open the home page, click "New
 * notebook", type `import { loadBackbone } from 'tailor'; const net = await
 * loadBackbone(…);` as soon as the first cell shows, then `net.` key by key.
 *
 * - first: from the `.` key until the completion list shows `classify`;
 * - later: four more completions in the same cell (`.`, `info.`, `net.`, `i`),
 *   then `net.` in a new cell below (a new file in the program);
 * - breakdown: the language worker's own measures (`src/language/timings.ts`),
 *   placed on a time line that starts at the "New notebook" click.
 *
 * Latencies are taken inside the page (the key's event time to the moment the
 * list holds the entry), so Playwright's polling does not add to them. Each try
 * is a fresh Chromium profile (cold caches, as a first visit). Prints figures;
 * asserts nothing.
 *
 * Run (one timing job at a time on a shared machine):
 *   flock /tmp/bench.lock npx tsx tests/bench/completion-latency.ts [--tries 5] [--pause ms] [--dist DIR]…
 * `--pause` waits that long after the notebook opens before typing (default 0:
 * typing starts at once, the worst case). Without `--dist` it builds the
 * repository (vite.config.ts) and measures that; with one or more `--dist`
 * (built apps, e.g. before and after a change) it serves each and alternates
 * between them try by try, so they are compared under the same load.
 */
import type { Page } from 'playwright-core';
import { preview } from 'vite';
import { launchChromium } from '../browser/chromium.ts';
import { buildAndServe, REPO_ROOT } from '../browser/serve-build.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => options(name)[0];
const options = (name: string): string[] => args.flatMap((arg, i) => (arg === `--${name}` && args[i + 1] !== undefined ? [args[i + 1]] : []));
const tries = Number(option('tries') ?? 5);
const pause = Number(option('pause') ?? 0);

interface Measure {
  name: string;
  /** ms since the "New notebook" click (page clock). */
  start: number;
  ms: number;
  detail?: string;
}

interface Try {
  first: number;
  firstSinceOpen: number;
  later: number[];
  newCell: number;
  measures: Measure[];
}

/**
 * Page-side probe, as source text (tsx would rewrite a function's inner names with helpers the page lacks).
 * Records the time of the next keydown in the editor, and resolves with the ms from it until the
 * completion list inside that editor holds `expected`.
 */
const PROBE = `(editor, expected) => {
  const root = editor.closest('.cm-editor');
  return new Promise((resolve) => {
    let keyAt;
    const has = () => [...root.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')].some((label) => label.textContent === expected);
    const check = () => {
      if (keyAt === undefined || !has()) return;
      observer.disconnect();
      resolve(performance.now() - keyAt);
    };
    const observer = new MutationObserver(check);
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    editor.addEventListener('keydown', (event) => { keyAt = event.timeStamp; queueMicrotask(check); }, { once: true, capture: true });
  });
}`;

const editor = (page: Page, n: number) => page.getByRole('group', { name: `Cell ${n}`, exact: true }).locator('.cm-content');

/** Types `text` at the end of cell `n`; returns the in-page ms from its last key until the list shows `expected`. */
async function timeCompletion(page: Page, n: number, text: string, expected: string): Promise<number> {
  await page.keyboard.press('Control+End');
  if (text.length > 1) await page.keyboard.type(text.slice(0, -1));
  const handle = await editor(page, n).elementHandle();
  // Installed (and awaited) before the key, so the probe sees its keydown.
  await handle!.evaluate(new Function(`window.tailorBenchProbe = (${PROBE}).apply(null, arguments)`) as (el: Element, expected: string) => void, expected);
  await page.keyboard.type(text.slice(-1));
  const waiting = page.evaluate('window.tailorBenchProbe') as Promise<number>;
  const ms = await Promise.race([waiting, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no "${expected}" in the completion list after 30 s`)), 30_000))]);
  await page.keyboard.press('Escape');
  return Math.round(ms);
}

async function measureOnce(url: string): Promise<Try> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    const button = page.getByRole('button', { name: 'New notebook' });
    await button.waitFor();
    await page.evaluate("document.addEventListener('click', (event) => { window.tailorBenchClick = event.timeStamp; }, { capture: true, once: true })");
    await button.click();
    await editor(page, 1).waitFor();
    if (pause) await page.waitForTimeout(pause);
    await editor(page, 1).click();
    await page.keyboard.insertText("import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\n");
    const first = await timeCompletion(page, 1, 'net.', 'classify');
    const clickAt = (await page.evaluate('window.tailorBenchClick')) as number;
    const firstSinceOpen = Math.round(((await page.evaluate('performance.now()')) as number) - clickAt);
    await page.keyboard.press('Backspace');
    const later: number[] = [];
    for (const [text, expected] of [['.', 'classify'], ['info.', 'featureDim'], ['featureDim;\nnet.', 'classify'], ['i', 'info']] as const) {
      later.push(await timeCompletion(page, 1, text, expected));
    }
    await page.keyboard.insertText('nfo;');
    await page.getByRole('button', { name: 'Add code cell', exact: true }).click();
    await editor(page, 2).waitFor();
    const newCell = await timeCompletion(page, 2, 'net.', 'classify');

    const worker = page.workers().find((w) => /ts-worker/.test(w.url()));
    if (!worker) throw new Error('no TypeScript worker on the page');
    const pageOrigin = (await page.evaluate('performance.timeOrigin')) as number;
    const workerOrigin = (await worker.evaluate('performance.timeOrigin')) as number;
    const raw = (await worker.evaluate(
      "performance.getEntriesByType('measure').filter((e) => e.name.startsWith('tailor-ts:')).map((e) => ({ name: e.name.slice(10), start: e.startTime, ms: e.duration, detail: e.detail ?? undefined }))",
    )) as Measure[];
    const shift = workerOrigin - pageOrigin - clickAt;
    const measures = raw.map((m) => ({ ...m, start: Math.round(m.start + shift), ms: Math.round(m.ms) }));
    return { first, firstSinceOpen, later, newCell, measures };
  } finally {
    await browser.close();
  }
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : Math.round((sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);
  return `median ${median} ms (min ${sorted[0]}, max ${sorted[sorted.length - 1]}, n=${sorted.length})`;
};

/** The worker's time line up to the first answered completion, one line per measure. */
function timeline(measures: Measure[]): string[] {
  const firstAnswer = measures.findIndex((m) => m.name === 'request' && m.detail === 'completions');
  const upTo = firstAnswer >= 0 ? measures.slice(0, firstAnswer + 1) : measures;
  return upTo.map((m) => `    at ${String(m.start).padStart(5)} ms  ${`${m.name}${m.detail ? ` (${m.detail})` : ''}`.padEnd(36)} ${String(m.ms).padStart(5)} ms`);
}

/** Serves a built app folder (with the config's isolation headers); resolves with its URL and a stop function. */
async function serveDist(outDir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await preview({ root: REPO_ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
  return { url: server.resolvedUrls!.local[0], close: () => server.close() };
}

const dists = options('dist');
const apps = dists.length ? await Promise.all(dists.map(async (dir) => ({ label: dir, ...(await serveDist(dir)) }))) : [{ label: 'this repository', ...(await buildAndServe()) }];
const results = new Map<string, Try[]>(apps.map((app) => [app.label, []]));
try {
  for (let i = 0; i < tries; i++) {
    for (const app of apps) {
      const result = await measureOnce(app.url);
      results.get(app.label)!.push(result);
      console.log(`${app.label} try ${i + 1}: first ${result.first} ms after its key (${result.firstSinceOpen} ms after "New notebook"); later ${result.later.join(', ')} ms; new cell ${result.newCell} ms`);
      console.log(timeline(result.measures).join('\n'));
    }
  }
} finally {
  for (const app of apps) await app.close();
}

for (const [label, runs] of results) {
  const phaseMedian = (name: string, detail?: string) =>
    stats(runs.flatMap((r) => r.measures.filter((m) => m.name === name && (detail === undefined || m.detail === detail)).slice(0, 1).map((m) => m.ms)));
  console.log(`\n${label}: completion latency, built app in Chromium, ${tries} fresh profiles, typing ${pause ? `${pause} ms after` : 'as soon as'} the notebook opens:`);
  console.log(`  first completion:        ${stats(runs.map((r) => r.first))}`);
  console.log(`  first, since the click:  ${stats(runs.map((r) => r.firstSinceOpen))}`);
  console.log(`  later completions:       ${stats(runs.flatMap((r) => r.later))}`);
  console.log(`  in a new cell:           ${stats(runs.map((r) => r.newCell))}`);
  console.log('  worker phases (first of each):');
  for (const [name, detail] of [['script', undefined], ['typescript', undefined], ['service', undefined], ['program', undefined], ['warm-up', 'diagnostics'], ['request', 'completions']] as const) {
    console.log(`    ${`${name}${detail ? ` (${detail})` : ''}`.padEnd(24)} ${phaseMedian(name, detail)}`);
  }
}
