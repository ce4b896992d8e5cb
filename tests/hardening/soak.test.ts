/**
 * Hardening — memory and soak (Node): the work of the guided notebooks
 * 02-feature-extraction and 03-training-a-head — load the hymenoptera data
 * and MobileNet 0.25 once, then 50 times back to back: extract the features
 * (from the cache after the first run), train a softmax head, evaluate,
 * dispose — in one Node kernel, as a class leaving a kernel open all day would. Prints the
 * `tf.memory()` and RSS series; asserts no tensor is left behind and RSS is
 * flat within a generous bound. The page's heap over 20 Run-alls is in
 * page.test.ts. docs/robustness.md gives the figures.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeKernel, type NodeKernel } from '../../kernels/host/node-kernel.ts';
import { isStream } from '../../kernels/protocol/index.ts';
import { assetsRoot } from '../support/transfer-env.ts';

const RUNS = 50;

let kernel: NodeKernel;
beforeAll(async () => {
  process.env.TAILOR_PUBLIC_DIR = assetsRoot();
  process.env.TAILOR_CACHE_DIR = mkdtempSync(join(tmpdir(), 'tailor-soak-cache-'));
  kernel = await startNodeKernel();
});
afterAll(async () => kernel?.shutdown());

/** The notebooks' first cells, run once: the dataset and the backbone. */
const SETUP = `
import { loadBackbone, loadImageFolder, extractFeatures, trainHead, evaluate } from 'tailor';
const data = await loadImageFolder('hymenoptera_data', { verify: false });
const net = await loadBackbone('mobilenet_v1_0.25_224');
`;

/** The cells a learner re-runs (extract, train, evaluate); it prints the memory after it as JSON. */
const WORKLOAD = `
const train = await extractFeatures(net, data.train, { signal });
const val = await extractFeatures(net, data.val!, { signal });
const head = await trainHead(train, { kind: 'softmax', epochs: 10, validation: val, signal });
const report = await evaluate(head, val);
head.dispose();
const memory = tf.memory();
console.log(JSON.stringify({ accuracy: report.accuracy, hits: val.cache?.hits ?? 0, tensors: memory.numTensors, bytes: memory.numBytes, rss: process.memoryUsage().rss }));
`;

interface Sample {
  accuracy: number;
  hits: number;
  tensors: number;
  bytes: number;
  rss: number;
}

describe('hardening: memory and soak', () => {
  it(`feature extraction + head training ${RUNS} times in one kernel: tensors and RSS stay flat`, { timeout: 600_000 }, async () => {
    expect((await kernel.execute(SETUP)).reply.status).toBe('ok');
    const samples: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      const o = await kernel.execute(WORKLOAD);
      const errors = o.messages.filter((m) => m.header.msg_type === 'error').map((m) => JSON.stringify(m.content));
      expect(errors).toEqual([]);
      const printed = o.messages.filter(isStream).map((m) => m.content.text).join('').trim().split('\n').pop()!;
      samples.push(JSON.parse(printed));
    }
    const mb = (b: number) => (b / 2 ** 20).toFixed(0);
    console.log(`soak, ${RUNS} runs — tf.memory().numTensors: ${samples.map((s) => s.tensors).join(', ')}`);
    console.log(`soak — tf.memory().numBytes (MB): ${samples.map((s) => mb(s.bytes)).join(', ')}`);
    console.log(`soak — process RSS (MB): ${samples.map((s) => mb(s.rss)).join(', ')}`);
    console.log(`soak — val accuracy: ${samples[0].accuracy.toFixed(3)} … ${samples[RUNS - 1].accuracy.toFixed(3)}`);
    // Every run after the first reads its features from the cache, and learns the same.
    expect(samples.slice(1).every((s) => s.hits === 153)).toBe(true);
    expect(samples.every((s) => s.accuracy >= 0.8)).toBe(true);
    // No tensor outlives a run.
    expect(new Set(samples.map((s) => s.tensors)).size).toBe(1);
    expect(new Set(samples.map((s) => s.bytes)).size).toBe(1);
    // RSS: after a warm-up of 10 runs, no growth beyond 200 MB (allocator noise is tens of MB).
    const warm = samples[9].rss;
    expect(Math.max(...samples.slice(10).map((s) => s.rss))).toBeLessThan(warm + 200 * 2 ** 20);
  });
});
