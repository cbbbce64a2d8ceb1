// The training form: everything the student chooses before training (dataset, the model's layers,
// the settings of the engine's registry, the augmentation switch), filled from a preset and turned
// into a train request. Settings are keyed by the registry ('training.optimizer.epsilon'): their
// names, types, ranges, choices, URL keys and labels come from the engine, none is listed here.
// Numbers are kept as typed ("-1", "1e-3", "abc"); problemsOf() names what the engine would refuse
// in the page's language, and the engine's reader judges what is sent.
import type { AugmentConfig, DataConfig, LayerSpec, ModelSpec, TrainConfig } from '../../engine/types';
import { problemWith, setValueAt, settingsOf, valueAt, valueOfText, type Setting, type SettingKey, type SettingProblem } from '../../engine/settings-registry';
import { problemText } from '../../i18n/setting-problem';
import { t, type Locale } from '../../i18n';
import { formatSetting } from '../../ui/format';
import { fieldRow, layerFields } from './layer-types';
import type { DatasetName, PresetSummary, TrainSettings } from '../../worker/protocol';

/** Every setting of an image run: the training's, then the data's. */
export const FORM_SETTINGS: readonly Setting[] = [...settingsOf('training'), ...settingsOf('data')];

/** The settings the augmentation switch turns on and off (sent at the engine's defaults, i.e. off, when it is off). */
export function isAugmentation(s: Setting): boolean {
  return s.table === 'data' && s.path.startsWith('augment.');
}

/** Whether an augmentation transforms anything (elastic_sigma alone does not: it only smooths elastic_alpha's field). */
export function augmentationOn(a: AugmentConfig): boolean {
  return a.max_shift > 0 || a.max_rotation > 0 || a.max_zoom > 0 || a.elastic_alpha > 0;
}

/** The optimiser fields each kind reads (engine/optim/): what the run's line and the report name. */
export const OPTIMIZER_FIELDS: Record<string, readonly ('beta' | 'beta1' | 'beta2' | 'epsilon')[]> = {
  sgd: [],
  momentum: ['beta'],
  rmsprop: ['beta', 'epsilon'],
  adam: ['beta1', 'beta2', 'epsilon'],
};
const OPTIMIZER_SYMBOLS = { beta: 'β', beta1: 'β1', beta2: 'β2', epsilon: 'ε' } as const;

/** "β1 0.9, β2 0.999, ε 1e-8, AMSGrad": the fields the optimiser's kind reads, as set ('' for SGD). */
export function optimizerFieldsText(optimizer: TrainConfig['optimizer'], locale: Locale): string {
  const fields = (OPTIMIZER_FIELDS[optimizer.kind] ?? []).map((field) => `${OPTIMIZER_SYMBOLS[field]} ${formatSetting(optimizer[field], locale)}`);
  if (optimizer.kind === 'adam' && optimizer.amsgrad) fields.push('AMSGrad');
  return fields.join(', ');
}

/** λ as it ran: "0", or "96" with how it reached the weights when decoupled (as weight decay, outside the optimiser). */
export function l2Text(training: Pick<TrainConfig, 'l2' | 'l2_decoupled'>, locale: Locale): string {
  const value = formatSetting(training.l2, locale);
  return training.l2 > 0 && training.l2_decoupled ? `${value} (${t('hyper.l2DecoupledShort', locale)})` : value;
}

/** Weight initialisations, the choices of the layer field `init` (engine/layers/initializer.cpp); auto = He before ReLU, else Xavier. */
export const INITS: readonly string[] = fieldRow('init').choices;

/** The strengths the "augment" switch starts from when the preset has none (default_digit_augmentation() in engine/data/data_config.hpp). */
export const DIGIT_AUGMENTATION: Partial<DataConfig['augment']> = { max_shift: 2, max_rotation: 10, max_zoom: 0.1 };

/** The batch-size text that means batch gradient descent (the whole training split per step). */
export const FULL_BATCH = 'full';
export const BATCH_SIZE: SettingKey = 'training.batch_size';

export type TrainForm = {
  dataset: DatasetName;
  /** The preset the form started from; the model may have been edited since (see isCustomModel). */
  preset: string;
  /** The model editor's layers; input and loss are the preset's. */
  model: ModelSpec;
  /** When off, the augmentation strengths are kept in the form but sent as the engine's defaults (off). */
  augment: boolean;
  /** Every setting as typed (choices as chosen, flags as 'true'/'false'), by registry key. */
  values: Record<SettingKey, string>;
};

/** The form filled with a preset's own configuration (the dataset is kept). */
export function formFromPreset(preset: PresetSummary, dataset: DatasetName): TrainForm {
  return formFromConfig({ ...preset, preset: preset.name, dataset });
}

export type FormConfig = Pick<TrainSettings, 'preset' | 'model' | 'training' | 'data'> & { dataset: DatasetName };

/** The form of a whole configuration: a preset's, or a saved run's (every setting as it ran). */
export function formFromConfig(config: FormConfig): TrainForm {
  const { training, data, model, dataset } = config;
  const augment = augmentationOn(data.augment);
  const configs = { training, data: augment ? data : { ...data, augment: { ...data.augment, ...DIGIT_AUGMENTATION } } };
  const values = {} as Record<SettingKey, string>;
  for (const s of FORM_SETTINGS) values[s.key] = String(valueAt(configs[s.table as 'training' | 'data'], s.path));
  return { dataset, preset: config.preset, model: structuredClone(model), augment, values };
}

/** A typed number: '' is NaN (not 0, as Number('') would say), so an empty field is refused by name. */
export function parseNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? NaN : Number(trimmed);
}

export function isFullBatch(text: string): boolean {
  return text.trim().toLowerCase() === FULL_BATCH;
}

/** The layers whose weights an initialisation applies to: those whose type reads `init` (the engine's layer table). */
export function hasWeights(layer: Pick<LayerSpec, 'type'>): boolean {
  return layerFields(layer.type).includes('init');
}

/** The train request for a form: the whole configuration, as the engine reads it. */
export function settingsFromForm(form: TrainForm): TrainSettings {
  const fullBatch = isFullBatch(form.values[BATCH_SIZE] ?? '');
  const configs: Record<'training' | 'data', Record<string, unknown>> = { training: {}, data: {} };
  for (const s of FORM_SETTINGS) {
    const off = isAugmentation(s) && !form.augment;
    setValueAt(configs[s.table as 'training' | 'data'], s.path, off ? s.default : valueOfText(s, form.values[s.key] ?? ''));
  }
  const training = configs.training as unknown as TrainConfig;
  if (fullBatch) training.batch_size = 1; // the worker sets the split's size
  return {
    preset: form.preset,
    dataset: form.dataset,
    model: structuredClone(form.model),
    training,
    data: configs.data as unknown as DataConfig,
    ...(fullBatch ? { fullBatch } : {}),
  };
}

/** What the engine would refuse in the form, one message per field, in the page's language. */
export function problemsOf(form: TrainForm): string[] {
  return FORM_SETTINGS.filter((s) => !(isAugmentation(s) && !form.augment) && !(s.key === BATCH_SIZE && isFullBatch(form.values[s.key] ?? '')))
    .map((s) => problemWith(s, form.values[s.key] ?? ''))
    .filter((p): p is SettingProblem => p !== undefined)
    .map(problemText);
}
