// `tailor assets` in download mode: the real HTTP code path, pointed by
// TAILOR_ASSETS_BASE_URL at a local server on 127.0.0.1 that serves the shared
// assets laid out like the publishers' URLs (tests/unit/publisher-mirror.ts).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { parseSha256Sums } from '../../bin/assets/sha256sums.ts';
import { startPublisherMirror, type PublisherMirror } from './publisher-mirror.ts';
import { runTailor, SHARED_ASSETS, startTailor } from './run-tailor.ts';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const hashFile = async (path: string) => sha256(await readFile(path));
const exists = (path: string) => stat(path).then(() => true, () => false);
const tempFilesUnder = async (dir: string) => (await readdir(dir, { recursive: true })).map(String).filter((n) => n.includes('tailor-tmp'));

const MOBILENET_025 = '/storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224';
const MOBILENET_075 = '/storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224';
const DARKNET = '/raw.githubusercontent.com/ml5js/ml5-data-and-models/master/models/darknetclassifier/darknettiny';

let scratch: string;
let mirror: PublisherMirror;
let runs = 0;
const freshOut = () => join(scratch, `public-${++runs}`);
const download = (args: string[], out: string, base = mirror.baseUrl) =>
  runTailor(['assets', ...args], { TAILOR_ASSETS_BASE_URL: base, TAILOR_PUBLIC_DIR: out });

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tailor-assets-download-'));
  mirror = await startPublisherMirror(SHARED_ASSETS, join(scratch, 'hymenoptera_data.zip'));
});
afterAll(async () => {
  await mirror?.close();
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  mirror.faults.clear();
  mirror.onStall = undefined;
});

