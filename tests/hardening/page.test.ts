/**
 * Hardening — the page, in real Chromium on the production build: work is
 * never lost (reload mid-edit, a second tab, a full disk, going offline),
 * hostile or huge notebooks open safely, a flood of output leaves the page
 * responsive, and the page's heap stays flat over 20 Run-alls. Each case
 * asserts what the learner sees. docs/robustness.md lists the same cases.
 *
 * This file drives a browser; it builds the app itself when it is not run by
 * the `browser` Vitest project (see built-app.ts).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { builtAppInChromium } from '../browser/built-app.ts';
import {
  cell,
  cellCount,
  dropNotebook,
  editor,
  newNotebook,
  openHome,
  output,
  settleAutosave,
  sourceOf,
  typeInto,
  waitForKernel,
  waitForOutput,
} from '../browser/notebook-page.ts';

const session = builtAppInChromium();

const codeCell = (id: string, source: string, outputs: unknown[] = [], count: number | null = null) =>
  ({ id, cell_type: 'code', source, metadata: {}, outputs, execution_count: count });
const notebookText = (cells: unknown[]) =>
  JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'tailor', display_name: 'TypeScript (Tailor)', language: 'typescript' } }, cells });

/** Runs a command from the palette (Ctrl+Shift+P), as a user would. */
async function command(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.insertText(label);
  await page.keyboard.press('Enter');
}

interface PageCase {
  name: string;
  run(): Promise<void>;
}

