/**
 * Turning images into a model's input batch with the preprocessing stored
 * in the model: decode, fit to the square input (crop mode), scale to the
 * input range. Shared by composed, fine-tuned and reloaded models.
 */
import * as tf from '@tensorflow/tfjs';
import { readItemBytes } from '../datasets/load-image-folder.ts';
import { imageInputToRaw, rawImagesToBatch, type ImageInput } from '../images/preprocess.ts';
import type { CropMode } from '../images/raw-image.ts';
import type { ImageItem, ImageSet, InputRange } from '../types.ts';

/** The preprocessing a model expects, as stored in its metadata. */
export interface Preprocessing {
  /** Side of the square input, in pixels. */
  inputSize: number;
  /** Pixel values [0, 255] are mapped linearly onto this range. */
  inputRange: InputRange;
  /** How an image is fitted to the square (see `CropMode`). */
  crop: CropMode;
}

/** Images a model's `predict` accepts: one or many `ImageInput`s, dataset items, or an ImageSet. */
export type ImagesInput = ImageInput | ImageInput[] | ImageItem[] | ImageSet;

function isImageItem(v: unknown): v is ImageItem {
  return typeof v === 'object' && v !== null && typeof (v as ImageItem).path === 'string' && typeof (v as ImageItem).label === 'number';
}

/** Flattens any `ImagesInput` to a list of single images. */
export function listImages(images: ImagesInput): (ImageInput | ImageItem)[] {
  if (typeof images === 'object' && images !== null && 'items' in images && Array.isArray((images as ImageSet).items)) {
    return (images as ImageSet).items;
  }
  return Array.isArray(images) ? images : [images as ImageInput];
}

/** Decodes and preprocesses images into a `[n, size, size, 3]` batch. Caller disposes. */
export async function imagesToBatch(images: (ImageInput | ImageItem)[], p: Preprocessing): Promise<tf.Tensor4D> {
  const raws = await Promise.all(
    images.map(async (image) => imageInputToRaw(isImageItem(image) ? await readItemBytes(image) : image, { size: p.inputSize, crop: p.crop })),
  );
  return rawImagesToBatch(raws, p.inputRange);
}

/** Checks a stored preprocessing record, naming the bad field. */
export function checkPreprocessing(p: Partial<Preprocessing> | undefined, where: string): Preprocessing {
  const ok = p && Number.isInteger(p.inputSize) && p.inputSize! > 0 && Array.isArray(p.inputRange) && p.inputRange.length === 2 &&
    ['center', 'stretch', 'pad'].includes(p.crop as string);
  if (!ok) {
    throw new Error(`${where}: preprocessing must be {inputSize: integer, inputRange: [lo, hi], crop: 'center' | 'stretch' | 'pad'}; got ${JSON.stringify(p)}.`);
  }
  return p as Preprocessing;
}
