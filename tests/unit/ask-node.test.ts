/**
 * `ask.files` and `ask.webcam` in the Node kernel, answered as `tailor run
 * --files DIR` answers them (the files under DIR, `DIR/<class>/` images),
 * with real photos: names, paths and bytes arrive; the list feeds the
 * library's dataset builders; without --files the errors name --files; an
 * interrupt ends the wait. Then the real `tailor run` command on a fixture.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFromFolder } from '../../kernels/host/answer-from-folder.ts';
import { startNodeKernel, type ExecuteOutcome, type NodeKernel } from '../../kernels/host/node-kernel.ts';
import { isDisplayData, isError, isExecuteResult, isInputRequest, isUpdateDisplayData, MIME } from '../../kernels/protocol/index.ts';
import { validateIpynbs } from '../support/nbformat.ts';
import { assetsRoot } from '../support/transfer-env.ts';
import { REPO_ROOT, runTailor } from './run-tailor.ts';

const photo = (name: string) => join(assetsRoot(), 'data', 'photos', `${name}.jpg`);

/** DIR/{ants,bees}/*.jpg, a top-level photo, a text file and a hidden file; CAM/{left,right}/*.jpg. */
function makeFolders(): { dir: string; cam: string } {
  const root = mkdtempSync(join(tmpdir(), 'tailor-ask-'));
  const dir = join(root, 'data');
  const cam = join(root, 'cam');
  for (const [folder, names] of [
    ['ants', ['ant', 'teddy']],
    ['bees', ['bee', 'pizza']],
  ] as const) {
    mkdirSync(join(dir, folder), { recursive: true });
    for (const name of names) copyFileSync(photo(name), join(dir, folder, `${name}.jpg`));
  }
  copyFileSync(photo('cat'), join(dir, 'cat.jpg'));
  writeFileSync(join(dir, 'notes.txt'), 'not an image');
  writeFileSync(join(dir, '.hidden.jpg'), 'hidden');
  for (const [label, names] of [
    ['left', ['dog', 'cat', 'ant']],
    ['right', ['bee', 'pizza', 'teddy']],
  ] as const) {
    mkdirSync(join(cam, label), { recursive: true });
    names.forEach((name, i) => copyFileSync(photo(name), join(cam, label, `frame-${i}.jpg`)));
  }
  return { dir, cam };
}

const result = (o: ExecuteOutcome) => o.messages.filter(isExecuteResult).map((m) => m.content.data[MIME.plain] as string)[0];
const errorText = (o: ExecuteOutcome) => o.messages.filter(isError).map((m) => `${m.content.ename}: ${m.content.evalue}`).join('\n');

let folders: { dir: string; cam: string };
let withFiles: NodeKernel;
let withCamera: NodeKernel;
let withoutFiles: NodeKernel;

beforeAll(async () => {
  folders = makeFolders();
  [withFiles, withCamera, withoutFiles] = await Promise.all([
    startNodeKernel({ answerInput: answerFromFolder(folders.dir) }),
    startNodeKernel({ answerInput: answerFromFolder(folders.cam) }),
    startNodeKernel({ answerInput: answerFromFolder(undefined) }),
  ]);
});
afterAll(async () => {
  await Promise.all([withFiles, withCamera, withoutFiles].map((k) => k?.shutdown()));
});

