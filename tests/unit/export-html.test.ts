// HTML export (Node): a notebook with every kind of content becomes one page with the
// Markdown rendered, code highlighted, outputs shown — and nothing that runs or loads.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportHtml, sanitizeMarkup } from '../../src/export/index.ts';
import { parseExportArgs } from '../../bin/commands/export.ts';
import { exportFixtureNotebook, FIXTURE, writeExportFixture } from '../support/export-fixture.ts';
import { runTailor } from './run-tailor.ts';

/** Every URL the page would fetch when shown: src/href of resource elements, srcset, CSS url(…) and @import. */
function resourceUrls(html: string): string[] {
  const { document } = parseHTML(html);
  const urls: string[] = [];
  for (const el of document.querySelectorAll('[src], [srcset], link[href], image[href], use[href], [xlink\\:href], [poster], [data]')) {
    for (const name of ['src', 'srcset', 'poster', 'data', 'xlink:href']) {
      const value = el.getAttribute(name);
      if (value) urls.push(value);
    }
    if (el.localName !== 'a' && el.getAttribute('href')) urls.push(el.getAttribute('href')!);
  }
  for (const match of html.matchAll(/url\(\s*['"]?([^'")]+)|@import\s+['"]?([^'";\s]+)/g)) urls.push(match[1] ?? match[2]);
  return urls;
}

describe('exportHtml', () => {
  let html: string;
  let document: Document;
  beforeAll(async () => {
    html = exportHtml(await exportFixtureNotebook(), { title: 'Ants & bees' });
    document = parseHTML(html).document as unknown as Document;
  });

  it('renders Markdown, highlighted code, streams, errors, the Plot SVG and the PNG', () => {
    expect(document.querySelector('title')!.textContent).toBe('Ants & bees');
    expect(document.querySelector('.markdown h1')!.textContent).toBe(FIXTURE.heading);
    expect(document.querySelectorAll('.markdown table td').length).toBe(4);
    // Code is highlighted with lezer token classes (a keyword and a type name at least).
    const code = document.querySelectorAll('pre.code')[1];
    expect(code.textContent).toContain(FIXTURE.codeLine);
    expect(code.querySelector('.tok-keyword')!.textContent).toBe('const');
    expect(code.querySelector('.tok-typeName')!.textContent).toBe('number');
    expect(document.querySelector('.stream.stdout')!.textContent).toBe(`${FIXTURE.stdout}\n`);
    expect(document.querySelector('.stream.stderr')!.textContent).toBe(`${FIXTURE.stderr}\n`);
    const error = document.querySelector('.error-output')!;
    expect(error.textContent).toContain(`${FIXTURE.errorName}: ${FIXTURE.errorValue}`);
    expect(error.textContent).not.toContain('\u001b');
    // The ANSI red became a coloured span.
    expect(error.querySelector('span[style*="color"]')!.textContent).toBe(FIXTURE.errorName);
    const svg = document.querySelector('.svg-output svg')!;
    expect(svg.querySelectorAll('rect').length).toBeGreaterThanOrEqual(FIXTURE.plotBars);
    expect(svg.querySelectorAll('text').length).toBeGreaterThan(3);
    const images = [...document.querySelectorAll('img')].map((img) => img.getAttribute('src') ?? '');
    // The PNG output and the Markdown attachment, both as data URLs.
    expect(images.filter((src) => src.startsWith('data:image/png;base64,iVBOR')).length).toBe(2);
    expect(document.querySelector('.html-output h3')!.textContent).toBe(FIXTURE.htmlText);
    expect(document.querySelectorAll('.html-output td').length).toBe(2);
    expect([...document.querySelectorAll('.prompt')].map((p) => p.textContent)).toEqual(['[1]:', '[2]:', '[3]:', '[4]:', '[5]:']);
  });

  it('strips scripts, event handlers, javascript: URLs and frames', () => {
    expect(document.querySelectorAll('script, iframe, link, object, embed').length).toBe(0);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toContain('__pwned');
    // The link to the docs stays a link that opens in a new tab.
    const docs = document.querySelector('a[href="https://example.com/docs"]')!;
    expect(docs.getAttribute('rel')).toBe('noopener noreferrer');
    expect(docs.getAttribute('target')).toBe('_blank');
  });

  it('references no external resource: only data: URLs and #fragments', () => {
    const urls = resourceUrls(html);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^(data:image\/|#)/);
    expect(html).not.toMatch(/(src|srcset)\s*=\s*["']?\s*https?:/i);
    expect(html).not.toContain('example.com/tracker.png');
    expect(html).not.toContain('example.com/bg.png');
    // And a policy that makes the browser refuse anything else.
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')).toContain("default-src 'none'");
  });

  it('sanitizeMarkup keeps charts and tables and removes what runs or loads', () => {
    expect(sanitizeMarkup('<svg viewBox="0 0 4 4"><clipPath id="c"><rect width="2" height="2"/></clipPath><g clip-path="url(#c)"><circle r="1"/></g></svg>')).toBe(
      '<svg viewBox="0 0 4 4"><clipPath id="c"><rect width="2" height="2"></rect></clipPath><g clip-path="url(#c)"><circle r="1"></circle></g></svg>',
    );
    expect(sanitizeMarkup('<b onclick="x()">a &lt; b</b><script>x()</script>')).toBe('<b>a &lt; b</b>');
    expect(sanitizeMarkup('<svg><style>@import url(https://e.com/a.css);</style><use href="https://e.com/s.svg#a"/></svg>')).toBe('<svg><use></use></svg>');
    expect(sanitizeMarkup('<p style="color: red">x</p><p style="background:url(//e.com/x)">y</p>')).toBe('<p style="color: red">x</p><p>y</p>');
    expect(sanitizeMarkup('<style>p > b { color: red }</style><style>a{}</style></style><img src=x>')).toBe('<style>p > b { color: red }</style><style>a{}</style>');
    expect(sanitizeMarkup('<a href=" JaVaScRiPt:alert(1)">x</a><math><mi>x</mi></math><textarea><img src=x onerror=1></textarea>')).toBe('<a>x</a>');
  });
});

describe('tailor export (CLI)', () => {
  let notebook: string;
  beforeAll(async () => {
    notebook = await writeExportFixture();
  });
  afterAll(async () => {
    await rm(dirname(notebook), { recursive: true, force: true });
  });

  it('writes NOTEBOOK.html next to the input by default, and --out elsewhere', async () => {
    const run = await runTailor(['export', notebook, '--to', 'html']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const page = await readFile(join(dirname(notebook), 'ants-vs-bees.html'), 'utf8');
    expect(page).toContain('<title>ants-vs-bees</title>');
    expect(page).toContain(FIXTURE.stdout);
    const out = join(dirname(notebook), 'shared.html');
    const second = await runTailor(['export', notebook, '--to=html', '--out', out, '--title', 'Shared']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`wrote ${out}`);
    expect(await readFile(out, 'utf8')).toContain('<title>Shared</title>');
  });

  it('exits 2 with a clear message for bad arguments and for a file that is not a notebook', async () => {
    // Argument errors in-process (each is a result, not a throw); one of them through the real command.
    expect(parseExportArgs([notebook])).toEqual({ ok: false, error: '--to is required (one of: html)' });
    expect(parseExportArgs([notebook, '--to', 'pdf'])).toEqual({ ok: false, error: "unknown format 'pdf' for --to; expected one of: html" });
    expect(parseExportArgs([notebook, '--to', 'html', '--fast'])).toEqual({ ok: false, error: "unknown option '--fast'" });
    expect(parseExportArgs(['--to', 'html'])).toEqual({ ok: false, error: 'which notebook? Give NOTEBOOK.ipynb' });
    expect(parseExportArgs([notebook, '--to', 'html', '--out'])).toEqual({ ok: false, error: '--out needs a value' });
    const badFormat = await runTailor(['export', notebook, '--to', 'pdf']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("tailor export: unknown format 'pdf'");
    expect(badFormat.stderr).toContain('usage: tailor export');
    const missing = await runTailor(['export', join(dirname(notebook), 'nope.ipynb'), '--to', 'html']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const broken = join(dirname(notebook), 'broken.ipynb');
    await writeFile(broken, '{"cells": [', 'utf8');
    const malformed = await runTailor(['export', broken, '--to', 'html']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('is not a notebook Tailor can read; nothing was written');
    await expect(readFile(join(dirname(notebook), 'broken.html'))).rejects.toThrow();
    const help = await runTailor(['export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: tailor export NOTEBOOK.ipynb --to html [--out FILE]');
  });
});
