/**
 * `evaluate`: accuracy, per-class precision/recall/F1/support, the confusion
 * matrix and the misclassified items of a classifier on a labelled set.
 */
import { isFeatureSet } from '../heads/feature-input.ts';
import type { FeatureInput, HeadPrediction } from '../heads/head-types.ts';
import type { FeatureSet, ImageItem, ImageSet } from '../types.ts';

/** Scores of one class. */
export interface ClassScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** True items of this class in the set. */
  support: number;
}

/** One item the classifier got wrong. */
export interface Misclassified {
  item: ImageItem;
  /** True class name. */
  label: string;
  predicted: string;
  /** The classifier's probability for `predicted`. */
  probability: number;
}

/** What `evaluate` returns (plain data; `confusionMatrix(report)` draws it). */
export interface EvaluationReport {
  accuracy: number;
  /** Unweighted mean of per-class F1. */
  macroF1: number;
  perClass: ClassScore[];
  /** `confusion.matrix[t][p]` counts items of true class `t` predicted as `p`; labels in class order. */
  confusion: { labels: string[]; matrix: number[][] };
  /** Wrong predictions, most confident first. */
  misclassified: Misclassified[];
  /** Number of items evaluated. */
  count: number;
}

/** Anything with class names and a `predict` over a set: heads, fine-tuned and exported models. */
export interface Classifier<I> {
  readonly classes?: readonly string[];
  readonly labels?: readonly string[];
  predict(input: I): Promise<HeadPrediction[]>;
}

/** Builds the report from true labels and predictions (exported for models that predict elsewhere). */
export function scorePredictions(classes: readonly string[], items: ImageItem[], truth: ArrayLike<number>, predictions: HeadPrediction[]): EvaluationReport {
  const c = classes.length;
  if (predictions.length !== truth.length) {
    throw new RangeError(`Got ${predictions.length} predictions for ${truth.length} items.`);
  }
  const matrix = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  const misclassified: Misclassified[] = [];
  let right = 0;
  predictions.forEach((p, i) => {
    const t = truth[i];
    matrix[t][p.index]++;
    if (p.index === t) right++;
    else misclassified.push({ item: items[i], label: classes[t], predicted: classes[p.index], probability: p.probability });
  });
  misclassified.sort((a, b) => b.probability - a.probability);
  const perClass = classes.map((label, k) => {
    const tp = matrix[k][k];
    const support = matrix[k].reduce((s, v) => s + v, 0);
    const predicted = matrix.reduce((s, row) => s + row[k], 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  return {
    accuracy: truth.length === 0 ? 0 : right / truth.length,
    macroF1: perClass.reduce((s, k) => s + k.f1, 0) / c,
    perClass,
    confusion: { labels: [...classes], matrix },
    misclassified,
    count: truth.length,
  };
}

/**
 * Evaluates a classifier on a labelled set: a head on a FeatureSet, or a
 * fine-tuned / composed model on an ImageSet. The set's classes must be the
 * classifier's, in the same order.
 */
export async function evaluate(model: Classifier<FeatureInput>, data: FeatureSet): Promise<EvaluationReport>;
export async function evaluate(model: Classifier<ImageSet>, data: ImageSet): Promise<EvaluationReport>;
export async function evaluate(model: Classifier<never>, data: FeatureSet | ImageSet): Promise<EvaluationReport> {
  const classes = model.classes ?? model.labels;
  if (!classes) throw new TypeError('evaluate() needs a head or model with `classes` (or `labels`) and predict().');
  if (data.classes.join('\n') !== classes.join('\n')) {
    throw new RangeError(`The set's classes [${data.classes.join(', ')}] differ from the model's [${classes.join(', ')}]; they must match in order.`);
  }
  const truth = isFeatureSet(data) ? data.labels : Int32Array.from(data.items, (it) => it.label);
  const predictions = await (model.predict as (d: FeatureSet | ImageSet) => Promise<HeadPrediction[]>)(data);
  return scorePredictions(classes, data.items, truth, predictions);
}
