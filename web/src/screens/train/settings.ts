// The training form: everything the student chooses before training (dataset, the model's layers,
// the hyper-parameters, the data controls), filled from a preset and turned into a train request.
// Numbers are kept as typed ("-1", "1e-3", "abc") and reach the worker unchanged (as numbers, NaN
// when not one): the worker names a field that is not a number, the engine refuses bad values.
import type { DataConfig, LayerSpec, ModelSpec, TrainConfig } from '../../engine/types';
import type { DatasetName, PresetSummary, TrainSettings } from '../../worker/protocol';

/** Optimizer kinds the engine knows (engine/optim/optimizer.cpp). */
export const OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam'] as const;
/** Learning-rate schedules (engine/optim/schedule.hpp). */
export const SCHEDULES = ['constant', 'inverse_time', 'step', 'exponential'] as const;
/** Input normalisations (engine/data/data_config.hpp). */
export const NORMALIZATIONS = ['none', 'scale', 'standardize'] as const;
/** Weight initialisations (engine/layers/initializer.cpp); auto = He before ReLU, else Xavier. */
export const INITS = ['auto', 'he_normal', 'xavier_uniform', 'xavier_normal', 'normal_small', 'zeros'] as const;

/** The strengths the "augment" switch starts from when the preset has none (default_digit_augmentation() in engine/data/data_config.hpp). */
export const DIGIT_AUGMENTATION: DataConfig['augment'] = { max_shift: 2, max_rotation: 10, max_zoom: 0.1, elastic_alpha: 0, elastic_sigma: 4 };

/** The batch-size text that means batch gradient descent (the whole training split per step). */
export const FULL_BATCH = 'full';

/** The form's text fields (numbers as typed, and the kinds chosen in selects). */
export const TEXT_FIELDS = [
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'beta',
  'beta1',
  'beta2',
  'epsilon',
  'schedule',
  'c1',
  'c2',
  'gamma',
  'stepSize',
  'l2',
  'clip',
  'seed',
  'devSize',
  'normalization',
  'shift',
  'rotation',
  'zoom',
  'elasticAlpha',
  'elasticSigma',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export type TrainForm = {
  dataset: DatasetName;
  /** The preset the form started from; the model may have been edited since (see isCustomModel). */
  preset: string;
  /** The model editor's layers; input and loss are the preset's. */
  model: ModelSpec;
  /** When off, the augmentation strengths are kept in the form but sent as zeros. */
  augment: boolean;
} & Record<TextField, string>;

/** The form filled with a preset's own configuration (the dataset is kept). */
export function formFromPreset(preset: PresetSummary, dataset: DatasetName): TrainForm {
  const { training, data, model } = preset;
  const { optimizer, schedule } = training;
  const augment = data.augment.max_shift > 0 || data.augment.max_rotation > 0 || data.augment.max_zoom > 0 || data.augment.elastic_alpha > 0;
  const strengths = augment ? data.augment : DIGIT_AUGMENTATION;
  return {
    dataset,
    preset: preset.name,
    model: structuredClone(model),
    augment,
    epochs: String(training.epochs),
    batchSize: String(training.batch_size),
    learningRate: String(optimizer.learning_rate),
    optimizer: optimizer.kind,
    beta: String(optimizer.beta),
    beta1: String(optimizer.beta1),
    beta2: String(optimizer.beta2),
    epsilon: String(optimizer.epsilon),
    schedule: schedule.kind,
    c1: String(schedule.c1),
    c2: String(schedule.c2),
    gamma: String(schedule.gamma),
    stepSize: String(schedule.step_size),
    l2: String(training.l2),
    clip: String(training.clip_norm),
    seed: String(training.seed),
    devSize: String(data.dev_size),
    normalization: data.normalization,
    shift: String(strengths.max_shift),
    rotation: String(strengths.max_rotation),
    zoom: String(strengths.max_zoom),
    elasticAlpha: String(strengths.elastic_alpha),
    elasticSigma: String(strengths.elastic_sigma),
  };
}

/** A typed number: '' is NaN (not 0, as Number('') would say), so an empty field is refused by name. */
export function parseNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? NaN : Number(trimmed);
}

export function isFullBatch(text: string): boolean {
  return text.trim().toLowerCase() === FULL_BATCH;
}

/** The layers whose weights an initialisation applies to. */
export function hasWeights(layer: Pick<LayerSpec, 'type'>): boolean {
  return layer.type === 'dense' || layer.type === 'conv2d';
}

/** The train request for a form: the whole configuration. */
export function settingsFromForm(form: TrainForm): TrainSettings {
  const fullBatch = isFullBatch(form.batchSize);
  const training: TrainConfig = {
    optimizer: {
      kind: form.optimizer.trim(),
      learning_rate: parseNumber(form.learningRate),
      beta: parseNumber(form.beta),
      beta1: parseNumber(form.beta1),
      beta2: parseNumber(form.beta2),
      epsilon: parseNumber(form.epsilon),
    },
    schedule: {
      kind: form.schedule.trim(),
      c1: parseNumber(form.c1),
      c2: parseNumber(form.c2),
      gamma: parseNumber(form.gamma),
      step_size: parseNumber(form.stepSize),
    },
    batch_size: fullBatch ? 1 : parseNumber(form.batchSize), // full: the worker sets the split's size
    epochs: parseNumber(form.epochs),
    l2: parseNumber(form.l2),
    clip_norm: parseNumber(form.clip),
    seed: parseNumber(form.seed),
  };
  const sigma = parseNumber(form.elasticSigma);
  const data: DataConfig = {
    dev_size: parseNumber(form.devSize),
    normalization: form.normalization.trim(),
    augment: form.augment
      ? { max_shift: parseNumber(form.shift), max_rotation: parseNumber(form.rotation), max_zoom: parseNumber(form.zoom), elastic_alpha: parseNumber(form.elasticAlpha), elastic_sigma: sigma }
      : { max_shift: 0, max_rotation: 0, max_zoom: 0, elastic_alpha: 0, elastic_sigma: sigma },
  };
  return {
    preset: form.preset,
    dataset: form.dataset,
    model: structuredClone(form.model),
    training,
    data,
    ...(fullBatch ? { fullBatch } : {}),
  };
}
