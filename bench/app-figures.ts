/**
 * App figures: cold open to interactive and JS bytes (the app author's
 * `tests/bench/notebook-load.ts`, run as it is and its printed figures
 * read), and each guided notebook's headless wall time with `tailor run
 * --grade` and a cold feature cache, as a teacher grading a class runs it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface LoadFigures {
  /** gzip kB of the home page's initial JS, and of all JS an open notebook needs (the 250 kB budget). */
  initialJsKb: number;
  notebookJsKb: number;
  workerJsKb: number;
  /** Medians of 5 fresh loads in headless Chromium, ms. */
  homeUsableMs: number;
  notebookEditableMs: number;
  kernelIdleMs: number;
}

export interface NotebookFigure {
  notebook: string;
  seconds: number;
  exitCode: number;
  /** `tailor run --grade`'s score line, e.g. `score: 6/6 checks = 100%`. */
  score: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Runs `tests/bench/notebook-load.ts` and reads its figures; throws with its output when a figure is missing. */
export async function notebookLoad(root: string): Promise<LoadFigures> {
  const out = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'tests/bench/notebook-load.ts'], root);
  const read = (label: RegExp): number => {
    const m = out.stdout.match(label);
    if (!m) throw new Error(`tests/bench/notebook-load.ts did not print ${label} (exit ${out.code}): ${(out.stderr || out.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    return Number(m[1]);
  };
  return {
    initialJsKb: read(/initial JS \(home page\):\s+([\d.]+) kB/),
    notebookJsKb: read(/JS for an open notebook:\s+([\d.]+) kB/),
    workerJsKb: read(/workers \(off main thread\):\s+([\d.]+) kB/),
    homeUsableMs: read(/home page usable:\s+([\d.]+) ms/),
    notebookEditableMs: read(/new notebook editable:\s+([\d.]+) ms/),
    kernelIdleMs: read(/kernel idle \(ready to run\):\s+([\d.]+) ms/),
  };
}

/** Runs every `notebooks/*.ipynb` with `tailor run --grade` (cold feature cache; 06 gets 20 ants + 20 bees as the learner's photos). */
export async function guidedNotebooks(root: string, log: (...m: unknown[]) => void): Promise<NotebookFigure[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-bench-notebooks-'));
  const photos = path.join(work, 'my-photos');
  for (const cls of ['ants', 'bees']) {
    const source = path.join(root, 'public/data/hymenoptera_data/train', cls);
    fs.mkdirSync(path.join(photos, cls), { recursive: true });
    for (const name of fs.readdirSync(source).sort().slice(0, 20)) fs.copyFileSync(path.join(source, name), path.join(photos, cls, name));
  }
  const figures: NotebookFigure[] = [];
  try {
    for (const notebook of fs.readdirSync(path.join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort()) {
      const args = [path.join(root, 'bin/tailor'), 'run', path.join(root, 'notebooks', notebook), '--out', path.join(work, notebook), '--grade', '--timeout-per-cell', '240'];
      if (notebook.startsWith('06-')) args.push('--files', photos);
      const t0 = performance.now();
      const result = await run(process.execPath, args, root, { TAILOR_CACHE_DIR: path.join(work, `cache-${notebook}`) });
      const seconds = (performance.now() - t0) / 1000;
      const score = result.stdout.match(/^score: .*$/m)?.[0] ?? `no score (exit ${result.code}): ${result.stderr.trim().split('\n').at(-1) ?? ''}`;
      figures.push({ notebook, seconds, exitCode: result.code, score });
      log(`${notebook}: ${seconds.toFixed(1)} s, ${score}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return figures;
}
