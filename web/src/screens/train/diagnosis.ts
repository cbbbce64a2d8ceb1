// The course's bias/variance reading of a run: compare the training error with human-level error
// (~0 % on MNIST digits) and the dev error with the training error. Pure; unit-tested.
//
// The thresholds are declared once, in diagnosis-thresholds.json, which the native test of the
// bias/variance recipe on MNIST (tests/native/test_labs_bias_variance_recipe_file.cpp) reads too.
// They were checked against the course's table (errors in %, human ≈ 0 %):
//
//   train error    1     15     15     0.5
//   dev error     11     16     30     1
//   reading     high   high   high    fine
//            variance  bias   bias +
//                             variance
//
// - high bias:     train error − human error  > highBiasPoints (the avoidable bias)
// - high variance: dev error − train error    > highVariancePoints
// The columns' (bias, variance) in points: (1, 10), (15, 1), (15, 15), (0.5, 0.5); so the table
// reads right with any bias threshold in [1, 15) and any variance threshold in [1, 10). At a bias
// threshold of 2, the bias/variance lab's "more data" row (train 2.1 %, dev 8.5 %), plainly a
// variance problem, read as both.
import THRESHOLDS from './diagnosis-thresholds.json';

/** Avoidable bias (train − human, in percentage points) above which the model underfits. */
export const HIGH_BIAS_POINTS: number = THRESHOLDS.highBiasPoints;
/** Gap (dev − train, in percentage points) above which the model overfits. */
export const HIGH_VARIANCE_POINTS: number = THRESHOLDS.highVariancePoints;
/** Human-level error on handwritten digits, in %. */
export const HUMAN_ERROR_PERCENT: number = THRESHOLDS.humanErrorPercent;

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
