// The training form: its text fields, filled from a preset or the URL (#preset=…&epochs=…), and
// turned into a train request. No validation here: the engine refuses bad values with a message.
import { isDatasetName, type DatasetName, type PresetSummary, type TrainSettings } from '../../worker/protocol';

/** Optimizer kinds the engine knows (engine/optim/optimizer.cpp). */
export const OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam'] as const;

/** What the inputs hold, as typed (so "-1" or "1e-3" reach the engine unchanged). */
export interface TrainForm {
  dataset: DatasetName;
  preset: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  optimizer: string;
  seed: string;
}

export type FormField = Exclude<keyof TrainForm, 'dataset' | 'preset'>;

export interface UrlConfig {
  form: Partial<TrainForm>;
  autostart: boolean;
}

/** Query keys accepted in the URL hash for each field (the first is the canonical one). */
const URL_KEYS: Record<keyof TrainForm, string[]> = {
  dataset: ['dataset'],
  preset: ['preset'],
  epochs: ['epochs'],
  batchSize: ['batch', 'batchSize', 'bs'],
  learningRate: ['lr', 'learningRate'],
  optimizer: ['optimizer'],
  seed: ['seed'],
};

/** Parses `#preset=tfjs-cnn&epochs=1&lr=0.001&autostart=1`. Unknown keys are ignored. */
export function parseUrlConfig(hash: string): UrlConfig {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const form: Partial<TrainForm> = {};
  for (const [field, keys] of Object.entries(URL_KEYS) as [keyof TrainForm, string[]][]) {
    const key = keys.find((k) => params.has(k));
    if (key === undefined) continue;
    const value = params.get(key)!.trim();
    if (field === 'dataset') {
      if (isDatasetName(value)) form.dataset = value;
    } else {
      form[field] = value;
    }
  }
  const autostart = ['1', 'true', 'yes'].includes(params.get('autostart')?.toLowerCase() ?? '');
  return { form, autostart };
}

/** The form's fields filled with a preset's own settings (dataset and preset kept). */
export function formFromPreset(preset: PresetSummary, dataset: DatasetName): TrainForm {
  return {
    dataset,
    preset: preset.name,
    epochs: String(preset.epochs),
    batchSize: String(preset.batchSize),
    learningRate: String(preset.learningRate),
    optimizer: preset.optimizer,
    seed: String(preset.seed),
  };
}

/**
 * The initial form: the URL's preset (else the first), filled with that preset's settings, then
 * the URL's own values on top.
 */
export function initialForm(presets: PresetSummary[], url: UrlConfig): TrainForm {
  const dataset = url.form.dataset ?? 'mnist';
  const name = url.form.preset ?? presets[0]?.name ?? '';
  const preset = presets.find((p) => p.name === name);
  const base: TrainForm = preset
    ? formFromPreset(preset, dataset)
    : { dataset, preset: name, epochs: '', batchSize: '', learningRate: '', optimizer: '', seed: '' };
  return { ...base, ...url.form, dataset, preset: name };
}

function numberOrUndefined(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The train request for a form: empty fields keep the preset's value. */
export function settingsFromForm(form: TrainForm): TrainSettings {
  const settings: TrainSettings = { preset: form.preset, dataset: form.dataset };
  const epochs = numberOrUndefined(form.epochs);
  const batchSize = numberOrUndefined(form.batchSize);
  const learningRate = numberOrUndefined(form.learningRate);
  const seed = numberOrUndefined(form.seed);
  if (epochs !== undefined) settings.epochs = epochs;
  if (batchSize !== undefined) settings.batchSize = batchSize;
  if (learningRate !== undefined) settings.learningRate = learningRate;
  if (seed !== undefined) settings.seed = seed;
  if (form.optimizer.trim() !== '') settings.optimizer = form.optimizer.trim();
  return settings;
}
