/**
 * Per-class loss weights, so a rare class counts as much as a common one.
 */

/**
 * Returns one weight per class: 'balanced' gives n / (classes × n_class)
 * (scikit-learn's rule), an array is checked and returned, undefined gives 1s.
 */
export function resolveClassWeights(spec: 'balanced' | number[] | undefined, labels: Int32Array, classes: number): Float32Array {
  if (spec === undefined) return new Float32Array(classes).fill(1);
  if (spec === 'balanced') {
    const counts = new Float32Array(classes);
    for (const l of labels) counts[l]++;
    return counts.map((n) => (n === 0 ? 0 : labels.length / (classes * n)));
  }
  if (!Array.isArray(spec) || spec.length !== classes || spec.some((w) => !(w >= 0))) {
    throw new RangeError(`classWeights must be 'balanced' or ${classes} non-negative numbers (one per class); got ${JSON.stringify(spec)}.`);
  }
  return Float32Array.from(spec);
}
