/**
 * Seeded randomness for the whole library (splits, augmentation, shuffling,
 * dropout masks): a small PRNG (mulberry32), so a seed gives the same run on
 * every machine and backend.
 */

/** Returns a function yielding uniform numbers in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy of `items`, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Returns 0..n-1 in a random order drawn from `random` (Fisher–Yates). */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** Derives a new 31-bit seed from a seed and a counter (for per-step dropout masks). */
export function deriveSeed(seed: number, counter: number): number {
  return Math.floor(seededRandom((seed ^ Math.imul(counter + 1, 0x9e3779b1)) >>> 0)() * 2147483647);
}
