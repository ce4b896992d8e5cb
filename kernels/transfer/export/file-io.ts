/**
 * A Node `tf.io.IOHandler` for folders (tfjs-node is not used): saves
 * `model.json` + one `weights.bin`, and loads any layers model folder.
 */
import type * as tf from '@tensorflow/tfjs';
import { nodeModules } from '../env.ts';
import { folderFiles, readModelArtifacts } from '../backbones/model-files.ts';

/** Strips `file://` from a destination; returns undefined for other schemes. */
export function folderOf(destination: string): string | undefined {
  if (destination.startsWith('file://')) return decodeURIComponent(destination.slice('file://'.length));
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(destination) ? undefined : destination;
}

/** Saves and loads a layers model in a Node folder. */
export function fileSystemHandler(folder: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const { fs, path } = await nodeModules();
      if (!(artifacts.modelTopology instanceof Object) || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('Only layers models (JSON topology) can be saved to a folder.');
      }
      const data = artifacts.weightData;
      const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const weights = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
      let offset = 0;
      for (const b of buffers) {
        weights.set(new Uint8Array(b), offset);
        offset += b.byteLength;
      }
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await fs.mkdir(folder, { recursive: true });
      const json = JSON.stringify(modelJson);
      await fs.writeFile(path.join(folder, 'model.json'), json);
      await fs.writeFile(path.join(folder, 'weights.bin'), weights);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: json.length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const { artifacts } = await readModelArtifacts(folderFiles(folder), 'Save a model there first with model.save(folder).');
      return artifacts;
    },
  };
}
