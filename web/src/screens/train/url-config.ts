// The whole configuration in the URL hash, so a link reproduces a run:
//   #dataset=mnist&preset=keras-cnn&lr=0.001&epochs=3&optimizer=adam&beta1=0.9&l2=0.0001&batch=64
//    &schedule=exponential&gamma=0.5&steps=2000&dev=1000&norm=standardize&augment=1&shift=2
//    &model=conv2d:f=8:k=5,relu,maxpool2d:k=2,flatten,dense:u=10&autostart=1
// A preset fills everything; the other keys change it. Only the values that differ from the
// preset are written. The model is written as `model=` (layer-code.ts), or, when it is the
// preset's with one initialisation or dropout p for all its layers, as `init=` / `dropout=`.
// `input=784` and `loss=` change the model's input shape and loss (a pasted model file may).
// `autostart=1` starts training on load. Unknown keys are ignored; values are not validated
// here (the engine does), but a model code or preset that cannot be read is reported.
import type { LayerSpec } from '../../engine/types';
import { isDatasetName, type DatasetName, type PresetSummary } from '../../worker/protocol';
import { decodeLayers, encodeLayers } from './layer-code';
import { formFromPreset, hasWeights, TEXT_FIELDS, type TextField, type TrainForm } from './settings';

/** Keys accepted for each text field (the first is the one written). */
export const URL_KEYS: Record<TextField, readonly string[]> = {
  epochs: ['epochs'],
  batchSize: ['batch', 'batchSize', 'bs'],
  learningRate: ['lr', 'learningRate'],
  optimizer: ['optimizer'],
  beta: ['beta', 'momentumBeta'],
  beta1: ['beta1'],
  beta2: ['beta2'],
  epsilon: ['eps', 'epsilon'],
  schedule: ['schedule'],
  c1: ['c1'],
  c2: ['c2'],
  gamma: ['gamma'],
  stepSize: ['steps', 'stepSize'],
  l2: ['l2', 'lambda'],
  clip: ['clip'],
  seed: ['seed'],
  devSize: ['dev', 'devSize'],
  normalization: ['norm', 'normalization'],
  shift: ['shift'],
  rotation: ['rotation'],
  zoom: ['zoom'],
  elasticAlpha: ['elastic', 'elasticAlpha'],
  elasticSigma: ['sigma', 'elasticSigma'],
};

const TRUE = ['1', 'true', 'yes', 'on'];

export interface UrlConfig {
  dataset?: DatasetName;
  preset?: string;
  values: Partial<Record<TextField, string>>;
  /** The `model=` code, as written. */
  model?: string;
  /** The model's input shape, `1x28x28` or `784` (else the preset's). */
  input?: string;
  loss?: string;
  /** One initialisation for every dense and conv2d layer. */
  init?: string;
  /** One p for every dropout layer. */
  dropout?: string;
  augment?: boolean;
  autostart: boolean;
}

/** Reads the hash; unknown keys are ignored. */
export function parseUrlConfig(hash: string): UrlConfig {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const get = (keys: readonly string[]) => {
    const key = keys.find((k) => params.has(k));
    return key === undefined ? undefined : params.get(key)!.trim();
  };
  const config: UrlConfig = { values: {}, autostart: TRUE.includes(params.get('autostart')?.toLowerCase() ?? '') };
  const dataset = get(['dataset']);
  if (isDatasetName(dataset)) config.dataset = dataset;
  const preset = get(['preset']);
  if (preset !== undefined) config.preset = preset;
  for (const field of TEXT_FIELDS) {
    const value = get(URL_KEYS[field]);
    if (value !== undefined) config.values[field] = value;
  }
  const model = params.get('model');
  if (model !== null) config.model = model;
  const input = get(['input']);
  if (input !== undefined) config.input = input;
  const loss = get(['loss']);
  if (loss !== undefined) config.loss = loss;
  const init = get(['init']);
  if (init !== undefined) config.init = init;
  const dropout = get(['dropout']);
  if (dropout !== undefined) config.dropout = dropout;
  const augment = get(['augment']);
  if (augment !== undefined) config.augment = TRUE.includes(augment.toLowerCase());
  return config;
}