const workNeverLost: PageCase[] = [
  {
    name: 'reload mid-edit: the typed text comes back, and the page says it was restored',
    async run() {
      const page = await newNotebook(session.browser, session.app.url);
      await typeInto(page, 1, 'const halfWritten = "typed, not saved";');
      await settleAutosave(page);
      await page.reload();
      await cell(page, 1).waitFor();
      expect(await sourceOf(page, 1)).toBe('const halfWritten = "typed, not saved";');
      await expect.poll(() => page.getByText(/Restored unsaved changes from/).count()).toBe(1);
    },
  },
  {
    name: 'two tabs on the same notebook: both are warned, no silent overwrite',
    async run() {
      const page = await newNotebook(session.browser, session.app.url);
      await typeInto(page, 1, '1');
      await settleAutosave(page);
      const second = await session.browser.newPage();
      await second.goto(page.url());
      await cell(second, 1).waitFor();
      const warning = 'This notebook is also open in another tab. Edit it in one tab only, or the tabs will overwrite each other\'s autosave.';
      await expect.poll(() => second.getByRole('alert').filter({ hasText: warning }).count()).toBe(1);
      await expect.poll(() => page.getByRole('alert').filter({ hasText: warning }).count()).toBe(1);
      await second.close();
    },
  },
  {
    name: 'storage quota exceeded: autosave says so and how to keep the work',
    async run() {
      const page = await newNotebook(session.browser, session.app.url);
      await page.evaluate(() => {
        IDBObjectStore.prototype.put = function () {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      });
      await typeInto(page, 1, 'const work = "precious";');
      const alert = page.getByRole('alert').filter({ hasText: /storage for this site is full/ });
      await expect.poll(() => alert.count(), { timeout: 5000 }).toBe(1);
      expect(await alert.innerText()).toMatch(/Save the notebook to a file/);
      // The text is still in the editor.
      expect(await sourceOf(page, 1)).toBe('const work = "precious";');
    },
  },
  {
    name: 'offline after the first load: the open page keeps editing, running cells and autosaving',
    async run() {
      const page = await newNotebook(session.browser, session.app.url);
      await typeInto(page, 1, 'const online = 20;\nonline + 1');
      await page.keyboard.press('Control+Enter');
      await waitForOutput(page, 1, '21');
      await session.browser.context.setOffline(true);
      try {
        await page.keyboard.press('Alt+Enter');
        await page.keyboard.insertText('online * 2 + 2');
        await page.keyboard.press('Control+Enter');
        await waitForOutput(page, 2, '42');
        await settleAutosave(page);
        expect(await page.getByText('Autosave failed').count()).toBe(0);
      } finally {
        await session.browser.context.setOffline(false);
      }
      // What was autosaved offline is there after a reload.
      await page.reload();
      await cell(page, 2).waitFor();
      expect(await sourceOf(page, 2)).toBe('online * 2 + 2');
    },
  },
];

/** Markup that must not act while a notebook is untrusted, and what must be gone from the DOM. */
const HOSTILE_HTML = [
  '<p class="kept">benign text</p>',
  '<script>window.__pwned = "script"</script>',
  '<img id="onerror" src="x:" onerror="window.__pwned = \'onerror\'">',
  '<a id="js-link" href="javascript:window.__pwned = \'link\'">click me</a>',
  '<img id="remote-img" src="http://198.51.100.7/tracker.png">',
  '<link rel="stylesheet" href="http://198.51.100.7/sheet.css">',
  '<div id="remote-css" style="background: url(http://198.51.100.7/bg.png)">styled</div>',
  '<iframe src="http://198.51.100.7/frame"></iframe>',
  '<form action="http://198.51.100.7/steal"><input name="x"></form>',
].join('\n');
const HOSTILE_SVG = [
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="60" height="20" onload="window.__pwned = \'svg onload\'">',
  '<script>window.__pwned = "svg script"</script>',
  '<a xlink:href="javascript:window.__pwned = \'svg link\'"><text x="2" y="14">svg text</text></a>',
  '<image href="http://198.51.100.7/svg.png" width="5" height="5"/>',
  '<foreignObject><iframe src="http://198.51.100.7/fo"></iframe></foreignObject>',
  '</svg>',
].join('');

describe('hardening: page', () => {
  for (const c of workNeverLost) it(c.name, () => c.run());

  it('an invalid notebook dropped on the page: the reason is shown, the home page stays usable', async () => {
    const page = await openHome(session.browser, session.app.url);
    await dropNotebook(page, 'mangled.ipynb', '{"cells": [');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.count()).toBe(1);
    expect(await alert.innerText()).toBe('Could not open mangled.ipynb:\nThe file is not valid JSON: unexpected end of the file at line 1, column 12. Was it cut short or edited by hand?');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await cell(page, 1).waitFor();
  });

  it('HTML and SVG outputs of an untrusted notebook: no script, handler, javascript: link or external request', async () => {
    const page = await openHome(session.browser, session.app.url);
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(session.app.url) && !/^(data|blob):/.test(request.url())) external.push(request.url());
    });
    const outputs = [
      { output_type: 'display_data', data: { 'text/html': HOSTILE_HTML, 'text/plain': 'html' }, metadata: {} },
      { output_type: 'display_data', data: { 'image/svg+xml': HOSTILE_SVG, 'text/plain': 'svg' }, metadata: {} },
    ];
    await dropNotebook(page, 'hostile.ipynb', notebookText([codeCell('h', '1', outputs, 1)]));
    await expect.poll(() => output(page, 1).getByText('benign text').count()).toBe(1);
    await expect.poll(() => page.getByText('This notebook came from a file or a link, so its HTML and SVG outputs are shown sanitised and nothing has run.').count()).toBe(1);
    await output(page, 1).locator('#js-link').click().catch(() => undefined);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
    const area = output(page, 1);
    const leftovers = await area.evaluate((root) => {
      const all = [root, ...root.querySelectorAll('*')].flatMap((el) => [el, ...(el.shadowRoot ? el.shadowRoot.querySelectorAll('*') : [])]);
      return all.flatMap((el) =>
        [...el.attributes]
          .filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value) || /https?:\/\/198\.51/.test(a.value))
          .map((a) => `${el.tagName.toLowerCase()} ${a.name}=${a.value}`)
          .concat(/^(SCRIPT|IFRAME|LINK|FORM|FOREIGNOBJECT)$/i.test(el.tagName) ? [el.tagName.toLowerCase()] : []),
      );
    });
    expect(leftovers).toEqual([]);
    expect(external).toEqual([]);
  });

  it('a 10,000-cell notebook opens and scrolls to its last cell', async () => {
    const page = await openHome(session.browser, session.app.url);
    const cells = Array.from({ length: 10_000 }, (_, i) => codeCell(`c${i}`, `const v${i} = ${i};`));
    const started = Date.now();
    await dropNotebook(page, 'huge.ipynb', notebookText(cells));
    await cell(page, 1).waitFor({ timeout: 100_000 });
    const opened = Date.now() - started;
    expect(await cellCount(page)).toBe(10_000);
    await cell(page, 10_000).scrollIntoViewIfNeeded();
    await expect.poll(() => sourceOf(page, 10_000), { timeout: 30_000 }).toBe('const v9999 = 9999;');
    // The last cell can be edited like the first.
    await editor(page, 10_000).click();
    await page.keyboard.press('End');
    await page.keyboard.insertText(' // edited');
    expect(await sourceOf(page, 10_000)).toBe('const v9999 = 9999; // edited');
    console.log(`10,000-cell notebook: first cell shown after ${opened} ms, then scrolled to the end and edited in ${Date.now() - started - opened} ms`);
  });

  it('100,000 console.log lines: capped with a notice, and the page answers while they arrive', async () => {
    const page = await newNotebook(session.browser, session.app.url);
    await typeInto(page, 1, 'for (let i = 0; i < 100_000; i++) console.log("line", i);');
    await page.keyboard.press('Alt+Enter');
    await page.keyboard.insertText('const stillTyping = true;');
    await waitForOutput(page, 1, '[output truncated: this cell wrote more than 10,000 lines or 1 MB; the rest is not shown]', 60_000);
    expect(await sourceOf(page, 2)).toBe('const stillTyping = true;');
    expect(await output(page, 1).innerText()).toContain('line 9999');
    await waitForKernel(page);
  });

  it('soak: the page heap after 20 Run-alls stays within 1.5× of its heap after the first', async () => {
    const page = await openHome(session.browser, session.app.url);
    const cells = [
      codeCell('a', 'const xs = Array.from({ length: 200 }, (_, i) => ({ i, y: Math.sin(i / 10) }));\nxs.length'),
      codeCell('b', 'for (const p of xs.slice(0, 100)) console.log(p.i, p.y.toFixed(3));'),
      codeCell('c', 'import * as Plot from "@observablehq/plot";\nPlot.lineY(xs, { x: "i", y: "y" }).plot()'),
      codeCell('d', 'display(xs.slice(0, 20));\nconst t = tf.tidy(() => tf.randomNormal([64, 64]).matMul(tf.randomNormal([64, 64])).sum());\nconst total = (await t.data())[0];\nt.dispose();\ntotal'),
    ];
    await dropNotebook(page, 'soak.ipynb', notebookText(cells));
    await cell(page, 4).waitFor();
    await page.getByRole('button', { name: 'Trust', exact: true }).click();
    const cdp = await page.context().newCDPSession(page);
    const heapAfterGc = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const series: number[] = [];
    for (let run = 1; run <= 20; run++) {
      await command(page, 'Run all');
      // Cell 4 of run k is execution 4k.
      await cell(page, 4).getByLabel(`Execution count ${4 * run}`, { exact: true }).waitFor({ timeout: 60_000 });
      await waitForKernel(page);
      series.push(await heapAfterGc());
    }
    const mb = series.map((b) => (b / 2 ** 20).toFixed(1));
    console.log(`page heap after each of 20 Run-alls (MB): ${mb.join(', ')}`);
    expect(Math.max(...series)).toBeLessThanOrEqual(1.5 * series[0]);
    expect(session.browser.errorsOf(page)).toEqual([]);
  });
});
