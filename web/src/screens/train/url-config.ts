// The whole configuration in the URL hash, so a link reproduces a run:
//   #dataset=mnist&preset=keras-cnn&lr=0.001&epochs=3&optimizer=adam&beta1=0.9&l2=0.0001&batch=64
//    &schedule=exponential&gamma=0.5&steps=2000&dev=1000&norm=standardize&augment=1&shift=2
//    &model=conv2d:f=8:k=5,relu,maxpool2d:k=2,flatten,dense:u=10&autostart=1
// A preset fills everything; the other keys change it. Only the values that differ from the
// preset are written. The model is written as `model=` (layer-code.ts), or, when it is the
// preset's with one initialisation or dropout p for all its layers, as `init=` / `dropout=`.
// `input=784` and `loss=` change the model's input shape and loss (a pasted model file may).
// `autostart=1` starts training on load. Unknown keys are ignored. The settings' keys are the
// engine registry's URL keys (the first is written, the others are read too); a value the engine
// would refuse is kept in the form as typed and reported in the page's language, as is a model
// code or preset that cannot be read.
import type { SettingKey } from '../../engine/settings-registry';
import { problemWith } from '../../engine/settings-registry';
import type { LayerSpec } from '../../engine/types';
import { isDatasetName, type DatasetName, type PresetSummary } from '../../worker/protocol';
import { decodeLayers, encodeLayers } from './layer-code';
import { problemText } from '../../i18n/setting-problem';
import { BATCH_SIZE, FORM_SETTINGS, formFromPreset, hasWeights, isAugmentation, isFullBatch, type TrainForm } from './settings';

const TRUE = ['1', 'true', 'yes', 'on'];

export interface UrlConfig {
  dataset?: DatasetName;
  preset?: string;
  /** The settings the URL gives, by registry key, as written. */
  values: Partial<Record<SettingKey, string>>;
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
  for (const s of FORM_SETTINGS) {
    const value = get(s.url_keys);
    if (value !== undefined) config.values[s.key] = value;
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
  Object.assign(form.values, url.values);
  if (url.augment !== undefined) form.augment = url.augment;
  for (const s of FORM_SETTINGS) {
    const value = url.values[s.key];
    const unused = (isAugmentation(s) && !form.augment) || (s.key === BATCH_SIZE && isFullBatch(value ?? ''));
    const problem = value === undefined || unused ? undefined : problemWith(s, value);
    if (problem) problems.push(problemText(problem));
  }
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
  for (const s of FORM_SETTINGS) {
    const value = form.values[s.key];
    if (value !== undefined && (!base || value !== base.values[s.key])) entries.push([s.url_keys[0]!, value]);
  }
  return entries.map(([key, value]) => `${key}=${encodeValue(value)}`).join('&');
}