/** Every weight layer's init set to `init`, every dropout's p to `p` (undefined: unchanged). */
export function withGlobals(layers: readonly LayerSpec[], init: string | undefined, p: number | undefined): LayerSpec[] {
  return layers.map((layer) => ({
    ...layer,
    ...(init !== undefined && hasWeights(layer) ? { init } : {}),
    ...(p !== undefined && layer.type === 'dropout' ? { p } : {}),
  }));
}

export interface InitialForm {
  form: TrainForm;
  /** What the URL asked for that could not be read (shown next to the form). */
  problems: string[];
}

/** The form for a URL: its preset (else the first), filled with that preset's values, then the URL's on top. */
export function formFromUrl(presets: readonly PresetSummary[], url: UrlConfig, layerDefaults: LayerSpec): InitialForm {
  const problems: string[] = [];
  let preset = presets.find((p) => p.name === url.preset);
  if (url.preset !== undefined && !preset)
    problems.push(`preset: unknown preset '${url.preset}' (known presets: ${presets.map((p) => p.name).join(', ')})`);
  preset ??= presets[0];
  if (!preset) throw new Error('the engine has no presets');
  const form = formFromPreset(preset, url.dataset ?? 'mnist');
  Object.assign(form, url.values);
  if (url.augment !== undefined) form.augment = url.augment;
  if (url.model !== undefined) {
    const decoded = decodeLayers(url.model, layerDefaults);
    form.model.layers = decoded.layers;
    problems.push(...decoded.problems);
  }
  if (url.input !== undefined) form.model.input = url.input.split('x').map((d) => (d.trim() === '' ? NaN : Number(d)));
  if (url.loss !== undefined) form.model.loss = url.loss;
  const p = url.dropout === undefined ? undefined : url.dropout === '' ? NaN : Number(url.dropout);
  form.model.layers = withGlobals(form.model.layers, url.init, p);
  return { form, problems };
}

/** The single value all `layers` matching `select` share for `field`, else undefined. */
function common<T>(layers: readonly LayerSpec[], select: (layer: LayerSpec) => boolean, value: (layer: LayerSpec) => T): T | undefined {
  const values = [...new Set(layers.filter(select).map(value))];
  return values.length === 1 ? values[0] : undefined;
}

/** A value for the hash: what encodeURIComponent keeps, plus , : = (readable in a model code). */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%3D/g, '=');
}

/** The hash (without '#') for a form: its dataset and preset, then what differs from the preset. */
export function hashFromForm(form: TrainForm, preset: PresetSummary | undefined, layerDefaults: LayerSpec): string {
  const entries: [string, string][] = [
    ['dataset', form.dataset],
    ['preset', form.preset],
  ];
  const base = preset ? formFromPreset(preset, form.dataset) : undefined;
  const code = encodeLayers(form.model.layers, layerDefaults);
  if (!base || code !== encodeLayers(base.model.layers, layerDefaults)) {
    const init = common(form.model.layers, hasWeights, (layer) => layer.init);
    const p = common(form.model.layers, (layer) => layer.type === 'dropout', (layer) => layer.p);
    const globals = base ? encodeLayers(withGlobals(base.model.layers, init, p), layerDefaults) : undefined;
    if (globals === code && base) {
      if (init !== undefined && init !== common(base.model.layers, hasWeights, (layer) => layer.init)) entries.push(['init', init]);
      if (p !== undefined && p !== common(base.model.layers, (layer) => layer.type === 'dropout', (layer) => layer.p)) entries.push(['dropout', String(p)]);
    } else {
      entries.push(['model', code]);
    }
  }
  const input = form.model.input.join('x');
  if (!base || input !== base.model.input.join('x')) entries.push(['input', input]);
  if (!base || form.model.loss !== base.model.loss) entries.push(['loss', form.model.loss]);
  if (!base || form.augment !== base.augment) entries.push(['augment', form.augment ? '1' : '0']);
  for (const field of TEXT_FIELDS) {
    if (!base || form[field] !== base[field]) entries.push([URL_KEYS[field][0]!, form[field]]);
  }
  return entries.map(([key, value]) => `${key}=${encodeValue(value)}`).join('&');
}
