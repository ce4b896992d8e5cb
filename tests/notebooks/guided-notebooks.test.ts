/**
 * Every guided notebook in `notebooks/` runs headless with `tailor run
 * --grade`, as a teacher would run it: no cell may fail and every check
 * must pass. The notebooks share one feature cache (TAILOR_CACHE_DIR), so
 * 03–06 reuse the features 02 extracted. `06-your-own-images` gets a folder
 * of ant and bee photos through `--files`. The figures the notebooks print
 * (accuracies, timings) go to the test log. Each executed notebook must pass
 * Jupyter's `nbformat.validate` and render with `jupyter nbconvert --to html`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIpynb } from '../../src/model/index.ts';
import { buildGuidedNotebooks, NOTEBOOKS_DIR } from '../support/guided-notebooks.ts';
import { PYTHON, validateIpynbs } from '../support/nbformat.ts';
import { assetsRoot } from '../support/transfer-env.ts';
import { runTailor } from '../unit/run-tailor.ts';

const notebooks = readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith('.ipynb')).sort();
const work = mkdtempSync(join(tmpdir(), 'tailor-guided-'));
const cacheDir = join(work, 'cache');
const photosDir = join(work, 'my-photos');
const executed: string[] = [];
const timings: string[] = [];

/** A class-per-folder tree of real photos (20 ants, 20 bees) and one stray text file, as a learner would bring. */
function makePhotoFolder(): void {
  const source = join(assetsRoot(), 'data', 'hymenoptera_data', 'train');
  for (const cls of ['ants', 'bees']) {
    mkdirSync(join(photosDir, cls), { recursive: true });
    for (const name of readdirSync(join(source, cls)).sort().slice(0, 20)) copyFileSync(join(source, cls, name), join(photosDir, cls, name));
  }
  writeFileSync(join(photosDir, 'notes.txt'), 'not a photo\n');
}

interface Ipynb {
  cells: { cell_type: string; source: string | string[]; metadata: { tags?: string[] }; outputs?: { output_type: string; name?: string; text?: string | string[] }[] }[];
}
const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('') : (v ?? ''));

beforeAll(() => {
  mkdirSync(cacheDir);
  makePhotoFolder();
});

afterAll(() => {
  if (timings.length) console.log(`guided notebooks, headless (tailor run, wall time):\n${timings.join('\n')}`);
});

describe('the guided notebooks', () => {
  it('are what notebooks/src builds, and each that loads a backbone has a parameters cell with backbone and dataset', () => {
    const built = buildGuidedNotebooks();
    expect(built.map((b) => b.file)).toEqual(notebooks);
    for (const { file, text } of built) {
      expect(readFileSync(join(NOTEBOOKS_DIR, file), 'utf8'), `notebooks/${file} is stale: run npx tsx tests/support/build-notebooks.ts`).toBe(text);
      const parsed = parseIpynb(text);
      if (!parsed.ok) throw new Error(parsed.errors.join('; '));
      const parameters = parsed.notebook.cells.find((c) => c.cell_type === 'code' && ((c.metadata as { tags?: string[] }).tags ?? []).includes('parameters'));
      // The welcome notebook loads no model; every other one names its backbone and data there.
      if (!text.includes('loadBackbone')) continue;
      expect(parameters?.source ?? '', `${file} has no cell tagged "parameters"`).toMatch(/const backbone = /);
      expect(parameters?.source ?? '').toMatch(/const dataset = /);
    }
  });

  for (const file of notebooks) {
    it(`${file} runs green with tailor run --grade`, { timeout: 300_000 }, async () => {
      const out = join(work, file);
      const args = ['run', join(NOTEBOOKS_DIR, file), '--out', out, '--grade', '--timeout-per-cell', '240'];
      if (file.startsWith('06-')) args.push('--files', photosDir);
      const started = performance.now();
      const run = await runTailor(args, { TAILOR_PUBLIC_DIR: assetsRoot(), TAILOR_CACHE_DIR: cacheDir });
      const seconds = (performance.now() - started) / 1000;
      timings.push(`  ${file.padEnd(42)} ${seconds.toFixed(1)} s`);
      const nb = JSON.parse(readFileSync(out, 'utf8')) as Ipynb;
      executed.push(out);
      // The figures a learner reads (accuracies, timings, cache hits) go to the test log.
      const printed = nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'stream' && o.name === 'stdout').map((o) => joined(o.text).trim()));
      console.log(`${file} — ${seconds.toFixed(1)} s\n${run.stdout.trim()}\n--- printed by the notebook ---\n${printed.join('\n')}\n`);
      const errors = nb.cells.flatMap((c, i) => (c.outputs ?? []).filter((o) => o.output_type === 'error').map(() => `cell ${i + 1}`));
      expect(errors, run.stderr).toEqual([]);
      expect(run.stdout).toMatch(/^score: (\d+)\/\1 checks = 100%/m);
      expect(run.code, run.stderr).toBe(0);
    });
  }

  it('every executed notebook passes nbformat.validate and renders with jupyter nbconvert --to html', { timeout: 180_000 }, () => {
    expect(executed).toHaveLength(notebooks.length);
    expect(validateIpynbs(executed.map((f) => readFileSync(f, 'utf8')))).toEqual(executed.map(() => null));
    const htmlDir = join(work, 'html');
    const result = spawnSync(PYTHON, ['-m', 'nbconvert', '--to', 'html', '--output-dir', htmlDir, ...executed], { encoding: 'utf8', env: { ...process.env, PYTHONWARNINGS: 'ignore' } });
    expect(result.status, result.stderr.slice(-3000)).toBe(0);
    for (const file of executed) {
      const html = join(htmlDir, file.split('/').pop()!.replace(/\.ipynb$/, '.html'));
      expect(existsSync(html), `${html} was not written`).toBe(true);
      const text = readFileSync(html, 'utf8');
      // The saved outputs made it into the page: check marks, and charts or images where the notebook draws them.
      expect(text).toContain('tailor-check-pass');
      if (!file.startsWith('00-')) expect(text).toMatch(/<svg|data:image\/png/);
    }
  });
});
