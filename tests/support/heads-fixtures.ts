/**
 * Fixtures for the heads / fine-tune / export / chart tests: real backbones
 * and hymenoptera (ants vs bees) features through the library's own
 * `loadBackbone`, `loadImageFolder` and `extractFeatures`. Extracted
 * features are cached under `os.tmpdir()/tailor-test-cache` (never in the
 * repository), so only the first run pays for extraction.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { extractFeatures, loadBackbone, loadImageFolder } from '../../kernels/transfer/index.ts';
import type { Backbone, FeatureSet, ImageDataset } from '../../kernels/transfer/index.ts';
import { setUpTransfer } from './transfer-env.ts';

let ready: Promise<void> | undefined;

/** Points the library at the assets, starts wasm, and uses a feature cache that outlives the run. */
export function setUpHeads(): Promise<void> {
  ready ??= (async () => {
    await setUpTransfer();
    process.env.TAILOR_CACHE_DIR = path.join(os.tmpdir(), 'tailor-test-cache');
  })();
  return ready;
}

const backbones = new Map<string, Promise<Backbone>>();
let dataset: Promise<ImageDataset> | undefined;

/** A shipped backbone, loaded once per test file. */
export async function backbone(id: string): Promise<Backbone> {
  await setUpHeads();
  if (!backbones.has(id)) backbones.set(id, loadBackbone(id));
  return backbones.get(id)!;
}

/** The hymenoptera dataset (train 123/121, val 70/83), loaded once per test file. */
export async function hymenoptera(): Promise<ImageDataset> {
  await setUpHeads();
  dataset ??= loadImageFolder('hymenoptera_data');
  return dataset;
}

/** Pooled features of one hymenoptera split with a shipped backbone. */
export async function hymenopteraFeatures(id: string, split: 'train' | 'val'): Promise<FeatureSet> {
  const [net, ds] = await Promise.all([backbone(id), hymenoptera()]);
  const set = ds[split];
  if (!set) throw new Error(`hymenoptera_data has no ${split}/ folder`);
  return extractFeatures(net, set);
}

/** Frees the backbones loaded by this file. */
export async function disposeBackbones(): Promise<void> {
  for (const net of backbones.values()) (await net).dispose();
  backbones.clear();
}
