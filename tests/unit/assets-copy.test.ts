// `tailor assets` in copy mode (TAILOR_ASSETS=<folder>): real files from the
// shared assets folder, copied into a temp output folder by the real command.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseSha256Sums } from '../../bin/assets/sha256sums.ts';
import { runTailor, SHARED_ASSETS } from './run-tailor.ts';

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const listAll = async (dir: string) => (await readdir(dir, { recursive: true })).map(String);

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tailor-assets-copy-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('copy mode, models', () => {
  let out: string;
  const sums = async () => parseSha256Sums(await readFile(join(SHARED_ASSETS, 'models/SHA256SUMS'), 'utf8'));

  beforeAll(async () => {
    out = join(scratch, 'public-models');
  });

  test('copies every model file and verifies it against SHA256SUMS', async () => {
    const run = await runTailor(['assets', '--only', 'models'], { TAILOR_ASSETS: SHARED_ASSETS, TAILOR_PUBLIC_DIR: out });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const [path, hash] of await sums()) expect(await sha256(join(out, 'models', path)), path).toBe(hash);
    expect(await readFile(join(out, 'models/SHA256SUMS'), 'utf8')).toBe(await readFile(join(SHARED_ASSETS, 'models/SHA256SUMS'), 'utf8'));
    // One progress line per asset, with file and byte counts; no data was touched.
    expect(run.stdout).toMatch(/models\/mobilenet_v1_0\.25_224 {2}56 files, 2\.0 MB {2}\(copied\)/);
    expect(run.stdout).toMatch(/models\/darknet_tiny {2}32 files, 4\.2 MB {2}\(copied\)/);
    expect(run.stdout.trim().split('\n')).toHaveLength(7);
    await expect(stat(join(out, 'data'))).rejects.toThrow();
  });

  test('a second run skips complete files without rewriting them, and sweeps temp files of a killed run', async () => {
    const shard = join(out, 'models/mobilenet_v1_0.75_224/group1-shard1of1');
    const before = (await stat(shard)).mtimeMs;
    // What a run killed with SIGKILL leaves: a temp file named with its (now dead) process id.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = `${shard}.tailor-tmp-${deadPid}`;
    await writeFile(stale, 'partial');
    const run = await runTailor(['assets', '--only', 'models'], { TAILOR_ASSETS: SHARED_ASSETS, TAILOR_PUBLIC_DIR: out });
    expect(run.code).toBe(0);
    expect(run.stdout.match(/\(already complete\)/g)).toHaveLength(5);
    expect((await stat(shard)).mtimeMs).toBe(before);
    await expect(stat(stale)).rejects.toThrow();
  });

  test('a damaged file of the right size is detected by its hash and copied again', async () => {
    const shard = join(out, 'models/mobilenet_v1_0.25_224/group3-shard1of1');
    const size = (await stat(shard)).size;
    await writeFile(shard, Buffer.alloc(size, 7));
    const run = await runTailor(['assets', '--only', 'models'], { TAILOR_ASSETS: SHARED_ASSETS, TAILOR_PUBLIC_DIR: out });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/models\/mobilenet_v1_0\.25_224 {2}56 files, 2\.0 MB {2}\(copied 1, 55 already complete\)/);
    expect(await sha256(shard)).toBe((await sums()).get('mobilenet_v1_0.25_224/group3-shard1of1'));
  });

  test('--force copies everything again', async () => {
    const run = await runTailor(['assets', '--only', 'models', '--force'], { TAILOR_ASSETS: SHARED_ASSETS, TAILOR_PUBLIC_DIR: out });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/already complete/);
  });
});

test('a source file that does not match SHA256SUMS fails naming the file and both hashes, and leaves nothing behind', async () => {
  const source = join(scratch, 'bad-assets');
  await cp(join(SHARED_ASSETS, 'models'), join(source, 'models'), { recursive: true });
  const shard = join(source, 'models/mobilenet_v1_0.25_224/group7-shard1of1');
  const original = await readFile(shard);
  const altered = Buffer.from(original);
  altered[0]! ^= 0xff;
  await writeFile(shard, altered);
  const out = join(scratch, 'public-bad');

  const run = await runTailor(['assets', '--only', 'models'], { TAILOR_ASSETS: source, TAILOR_PUBLIC_DIR: out });

  expect(run.code).toBe(1);
  expect(run.stderr).toContain('models/mobilenet_v1_0.25_224/group7-shard1of1');
  expect(run.stderr).toContain(`expected ${createHash('sha256').update(original).digest('hex')}`);
  expect(run.stderr).toContain(`got      ${createHash('sha256').update(altered).digest('hex')}`);
  const written = await listAll(join(out, 'models'));
  expect(written).not.toContain('mobilenet_v1_0.25_224/group7-shard1of1');
  expect(written.filter((name) => name.includes('tailor-tmp'))).toEqual([]);
});

test('copies the datasets and writes an index.json that lists splits, classes and files', async () => {
  const out = join(scratch, 'public-data');
  const run = await runTailor(['assets', '--only=data'], { TAILOR_ASSETS: SHARED_ASSETS, TAILOR_PUBLIC_DIR: out });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);

  const index = JSON.parse(await readFile(join(out, 'data/hymenoptera_data/index.json'), 'utf8'));
  expect(index).toMatchObject({ name: 'hymenoptera_data', version: 1, splits: ['train', 'val'], classes: ['ants', 'bees'] });
  for (const split of ['train', 'val']) {
    for (const label of ['ants', 'bees']) {
      const onDisk = (await readdir(join(SHARED_ASSETS, 'data/hymenoptera_data', split, label))).filter((n) => /\.(jpe?g|png)$/i.test(n));
      const listed = index.files.filter((f: { split: string; class: string }) => f.split === split && f.class === label);
      expect(listed.map((f: { path: string }) => f.path.split('/')[2]).sort(), `${split}/${label}`).toEqual(onDisk.sort());
    }
  }
  for (const file of index.files.slice(0, 20)) {
    expect(file.bytes).toBe((await stat(join(out, 'data/hymenoptera_data', file.path))).size);
    expect(await sha256(join(out, 'data/hymenoptera_data', file.path))).toBe(await sha256(join(SHARED_ASSETS, 'data/hymenoptera_data', file.path)));
  }
  expect(index.totalBytes).toBe(index.files.reduce((sum: number, f: { bytes: number }) => sum + f.bytes, 0));

  const photos = JSON.parse(await readFile(join(out, 'data/photos/index.json'), 'utf8'));
  expect(photos.splits).toEqual([]);
  expect(photos.classes).toEqual([]);
  expect(photos.files.map((f: { path: string }) => f.path)).toEqual(['ant.jpg', 'bee.jpg', 'cat.jpg', 'dog.jpg', 'pizza.jpg', 'teddy.jpg']);
});

test('a TAILOR_ASSETS folder without the expected layout fails with a message saying what it must hold', async () => {
  const empty = join(scratch, 'empty-assets');
  const run = await runTailor(['assets', '--only', 'models'], { TAILOR_ASSETS: empty, TAILOR_PUBLIC_DIR: join(scratch, 'public-empty') });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(join(empty, 'models/mobilenet_v1_0.25_224/'));
  expect(run.stderr).toContain('must hold models/ and data/');
});

test('bad arguments exit 2 with the usage', async () => {
  const run = await runTailor(['assets', '--only', 'weights']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('invalid --only "weights"; expected models or data');
  expect(run.stderr).toContain('usage: tailor assets');
});
