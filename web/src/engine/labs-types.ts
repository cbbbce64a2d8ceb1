// What the worker knows about the course labs' bindings (bindings/labs_bindings.cpp). value_objects
// cross as plain objects with the engine's snake_case fields; NetworkLab is a handle (delete() it).
import type { EmbindHandle, ImageSet, OptimizerConfig, TrainConfig } from './types';

export interface PointSet {
  /** [m, 2] row-major. */
  x: number[];
  /** [m], 0 or 1. */
  labels: number[];
}

export interface SoftmaxReport {
  softmax: number[];
  hardmax: number[];
  loss: number;
  predicted: number;
}

export interface EwaSeries {
  plain: number[];
  corrected: number[];
}

export interface SurfaceGrid {
  w1_min: number;
  w1_max: number;
  w2_min: number;
  w2_max: number;
  columns: number;
  rows: number;
  /** [rows, columns], row 0 at w2_min. */
  values: number[];
}

export interface Trajectory {
  w1: number[];
  w2: number[];
  loss: number[];
  diverged: boolean;
}

export interface ActivationCurve {
  z: number[];
  value: number[];
  derivative: number[];
}

export interface LayerStatistics {
  kind: string;
  mean: number;
  stddev: number;
  dead_fraction: number;
  min: number;
  max: number;
  histogram: number[];
}

export interface NetworkLabConfig {
  hidden: number[];
  activation: string;
  init: string;
  bias: number;
  batch_norm: boolean;
  training: TrainConfig;
}

export interface NetworkLabStep {
  steps: number;
  epochs: number;
  batch_loss: number;
  loss: number;
  accuracy: number;
  learning_rate: number;
  seconds: number;
}

export interface LinearCollapse {
  weight: number[];
  bias: number;
  max_difference: number;
}

export interface InitializationLabConfig {
  init: string;
  activation: string;
  layers: number;
  width: number;
  samples: number;
  bins: number;
  seed: number;
}

export interface NormalizationLabConfig {
  normalize: boolean;
  learning_rate: number;
  steps: number;
  columns: number;
  rows: number;
  samples: number;
  seed: number;
}

export interface NormalizationLabReport {
  mean: number[];
  stddev: number[];
  optimum: number[];
  w1_min: number;
  w1_max: number;
  w2_min: number;
  w2_max: number;
  grid: number[];
  path_w1: number[];
  path_w2: number[];
  path_loss: number[];
  diverged: boolean;
}

export interface NetworkLab extends EmbindHandle {
  setPoints(x: number[], labels: number[]): void;
  train(steps: number): NetworkLabStep;
  trainEpochs(epochs: number): NetworkLabStep;
  evaluate(): NetworkLabStep;
  predictGrid(x1Min: number, x1Max: number, x2Min: number, x2Max: number, columns: number, rows: number): number[];
  weightGradientNorms(): number[];
  activationStatistics(bins: number): LayerStatistics[];
  linearCollapse(): LinearCollapse;
  /** Running mean then running variance of every unit of the index-th batch-norm layer. */
  batchNormRunning(index: number): number[];
  parameterCount(): number;
  parameter(index: number): number[];
  gradient(index: number): number[];
  points(): number;
}

export interface NetworkLabConstructor {
  new (config: NetworkLabConfig, x: number[], labels: number[]): NetworkLab;
}

export interface BiasVarianceExperiment {
  train_size: number;
  dev_size: number;
  hidden: number[];
  l2: number;
  /** L2 as weight decay outside Adam (TrainConfig's l2_decoupled). */
  l2_decoupled: boolean;
  /** DataConfig's normalization: none, scale or standardize. */
  normalization: string;
  dropout: number;
  augment: boolean;
  epochs: number;
  learning_rate: number;
  seed: number;
}

export interface BiasVarianceResult {
  /** Fractions in [0, 1]. */
  train_error: number;
  dev_error: number;
  train_loss: number;
  dev_loss: number;
  seconds: number;
  parameters: number;
}

/** The labs' part of the module (every function throws an Error with the engine's message). */
export interface LabsModule {
  labPointSet(kind: string, count: number, noise: number, seed: number): PointSet;
  labSoftmax(logits: number[], trueClass: number): SoftmaxReport;
  labEwa(theta: number[], beta: number): EwaSeries;
  labTemperatureSeries(days: number, noise: number, seed: number): number[];
  labSurfaceGrid(surface: string, columns: number, rows: number): SurfaceGrid;
  labTrajectory(surface: string, optimizer: OptimizerConfig, w1: number, w2: number, steps: number): Trajectory;
  labActivationCurve(name: string, from: number, to: number, points: number, slope: number): ActivationCurve;
  labInitializationStatistics(config: InitializationLabConfig): LayerStatistics[];
  labNormalization(config: NormalizationLabConfig): NormalizationLabReport;
  labBiasVariance(images: ImageSet, experiment: BiasVarianceExperiment, threads: number): BiasVarianceResult;
  /** `count` augmented versions of image `index`, uint8 [count, C, H, W]. */
  labAugmentationPreview(images: ImageSet, index: number, count: number, seed: number): Uint8Array;
  /** The engine's training and data defaults (TrainConfig, DataConfig) and no training-set size (0, refused);
   *  the lab's own settings are in labs/defaults.json. */
  defaultBiasVarianceExperiment(): BiasVarianceExperiment;
  defaultNetworkLabConfig(): NetworkLabConfig;
  defaultInitializationLabConfig(): InitializationLabConfig;
  defaultNormalizationLabConfig(): NormalizationLabConfig;
  NetworkLab: NetworkLabConstructor;
}
