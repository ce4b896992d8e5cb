/**
 * `tailor run` as a user runs it (`node bin/tailor run …` in a child
 * process) on fixture notebooks: success, a failing cell, `--param`, a
 * timeout and a malformed file. Every notebook it writes must pass
 * Jupyter's own `nbformat.validate`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateIpynbs } from '../support/nbformat.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = resolve(ROOT, 'tests/fixtures/notebooks');

function tailor(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/tailor'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

interface Ipynb {
  cells: { cell_type: string; source: string | string[]; metadata: { tags?: string[] }; outputs?: Record<string, unknown>[]; execution_count?: number | null }[];
}
const read = (file: string): Ipynb => JSON.parse(readFileSync(file, 'utf8'));
const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v));

const written: string[] = [];
const out = (name: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'tailor-run-')), name);
  written.push(file);
  return file;
};

describe('tailor run', () => {
  it('runs every code cell, prints a line per cell and writes the outputs', async () => {
    const file = out('success.ipynb');
    const r = await tailor(['run', join(FIXTURES, 'run-success.ipynb'), '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cell 2\/6 {2}ok {6}\d+\.\d\ds$/m);
    expect(r.stdout).toMatch(/^cell 6\/6 {2}skipped/m);
    expect(r.stderr).toContain('careful');
    const nb = read(file);
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    expect(code.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, null]);
    expect(text(code[0].outputs![0].text)).toBe('[ 2, 4, 6 ]\n');
    expect((code[1].outputs![0].data as Record<string, unknown>)['text/plain']).toEqual(['10']);
    const chart = code[2].outputs!.find((o) => o.output_type === 'execute_result')!.data as Record<string, unknown>;
    expect(text(chart['image/svg+xml'])).toContain('aria-label="bar"');
    const bar = code[3].outputs![0].data as Record<string, unknown>;
    expect(bar['application/vnd.tailor.progress+json']).toMatchObject({ done: 5, total: 5 });
  });

  it('a failing cell: exit 1 naming the cell, later cells not run, the notebook still written', async () => {
    const file = out('error.ipynb');
    const r = await tailor(['run', join(FIXTURES, 'run-error.ipynb'), '--out', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cell 2 \(id [\w-]+\) failed: RangeError: n must be ≤ 0, got 1/);
    expect(r.stderr).toMatch(/at check \(Cell In\[2\], line 2:/);
    const nb = read(file);
    expect(nb.cells[1].outputs![0]).toMatchObject({ output_type: 'error', ename: 'RangeError' });
    expect(nb.cells[2].outputs).toEqual([]);
  });

  it('--allow-errors keeps going and exits 0', async () => {
    const file = out('allowed.ipynb');
    const r = await tailor(['run', join(FIXTURES, 'run-error.ipynb'), '--out', file, '--allow-errors']);
    expect(r.code).toBe(0);
    expect(text(read(file).cells[2].outputs![0].text)).toBe('never runs\n');
  });

  it('--param overrides the parameters cell through an injected-parameters cell', async () => {
    const file = out('params.ipynb');
    const r = await tailor(['run', join(FIXTURES, 'run-parameters.ipynb'), '--out', file, '--param', 'epochs=7', '--param', 'label=bees']);
    expect(r.code, r.stderr).toBe(0);
    const nb = read(file);
    expect(nb.cells[2].metadata.tags).toEqual(['injected-parameters']);
    expect(text(nb.cells[2].source)).toContain('const epochs = 7;\nconst label = "bees";');
    expect(text(nb.cells[3].outputs![0].text)).toBe('bees: 14\n');
  });

  it('--timeout-per-cell stops a cell that never yields: exit 3, the notebook written', async () => {
    const file = out('timeout.ipynb');
    const r = await tailor(['run', join(FIXTURES, 'run-timeout.ipynb'), '--out', file, '--timeout-per-cell', '0.5']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cell 2 \(id [\w-]+\) timed out after 0\.5 s/);
    expect(read(file).cells[1].outputs![0]).toMatchObject({ output_type: 'error', ename: 'KernelRestarted' });
  });

  it('a malformed notebook exits 2 with the parser message and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailor-run-'));
    const file = join(dir, 'never.ipynb');
    const r = await tailor(['run', join(FIXTURES, 'run-malformed.ipynb'), '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(FIXTURES).filter((f) => f.includes('.out.'))).toEqual([]);
  });

  it('bad arguments exit 2; --help lists the options and exit codes', async () => {
    expect((await tailor(['run'])).code).toBe(2);
    expect((await tailor(['run', 'x.ipynb', '--out', 'a', '--inplace'])).code).toBe(2);
    expect((await tailor(['run', join(FIXTURES, 'run-error.ipynb'), '--param', 'a=1'])).stderr).toMatch(/tagged "parameters"/);
    const help = await tailor(['run', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--out', '--inplace', '--timeout-per-cell', '--allow-errors', '--param', '--files']) expect(help.stdout).toContain(option);
    expect(help.stdout).toMatch(/3 {2}a cell timed out/);
  });

  it('every notebook written passes nbformat.validate', () => {
    const files = written.filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(validateIpynbs(files.map((f) => readFileSync(f, 'utf8')))).toEqual(files.map(() => null));
  });
});
