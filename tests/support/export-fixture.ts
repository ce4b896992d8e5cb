/**
 * A notebook for the HTML export tests, with every kind of content: Markdown
 * (heading, table, TypeScript fence, an attached image, hostile markup), a
 * code cell with stdout and stderr, an error with an ANSI-coloured traceback,
 * a real Observable Plot chart (SVG, rendered with linkedom as the kernel
 * does), a real PNG (sharp), and an HTML output carrying `<script>`,
 * `onerror` and external resources that must not survive.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import sharp from 'sharp';
import { createCell, createNotebook, toIpynb, type Cell, type Notebook } from '../../src/model/index.ts';

/** Markers the tests look for in the exported page. */
export const FIXTURE = {
  heading: 'Ants versus bees',
  codeLine: "const answer: number = 6 * 7;",
  stdout: 'features ready: 244 images',
  stderr: 'warning: 3 files skipped',
  errorName: 'RangeError',
  errorValue: 'topK must be at least 1',
  htmlText: 'Per-class accuracy',
  pngSize: 12,
  plotBars: 3,
} as const;

function plotSvg(): string {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const chart = Plot.barY(
    [
      { label: 'ants', accuracy: 0.91 },
      { label: 'bees', accuracy: 0.87 },
      { label: 'wasps', accuracy: 0.64 },
    ],
    { x: 'label', y: 'accuracy', fill: 'steelblue' },
  ).plot({ document: document as unknown as Document, width: 360, height: 220 });
  return (chart as unknown as { outerHTML: string }).outerHTML;
}

async function pngBase64(size: number): Promise<string> {
  const png = await sharp({ create: { width: size, height: size, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer();
  return png.toString('base64');
}

export async function exportFixtureNotebook(): Promise<Notebook> {
  const png = await pngBase64(FIXTURE.pngSize);
  const hostile =
    '<h3>' + FIXTURE.htmlText + '</h3>' +
    '<table><tr><th>class</th><th>acc</th></tr><tr><td>ants</td><td>0.91</td></tr></table>' +
    '<script>window.__pwned = "script";</script>' +
    '<img src="x" onerror="window.__pwned = \'onerror\'">' +
    '<img src="https://example.com/tracker.png" alt="tracker">' +
    '<a href="javascript:window.__pwned = \'link\'">click</a>' +
    '<link rel="stylesheet" href="https://example.com/style.css">' +
    '<iframe src="https://example.com/"></iframe>' +
    '<div style="background: url(https://example.com/bg.png)">styled</div>' +
    '<svg width="10" height="10" onload="window.__pwned = \'svg\'"><image href="https://example.com/i.png" width="5" height="5"/></svg>';
  const markdown = {
    ...createCell(
      'markdown',
      `# ${FIXTURE.heading}\n\nA *small* table:\n\n| class | images |\n| --- | --- |\n| ants | 124 |\n| bees | 121 |\n\n` +
        "```ts\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\n```\n\n" +
        '![logo](attachment:logo.png)\n\n<img src=x onerror="window.__pwned = \'markdown\'"> [docs](https://example.com/docs)\n',
      'md-1',
    ),
    attachments: { 'logo.png': { 'image/png': png } },
  };
  const code = (id: string, source: string, outputs: unknown[], count: number): Cell =>
    ({ ...createCell('code', source, id), outputs, execution_count: count }) as Cell;
  const cells: Cell[] = [
    markdown,
    code('code-1', `${FIXTURE.codeLine}\nconsole.log('${FIXTURE.stdout}');`, [
      { output_type: 'stream', name: 'stdout', text: `${FIXTURE.stdout}\n` },
      { output_type: 'stream', name: 'stderr', text: `${FIXTURE.stderr}\n` },
    ], 1),
    code('code-2', "net.classify(image, {topK: 0})", [
      {
        output_type: 'error',
        ename: FIXTURE.errorName,
        evalue: FIXTURE.errorValue,
        traceback: [`\u001b[31m${FIXTURE.errorName}\u001b[0m: ${FIXTURE.errorValue}`, '    at cell 2, line 1'],
      },
    ], 2),
    code('code-3', 'Plot.barY(scores, {x: "label", y: "accuracy"}).plot()', [
      { output_type: 'execute_result', data: { 'image/svg+xml': plotSvg(), 'text/plain': '<svg>' }, metadata: {}, execution_count: 3 },
    ], 3),
    code('code-4', 'display.image(photo)', [
      { output_type: 'display_data', data: { 'image/png': png, 'text/plain': '<image 12×12>' }, metadata: {} },
    ], 4),
    code('code-5', 'display.html(report)', [
      { output_type: 'display_data', data: { 'text/html': hostile, 'text/plain': 'report' }, metadata: {} },
    ], 5),
  ];
  return createNotebook(cells);
}

/** Writes the fixture notebook to a fresh temp folder; returns its path. */
export async function writeExportFixture(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tailor-export-'));
  const path = join(dir, 'ants-vs-bees.ipynb');
  await writeFile(path, toIpynb(await exportFixtureNotebook()), 'utf8');
  return path;
}