describe('ask in the Node kernel (tailor run --files)', () => {
  it('ask.files({directory: true}) resolves with every image below DIR as Files with paths and bytes', async () => {
    const o = await withFiles.execute(
      "const files = await ask.files({ accept: 'image/*', directory: true });\n" +
        'JSON.stringify(files.map((f) => [f.path, f.name, f.type, f.bytes.length, f.size, f instanceof File, f.webkitRelativePath]))',
    );
    expect(o.reply.status, errorText(o)).toBe('ok');
    const listed = JSON.parse(result(o).slice(1, -1)) as unknown[];
    const size = (path: string) => readFileSync(join(folders.dir, path)).length;
    expect(listed).toEqual(
      ['ants/ant.jpg', 'ants/teddy.jpg', 'bees/bee.jpg', 'bees/pizza.jpg', 'cat.jpg'].map((path) => [
        path,
        path.split('/').pop(),
        'image/jpeg',
        size(path),
        size(path),
        true,
        path,
      ]),
    );
    // The bytes are the file's own.
    const head = await withFiles.execute('Array.from(files[0].bytes.slice(0, 4))');
    expect(result(head)).toBe(`[ ${Array.from(readFileSync(join(folders.dir, 'ants/ant.jpg')).subarray(0, 4)).join(', ')} ]`);
    // The cell showed the widget output, then replaced it with a summary; the request carried its id.
    const request = o.messages.find(isInputRequest)!;
    expect(request.content).toMatchObject({ kind: 'files', options: { accept: 'image/*', directory: true, multiple: true } });
    const shown = o.messages.find(isDisplayData)!;
    expect(shown.content.data[MIME.input]).toMatchObject({ id: request.content.options.id, kind: 'files' });
    const summary = o.messages.find(isUpdateDisplayData)!;
    expect(summary.content.transient.display_id).toBe(shown.content.transient.display_id);
    expect(summary.content.data[MIME.plain]).toMatch(/^Chose 5 files \([\d.]+ kB\): ants\/ant\.jpg, ants\/teddy\.jpg, bees\/bee\.jpg, bees\/pizza\.jpg, cat\.jpg$/);
  });

  it('the files feed loadImageFolder directly: classes from the folders, images decoded', async () => {
    const o = await withFiles.execute(
      "import { loadImageFolder } from 'tailor';\nconst ds = await loadImageFolder(files);\n" +
        'JSON.stringify({ classes: ds.classes, counts: ds.counts.all, skipped: ds.skipped.map((s) => s.path) })',
    );
    expect(o.reply.status, errorText(o)).toBe('ok');
    expect(result(o)).toBe(`'{"classes":["ants","bees"],"counts":{"ants":2,"bees":2},"skipped":["cat.jpg"]}'`);
  });

  it('without directory: only the files directly in DIR; accept filters by extension', async () => {
    const o = await withFiles.execute("(await ask.files()).map((f) => f.path).join(' ') + ' | ' + (await ask.files({ accept: '.txt' })).map((f) => f.name)");
    expect(result(o)).toBe("'cat.jpg notes.txt | notes.txt'");
  });

  it('ask.webcam takes DIR/<class>/ images, at most perClass each; they feed fromCaptures', async () => {
    const o = await withCamera.execute(
      "import { fromCaptures } from 'tailor';\nconst frames = await ask.webcam({ classes: ['left', 'right'], perClass: 2 });\nconst ds = await fromCaptures(frames);\n" +
        "JSON.stringify({ frames: frames.map((f) => `${f.label}/${f.name}:${f.image.length}`), counts: ds.counts.all })",
    );
    expect(o.reply.status, errorText(o)).toBe('ok');
    const size = (p: string) => readFileSync(join(folders.cam, p)).length;
    const expected = ['left/frame-0.jpg', 'left/frame-1.jpg', 'right/frame-0.jpg', 'right/frame-1.jpg'].map((p) => `${p}:${size(p)}`);
    expect(result(o)).toBe(`'${JSON.stringify({ frames: expected, counts: { left: 2, right: 2 } })}'`);
    expect(o.messages.find(isUpdateDisplayData)!.content.data[MIME.plain]).toBe('Captured 4 frames: left 2, right 2');
  });

  it('ask.webcam with a --files folder that has no class folders says it needs a camera or one folder per class', async () => {
    const o = await withFiles.execute("await ask.webcam({ classes: ['left', 'right'] })");
    expect(o.reply.status).toBe('error');
    expect(errorText(o)).toContain('ask.webcam needs a camera; in tailor run pass --files DIR with one folder per class');
    // The waiting widget was replaced: a saved notebook shows no stale camera.
    expect(o.messages.filter(isUpdateDisplayData).map((m) => m.content.data[MIME.plain])).toEqual([expect.stringMatching(/^ask\.webcam got nothing: /)]);
    // The kernel is fine afterwards.
    expect(result(await withFiles.execute('files.length'))).toBe('5');
  });

  it('without --files both fail with a message naming --files; bad options are TypeErrors naming the value', async () => {
    const files = await withoutFiles.execute("await ask.files({ accept: 'image/*' })");
    expect(errorText(files)).toBe('Error: ask.files needs files; in tailor run pass --files DIR: the files under DIR answer ask.files.');
    const webcam = await withoutFiles.execute("await ask.webcam({ classes: ['left', 'right'], perClass: 30 })");
    expect(errorText(webcam)).toMatch(/^Error: ask\.webcam needs a camera; in tailor run pass --files DIR with one folder per class/);
    const bad = await withoutFiles.execute("await ask.webcam({ classes: 'left' })");
    expect(errorText(bad)).toMatch(/^TypeError: ask\.webcam: classes must be a non-empty array of names, e\.g\. ask\.webcam\(\{classes: \['left', 'right'\]/);
    const text = await withoutFiles.execute("await input('Name?')");
    expect(errorText(text)).toContain('--param NAME=VALUE');
  });

  it('a kernel nobody answers for (no answerer) refuses at once, naming --files, and shows no widget', async () => {
    const kernel = await startNodeKernel();
    try {
      const o = await kernel.execute("await ask.files({ directory: true })");
      expect(errorText(o)).toMatch(/^Error: ask\.files cannot be answered here: .* In `tailor run`, pass --files DIR/);
      expect(o.messages.filter(isDisplayData)).toEqual([]);
    } finally {
      await kernel.shutdown();
    }
  });

  it('an interrupt ends the wait: the cell is Interrupted, the widget becomes a note, the kernel stays', async () => {
    const kernel = await startNodeKernel({ answerInput: () => new Promise(() => {}) });
    try {
      const running = kernel.execute('const before = 1;\nawait ask.files()');
      await new Promise((r) => setTimeout(r, 300));
      expect(await kernel.interrupt()).toBe('interrupted');
      const o = await running;
      expect(o.restarted).toBe(false);
      expect(errorText(o)).toMatch(/^Interrupted: /);
      expect(o.messages.filter(isUpdateDisplayData).map((m) => m.content.data[MIME.plain])).toEqual(['ask.files was interrupted.']);
      expect(result(await kernel.execute('before + 1'))).toBe('2');
    } finally {
      await kernel.shutdown();
    }
  });
});

describe('tailor run --files', () => {
  const fixture = resolve(REPO_ROOT, 'tests/fixtures/notebooks/run-ask.ipynb');

  it('answers ask.files with the folder; the written notebook holds the summary, not a picker, and is valid nbformat', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tailor-run-ask-')), 'out.ipynb');
    const r = await runTailor(['run', fixture, '--files', folders.dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const nb = JSON.parse(readFileSync(out, 'utf8')) as { cells: { outputs?: { output_type: string; data?: Record<string, unknown>; text?: string[] }[] }[] };
    const outputs = nb.cells[1].outputs!;
    const data = outputs.filter((x) => x.data).map((x) => x.data!);
    expect(data.some((d) => MIME.input in d)).toBe(false);
    expect(String(data[0][MIME.plain])).toMatch(/^Chose 5 files/);
    expect(outputs.find((x) => x.output_type === 'stream')!.text!.join('')).toBe(
      ['ants/ant.jpg', 'ants/teddy.jpg', 'bees/bee.jpg', 'bees/pizza.jpg', 'cat.jpg'].map((p) => `${p} ${readFileSync(join(folders.dir, p)).length}\n`).join(''),
    );
    expect(String((data.at(-1)![MIME.plain] as string[] | string))).toContain('ants: 2, bees: 2');
    expect(validateIpynbs([readFileSync(out, 'utf8')])).toEqual([null]);
  });

  it('without --files the cell fails with the message naming --files (exit 1)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tailor-run-ask-')), 'out.ipynb');
    const r = await runTailor(['run', fixture, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ask.files needs files; in tailor run pass --files DIR');
  });
});
