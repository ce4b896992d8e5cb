import type { ImageSet } from '../types.ts';
import { seededRandom, shuffled } from '../random.ts';

/** Options of `splitStratified`. */
export interface SplitOptions {
  /** Fraction of each class that goes to validation, in (0, 1). Default 0.2. */
  val?: number;
  /** Seed of the shuffle: the same seed gives the same split. Default 1. */
  seed?: number;
}

/**
 * Splits a set into train and validation, class by class, so both keep the
 * class proportions. Deterministic for a seed; items keep their original
 * order inside each part. A class with at least 2 images gives at least one
 * to each side.
 */
export function splitStratified(set: ImageSet, options: SplitOptions = {}): { train: ImageSet; val: ImageSet } {
  const fraction = options.val ?? 0.2;
  const seed = options.seed ?? 1;
  if (!(fraction > 0 && fraction < 1)) throw new Error(`split.val must be a fraction between 0 and 1 (exclusive); got ${fraction}.`);
  if (!Number.isInteger(seed)) throw new Error(`split.seed must be an integer; got ${seed}.`);
  const toVal = new Set<number>();
  set.classes.forEach((_, label) => {
    const members = set.items.flatMap((it, i) => (it.label === label ? [i] : []));
    let n = Math.round(members.length * fraction);
    if (members.length >= 2) n = Math.min(Math.max(n, 1), members.length - 1);
    // Each class gets its own stream, so adding images to one class does not reshuffle the others.
    const random = seededRandom(seed * 1_000_003 + label * 7919);
    for (const i of shuffled(members, random).slice(0, n)) toVal.add(i);
  });
  return {
    train: { classes: set.classes, items: set.items.filter((_, i) => !toVal.has(i)) },
    val: { classes: set.classes, items: set.items.filter((_, i) => toVal.has(i)) },
  };
}
