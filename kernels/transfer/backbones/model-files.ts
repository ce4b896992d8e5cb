import * as tf from '@tensorflow/tfjs';
import { nodeModules } from '../env.ts';

/**
 * A place that holds `model.json` and its weight shards: a Node folder, a URL
 * prefix, or a list of dropped/picked files. `read` resolves `undefined` when
 * the file does not exist (and throws for anything else, e.g. a network error).
 */
export interface ModelFiles {
  /** What a person would recognise: the folder, URL or "dropped files". */
  label: string;
  read(name: string): Promise<Uint8Array | undefined>;
}

/** Model files in a Node folder. */
export function folderFiles(dir: string): ModelFiles {
  return {
    label: dir,
    async read(name) {
      const { fs, path } = await nodeModules();
      try {
        return new Uint8Array(await fs.readFile(path.join(dir, decodeURIComponent(name))));
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

/** Model files beside `modelJsonUrl` (http(s), or a relative URL in the page). */
export function urlFiles(modelJsonUrl: string, fetchImpl: typeof fetch = fetch): ModelFiles {
  const base = modelJsonUrl.replace(/[^/]*([?#].*)?$/, '');
  const query = modelJsonUrl.match(/\?[^#]*/)?.[0] ?? '';
  const jsonName = modelJsonUrl.slice(base.length).replace(/[?#].*$/, '') || 'model.json';
  return {
    label: modelJsonUrl,
    async read(name) {
      // TF-Hub style URLs keep their query string (`?tfjs-format=file`) on every file.
      const url = name === 'model.json' ? `${base}${jsonName}${query}` : `${base}${name}${query}`;
      let response: Response;
      try {
        response = await fetchImpl(url);
      } catch (error) {
        throw new Error(`could not fetch ${url}: ${(error as Error).message}`);
      }
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`fetching ${url} answered HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** Model files from a file picker or a drop (`model.json` plus its shards, matched by name). */
export function droppedFiles(files: ArrayLike<File>): ModelFiles {
  const byName = new Map(Array.from(files, (f) => [f.name, f] as const));
  return {
    label: `dropped files (${[...byName.keys()].join(', ')})`,
    async read(name) {
      const file = byName.get(decodeURIComponent(name).split('/').pop() ?? name);
      return file ? new Uint8Array(await file.arrayBuffer()) : undefined;
    },
  };
}

/** What `readModelArtifacts` returns: tf.js artifacts plus figures for `info`. */
export interface LoadedArtifacts {
  artifacts: tf.io.ModelArtifacts;
  format: 'layers' | 'graph';
  /** All weight bytes, in manifest order (for the weights hash). */
  weightBytes: Uint8Array;
  /** model.json + shards. */
  sizeBytes: number;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, string: 0 };

/** Bytes a weight group's specs need (quantised weights count at their stored width). */
function expectedGroupBytes(weights: tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const w of weights) {
    const dtype = w.quantization?.dtype ?? w.dtype;
    const size = DTYPE_BYTES[dtype];
    if (!size) return undefined; // strings or unknown dtypes: cannot check, let tf.js decide
    total += w.shape.reduce((a, b) => a * b, 1) * size;
  }
  return total;
}

/**
 * Reads and checks `model.json` and every shard it names. Errors say which
 * file is missing or has the wrong size, where, and what to do.
 */
export async function readModelArtifacts(files: ModelFiles, hint: string): Promise<LoadedArtifacts> {
  const jsonBytes = await files.read('model.json');
  if (!jsonBytes) throw new Error(`No model.json in ${files.label}. ${hint}`);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(new TextDecoder().decode(jsonBytes)) as tf.io.ModelJSON;
  } catch (error) {
    throw new Error(`${files.label}: model.json is not valid JSON (${(error as Error).message}).`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${files.label}: model.json has no modelTopology/weightsManifest; it is not a TensorFlow.js model.`);
  }
  const groups = json.weightsManifest;
  const shardBytes = await Promise.all(groups.map((g) => Promise.all(g.paths.map((p) => files.read(p)))));
  const missing = groups.flatMap((g, i) => g.paths.filter((_, j) => !shardBytes[i][j]));
  if (missing.length > 0) {
    throw new Error(
      `${files.label}: model.json names ${missing.length} weight shard(s) that are missing: ${missing.join(', ')}. ${hint}`,
    );
  }
  groups.forEach((g, i) => {
    const expected = expectedGroupBytes(g.weights);
    const actual = shardBytes[i].reduce((n, b) => n + b!.byteLength, 0);
    if (expected !== undefined && expected !== actual) {
      const sizes = g.paths.map((p, j) => `${p} = ${shardBytes[i][j]!.byteLength} bytes`).join(', ');
      throw new Error(
        `${files.label}: weight shard(s) ${g.paths.join(', ')} hold ${actual} bytes (${sizes}) but model.json's ` +
          `weights (${g.weights.map((w) => w.name).join(', ')}) need ${expected}. The file is truncated or ` +
          `from another model; fetch it again. ${hint}`,
      );
    }
  });
  const all = shardBytes.flat() as Uint8Array[];
  const weightBytes = new Uint8Array(all.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of all) {
    weightBytes.set(b, offset);
    offset += b.byteLength;
  }
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => [
    manifest.flatMap((g) => g.weights),
    weightBytes.buffer as ArrayBuffer,
  ]);
  const format = isGraphJson(json) ? 'graph' : 'layers';
  return { artifacts, format, weightBytes, sizeBytes: jsonBytes.byteLength + weightBytes.byteLength };
}

/** Artifacts from any tf.js IOHandler (e.g. `indexeddb://…`, `tf.io.browserFiles`). */
export async function readHandlerArtifacts(handler: tf.io.IOHandler): Promise<LoadedArtifacts> {
  if (!handler.load) throw new Error('The IOHandler passed to loadBackbone cannot load (it has no load() method).');
  const artifacts = await handler.load();
  const data = artifacts.weightData;
  const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const weightBytes = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    weightBytes.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  const topology = artifacts.modelTopology as { node?: unknown } | undefined;
  const format = artifacts.format === 'graph-model' || Array.isArray(topology?.node) ? 'graph' : 'layers';
  const jsonSize = JSON.stringify(artifacts.modelTopology ?? {}).length;
  return { artifacts, format, weightBytes, sizeBytes: jsonSize + weightBytes.byteLength };
}

function isGraphJson(json: tf.io.ModelJSON): boolean {
  const topology = json.modelTopology as { node?: unknown };
  return json.format === 'graph-model' || Array.isArray(topology.node);
}
