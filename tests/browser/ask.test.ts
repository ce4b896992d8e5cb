// Own data from cells in real Chromium against the production build: ask.files answered by files set on
// the drop zone's picker (a folder of real photos), ask.webcam recording from Chromium's fake camera,
// and a refused camera ending as a clear error in the cell while the kernel keeps working.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { assetsRoot } from '../support/transfer-env.ts';
import { builtAppInChromium } from './built-app.ts';
import { cell, newNotebook, output, typeInto, waitForOutput } from './notebook-page.ts';

const FAKE_CAMERA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

const session = builtAppInChromium(FAKE_CAMERA);

/** A picked folder `pets/` with two class folders of real photos and a text file that `accept` leaves out. */
function photoFolder(): { root: string; sizes: Record<string, number> } {
  const root = join(mkdtempSync(join(tmpdir(), 'tailor-ask-browser-')), 'pets');
  const sizes: Record<string, number> = {};
  for (const [label, names] of [
    ['cats', ['cat', 'teddy']],
    ['dogs', ['dog', 'pizza']],
  ] as const) {
    mkdirSync(join(root, label), { recursive: true });
    for (const name of names) {
      copyFileSync(join(assetsRoot(), 'data', 'photos', `${name}.jpg`), join(root, label, `${name}.jpg`));
      sizes[`${label}/${name}.jpg`] = readFileSync(join(root, label, `${name}.jpg`)).length;
    }
  }
  writeFileSync(join(root, 'cats', 'notes.txt'), 'not an image');
  return { root, sizes };
}

async function runCell(page: Page, n: number, code: string): Promise<void> {
  await typeInto(page, n, code);
  await page.keyboard.press('Control+Enter');
}

/** Holds the record button of `label` until its count reads `n/n`. */
async function record(page: Page, label: string, n: number): Promise<void> {
  const button = output(page, 1).getByRole('button', { name: `Hold to record ${label}` });
  await expect.poll(() => button.isEnabled(), { timeout: 20_000 }).toBe(true);
  const box = (await button.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect.poll(() => output(page, 1).getByLabel(`${label} frames`).textContent(), { timeout: 20_000 }).toBe(`${n}/${n}`);
  await page.mouse.up();
}

test('ask.files: a folder set on the drop zone picker arrives in the kernel with paths and bytes, and feeds loadImageFolder', async () => {
  const { root, sizes } = photoFolder();
  const page = await newNotebook(session.browser, session.app.url);
  await runCell(page, 1, "const files = await ask.files({ accept: 'image/*', directory: true });\nfiles.map((f) => `${f.path}=${f.bytes.length}`).sort().join(' ')");
  const picker = output(page, 1).locator('input[type=file]');
  await picker.waitFor({ state: 'attached', timeout: 30_000 });
  expect(await output(page, 1).getByRole('button', { name: 'Choose folder…' }).isVisible()).toBe(true);
  await picker.setInputFiles(root);
  const expected = Object.entries(sizes).map(([path, size]) => `${path}=${size}`).sort().join(' ');
  const text = await waitForOutput(page, 1, expected, 30_000);
  // The picker was replaced by the kernel's summary (notes.txt was left out by accept).
  expect(text).toMatch(/Chose 4 files \([\d.]+ kB\): cats\/cat\.jpg/);
  expect(await output(page, 1).locator('input[type=file]').count()).toBe(0);

  await page.getByRole('button', { name: 'Add code cell', exact: true }).click();
  await page.keyboard.insertText("import { loadImageFolder } from 'tailor';\nconst ds = await loadImageFolder(files);\n`${ds.classes} ${ds.all.items.length} ${ds.skipped.length}`");
  await page.keyboard.press('Control+Enter');
  expect(await waitForOutput(page, 2, 'cats,dogs', 60_000)).toContain('cats,dogs 4 0');
  expect(session.browser.errorsOf(page)).toEqual([]);
});

test('ask.webcam: hold-to-record with the fake camera captures labelled JPEG frames per class', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  await runCell(
    page,
    1,
    "const frames = await ask.webcam({ classes: ['left', 'right'], perClass: 3, size: 64 });\n" +
      'const bitmap = await createImageBitmap(new Blob([frames[0].image]));\n' +
      "frames.map((f) => `${f.label}:${f.type}:${f.image[0] === 0xff && f.image[1] === 0xd8}`).join(' ') + ` ${bitmap.width}x${bitmap.height}`",
  );
  await output(page, 1).locator('video').waitFor({ timeout: 30_000 });
  await record(page, 'left', 3);
  await record(page, 'right', 3);
  // Thumbnails of the recorded frames are shown per class.
  expect(await output(page, 1).locator('.thumbs img').count()).toBe(6);
  await output(page, 1).getByRole('button', { name: 'Done' }).click();
  const expected = [...Array(3).fill('left:image/jpeg:true'), ...Array(3).fill('right:image/jpeg:true')].join(' ') + ' 64x64';
  const text = await waitForOutput(page, 1, expected, 30_000);
  expect(text).toContain('Captured 6 frames: left 3, right 3');
  expect(await output(page, 1).locator('video').count()).toBe(0);
  expect(session.browser.errorsOf(page)).toEqual([]);
});

test('a refused camera is a clear error in the cell; the kernel and the notebook keep working', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  // The permission prompt's answer, as a learner clicking "Block" gives it.
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await runCell(page, 1, 'let kept = 7;\nawait ask.webcam({ classes: ["a", "b"] })');
  const text = await waitForOutput(page, 1, 'Camera permission was refused', 30_000);
  expect(text).toMatch(/Error: Camera permission was refused, so ask\.webcam has no frames\. Allow the camera/);
  await expect.poll(() => cell(page, 1).getByText('[1]:').count()).toBe(1);
  await page.getByRole('button', { name: 'Add code cell', exact: true }).click();
  await page.keyboard.insertText('kept * 6');
  await page.keyboard.press('Control+Enter');
  expect(await waitForOutput(page, 2, '42')).toBe('42');
});
