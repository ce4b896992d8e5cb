/**
 * `loadTrainedModel`: reads a model saved by `TrainedModel.save` (or any
 * layers classifier given labels and preprocessing) from a URL, a Node
 * folder, picked files or an IOHandler, with its labels and preprocessing.
 */
import * as tf from '@tensorflow/tfjs';
import { isNode } from '../env.ts';
import { fileSystemHandler, folderOf } from './file-io.ts';
import { checkPreprocessing, type Preprocessing } from './model-inputs.ts';
import { createTrainedModel, type TailorMetadata, type TrainedModel } from './trained-model.ts';

/** Where a saved model is. */
export type TrainedModelSource = string | ArrayLike<File> | tf.io.IOHandler;

/** Overrides for models saved without Tailor's metadata. */
export interface LoadTrainedModelOptions {
  labels?: string[];
  preprocessing?: Preprocessing;
}

function toHandler(source: TrainedModelSource): string | tf.io.IOHandler {
  if (typeof source === 'string') {
    const folder = folderOf(source);
    if (folder === undefined) return source;
    if (isNode()) return fileSystemHandler(folder.replace(/\/model\.json$/, ''));
    return source; // a relative URL in the page
  }
  if (typeof (source as tf.io.IOHandler).load === 'function') return source as tf.io.IOHandler;
  const files = Array.from(source as ArrayLike<File>);
  const json = files.find((f) => f.name.endsWith('.json'));
  if (!json) throw new Error(`loadTrainedModel needs model.json among the files; got ${files.map((f) => f.name).join(', ') || 'none'}.`);
  return tf.io.browserFiles([json, ...files.filter((f) => f !== json)]);
}

/**
 * Loads a trained model: `'https://…/model.json'`, `'indexeddb://name'`, a
 * Node folder or `file://folder`, picked files (model.json + weights), or an
 * IOHandler. Labels and preprocessing come from `userDefinedMetadata.tailor`
 * unless given in `options`; without either it throws, saying so.
 */
export async function loadTrainedModel(source: TrainedModelSource, options: LoadTrainedModelOptions = {}): Promise<TrainedModel> {
  const model = await tf.loadLayersModel(toHandler(source));
  const stored = (model.getUserDefinedMetadata() as { tailor?: Partial<TailorMetadata> } | undefined)?.tailor;
  const labels = options.labels ?? stored?.labels;
  const where = typeof source === 'string' ? source : 'the model';
  try {
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) {
      throw new Error(`${where} has no labels in userDefinedMetadata.tailor; pass {labels: [...]} (one per output).`);
    }
    const outputs = (model.outputs[0].shape as number[]).at(-1);
    if (outputs !== labels.length) {
      throw new Error(`${where} outputs ${outputs} classes but ${labels.length} labels were given (${labels.join(', ')}).`);
    }
    const preprocessing = checkPreprocessing(options.preprocessing ?? stored?.preprocessing, where);
    return createTrainedModel(model, { ...stored, version: 1, labels, preprocessing });
  } catch (error) {
    model.dispose();
    throw error;
  }
}
