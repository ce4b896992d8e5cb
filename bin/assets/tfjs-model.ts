/**
 * What a TF.js `model.json` says about its weight files: each group in
 * `weightsManifest` lists shard paths (relative to model.json) and the weights
 * they hold, from which the group's byte size follows.
 */

export interface ModelShard {
  /** Path relative to model.json, as written in the manifest. */
  path: string;
  /** Exact size when the group has a single shard; undefined when a group spans several (sizes per shard are not recorded). */
  bytes?: number;
}

interface WeightSpec {
  dtype?: string;
  shape?: number[];
  quantization?: { dtype?: string };
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Lists the shards of a model.json text; throws when it has no `weightsManifest`. */
export function listModelShards(modelJson: string, label: string): ModelShard[] {
  let parsed: { weightsManifest?: { paths?: string[]; weights?: WeightSpec[] }[] };
  try {
    parsed = JSON.parse(modelJson);
  } catch (error) {
    throw new Error(`${label} is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed.weightsManifest)) throw new Error(`${label} has no weightsManifest; is it a TF.js model.json?`);
  const shards: ModelShard[] = [];
  for (const group of parsed.weightsManifest) {
    const paths = group.paths ?? [];
    const bytes = groupBytes(group.weights ?? []);
    for (const path of paths) shards.push(paths.length === 1 && bytes !== undefined ? { path, bytes } : { path });
  }
  return shards;
}

/** Total bytes of a weight group, or undefined when a dtype has no fixed size (strings). */
function groupBytes(weights: WeightSpec[]): number | undefined {
  let total = 0;
  for (const weight of weights) {
    const dtype = weight.quantization?.dtype ?? weight.dtype ?? 'float32';
    const size = BYTES_PER_ELEMENT[dtype];
    if (size === undefined) return undefined;
    total += (weight.shape ?? []).reduce((n, d) => n * d, 1) * size;
  }
  return total;
}