describe('a full download', () => {
  let out: string;
  beforeAll(() => {
    out = freshOut();
  });

  test('fetches models, label tables and datasets, each matching the shared copy', async () => {
    const run = await download([], out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Every model file, including the label tables derived from the publishers' formats, matches SHA256SUMS.
    const sums = parseSha256Sums(await readFile(join(SHARED_ASSETS, 'models/SHA256SUMS'), 'utf8'));
    for (const [path, hash] of sums) expect(await hashFile(join(out, 'models', path)), path).toBe(hash);
    expect(await readFile(join(out, 'models/SHA256SUMS'), 'utf8')).toBe(await readFile(join(SHARED_ASSETS, 'models/SHA256SUMS'), 'utf8'));
    // Shards were fetched relative to model.json, as its weightsManifest lists them.
    expect(mirror.requests).toContain(`${MOBILENET_025}/group55-shard1of1`);
    expect(mirror.requests).toContain(`${DARKNET}/group31-shard1of1`);

    // The dataset comes out of the zip byte for byte, without the archive's macOS clutter.
    const index = JSON.parse(await readFile(join(out, 'data/hymenoptera_data/index.json'), 'utf8'));
    expect(index).toMatchObject({ splits: ['train', 'val'], classes: ['ants', 'bees'] });
    const sharedImages = (await readdir(join(SHARED_ASSETS, 'data/hymenoptera_data'), { recursive: true })).map(String).filter((n) => /\.(jpe?g|png)$/i.test(n));
    expect(index.files).toHaveLength(sharedImages.length);
    for (const file of index.files) {
      expect(await hashFile(join(out, 'data/hymenoptera_data', file.path)), file.path).toBe(await hashFile(join(SHARED_ASSETS, 'data/hymenoptera_data', file.path)));
    }
    expect(await exists(join(out, 'data/hymenoptera_data/.DS_Store'))).toBe(false);
    expect(await exists(join(out, 'data/__MACOSX'))).toBe(false);
    expect((await readdir(join(out, 'data'))).sort()).toEqual(['hymenoptera_data', 'photos']);

    for (const photo of ['ant', 'bee', 'cat', 'dog', 'pizza', 'teddy']) {
      expect(await hashFile(join(out, `data/photos/${photo}.jpg`))).toBe(await hashFile(join(SHARED_ASSETS, `data/photos/${photo}.jpg`)));
    }
    expect(JSON.parse(await readFile(join(out, 'data/photos/index.json'), 'utf8')).files).toHaveLength(6);
    expect(await tempFilesUnder(out)).toEqual([]);
    expect(run.stdout).toMatch(/data\/hymenoptera_data {2}\d+ files, 4\d\.\d MB {2}\(downloaded\)/);
  });

  test('a second run finds everything complete and makes no request', async () => {
    const before = mirror.requests.length;
    const run = await download([], out);
    expect(run.code).toBe(0);
    expect(run.stdout.match(/\(already complete\)/g)).toHaveLength(7);
    expect(mirror.requests.length).toBe(before);
  });
});

test('a transfer cut short fails naming the URL and leaves no file', async () => {
  const out = freshOut();
  mirror.faults.set(`${MOBILENET_025}/group29-shard1of1`, 'truncate');
  const run = await download(['--only', 'models'], out);
  expect(run.code).toBe(1);
  const size = (await stat(join(SHARED_ASSETS, 'models/mobilenet_v1_0.25_224/group29-shard1of1'))).size;
  // The mirror sends half the file then closes; how much of that half arrives
  // before the socket error depends on timing, so only the shape is fixed.
  expect(run.stderr).toContain(`download of ${mirror.baseUrl}${MOBILENET_025}/group29-shard1of1 broke off after `);
  const received = Number(/broke off after (\d+) of (\d+) bytes/.exec(run.stderr)?.[1]);
  expect(received).toBeLessThanOrEqual(size >> 1);
  expect(run.stderr).toContain(`of ${size} bytes`);
  expect(await exists(join(out, 'models/mobilenet_v1_0.25_224/group29-shard1of1'))).toBe(false);
  expect(await tempFilesUnder(out)).toEqual([]);
});

test('a file whose bytes do not match the known hash fails naming the file and both hashes, and leaves no file', async () => {
  const out = freshOut();
  const path = `${DARKNET}/group5-shard1of1`;
  mirror.faults.set(path, 'corrupt');
  const good = await readFile(join(SHARED_ASSETS, 'models/darknet_tiny/group5-shard1of1'));
  const bad = Buffer.from(good);
  bad[bad.length >> 1]! ^= 0xff;
  const run = await download(['--only', 'models'], out);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('models/darknet_tiny/group5-shard1of1: SHA-256 mismatch');
  expect(run.stderr).toContain(`${mirror.baseUrl}${path}`);
  expect(run.stderr).toContain(`expected ${sha256(good)}`);
  expect(run.stderr).toContain(`got      ${sha256(bad)}`);
  expect(await exists(join(out, 'models/darknet_tiny/group5-shard1of1'))).toBe(false);
  expect(await tempFilesUnder(out)).toEqual([]);
});

test('a 404 fails naming the URL', async () => {
  const out = freshOut();
  mirror.faults.set(`${MOBILENET_025}/model.json`, 404);
  const run = await download(['--only', 'models'], out);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`could not download ${mirror.baseUrl}${MOBILENET_025}/model.json: HTTP 404 Not Found`);
  expect(await exists(join(out, 'models/mobilenet_v1_0.25_224/model.json'))).toBe(false);
});

test('an unreachable server fails naming the URL and explaining TAILOR_ASSETS', async () => {
  // A port that was free a moment ago: nothing listens there, the connection is refused.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const run = await download(['--only', 'models'], freshOut(), base);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`could not reach ${base}${MOBILENET_025}/model.json (ECONNREFUSED`);
  expect(run.stderr).toContain('TAILOR_ASSETS=/path/to/assets npm run assets');
});

test('Ctrl-C during a download removes the partial file and keeps the finished ones', async () => {
  const out = freshOut();
  const stalled = `${MOBILENET_075}/group1-shard1of1`;
  mirror.faults.set(stalled, 'stall');
  const { child, done } = startTailor(['assets', '--only', 'models'], { TAILOR_ASSETS_BASE_URL: mirror.baseUrl, TAILOR_PUBLIC_DIR: out });
  // Interrupt once the half-sent shard has had time to reach its temp file.
  mirror.onStall = () => setTimeout(() => child.kill('SIGINT'), 500);
  const run = await done;
  expect(run.code).toBe(130);
  expect(run.stderr).toContain('interrupted (SIGINT)');
  expect(await exists(join(out, 'models/mobilenet_v1_0.75_224/group1-shard1of1'))).toBe(false);
  expect(await tempFilesUnder(out)).toEqual([]);
  // The model before it was finished and stays.
  expect(await hashFile(join(out, 'models/mobilenet_v1_0.25_224/group55-shard1of1'))).toBe(await hashFile(join(SHARED_ASSETS, 'models/mobilenet_v1_0.25_224/group55-shard1of1')));
});
