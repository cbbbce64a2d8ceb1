// The course's bias/variance reading of a run: compare the training error with human-level error
// (~0 % on MNIST digits) and the dev error with the training error. Pure; unit-tested.
//
// Thresholds, checked against the course's table (errors in %, human ≈ 0 %):
//
//   train error    1     15     15     0.5
//   dev error     11     16     30     1
//   reading     high   high   high    fine
//            variance  bias   bias +
//                             variance
//
// - high bias:     train error − human error  > 5 points (the avoidable bias)
// - high variance: dev error − train error    > 1.5 points
// 1 → 11: bias 1 ≤ 5, variance 10 > 1.5 · 15 → 16: bias 15, variance 1 · 15 → 30: both ·
// 0.5 → 1: bias 0.5, variance 0.5: fine.
// The table allows a bias threshold anywhere between 1 and 15 points; at 2, the bias/variance
// lab's "more data" row (train 2.1 %, dev 8.5 %), plainly a variance problem, read as both.

/** Avoidable bias (train − human, in percentage points) above which the model underfits. */
export const HIGH_BIAS_POINTS = 5;
/** Gap (dev − train, in percentage points) above which the model overfits. */
export const HIGH_VARIANCE_POINTS = 1.5;
/** Human-level error on handwritten digits, in %. */
export const HUMAN_ERROR_PERCENT = 0;

export type Reading = 'fine' | 'high-bias' | 'high-variance' | 'high-bias-and-variance';

export interface Diagnosis {
  reading: Reading;
  highBias: boolean;
  highVariance: boolean;
  /** train − human, percentage points. */
  avoidableBias: number;
  /** dev − train, percentage points. */
  variance: number;
}

/** Errors in percent (e.g. 1 − accuracy, × 100). */
export function diagnose(trainErrorPercent: number, devErrorPercent: number, humanErrorPercent = HUMAN_ERROR_PERCENT): Diagnosis {
  const avoidableBias = trainErrorPercent - humanErrorPercent;
  const variance = devErrorPercent - trainErrorPercent;
  const highBias = avoidableBias > HIGH_BIAS_POINTS;
  const highVariance = variance > HIGH_VARIANCE_POINTS;
  const reading: Reading = highBias && highVariance ? 'high-bias-and-variance' : highBias ? 'high-bias' : highVariance ? 'high-variance' : 'fine';
  return { reading, highBias, highVariance, avoidableBias, variance };
}
