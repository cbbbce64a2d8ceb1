// The training form's state, as signals (no DOM): the presets, the form (dataset, preset, layers,
// every registry setting as typed, the augmentation switch), what the URL asked that could not be
// read, the engine's description of the model, the model JSON box's refusal and the copied link.
// Every edit replaces the form (components redraw from it), keeps the URL hash in step and, when
// the layers changed, asks the worker to describe the model again; an answer about layers that
// changed since is dropped. The components (config-form.tsx, model-editor.tsx, model-json.tsx)
// only read these signals and call the actions.
import { computed, signal } from '@preact/signals';
import type { AugmentConfig, LayerSpec, ModelSpec } from '../../engine/types';
import { setting, valueOfText, type SettingKey } from '../../engine/settings-registry';
import { parseRoute, withPanel } from '../../routes';
import type { DatasetName, EngineError, ModelSummary, ParsedModel, PresetSummary, TrainSettings } from '../../worker/protocol';
import { encodeLayers } from './layer-code';
import { newLayer, type LayerField } from './layer-types';
import { formFromConfig, formFromPreset, hasWeights, settingsFromForm, type FormConfig, type TrainForm } from './settings';
import { formFromUrl, hashFromForm, parseUrlConfig } from './url-config';

/** Classes of each dataset: the model must end with as many outputs. */
const CLASSES: Record<DatasetName, number> = { mnist: 10, 'fashion-mnist': 10, custom: 10 };

/** The augmentation strengths, by their field in the engine's AugmentConfig. */
export const AUGMENT_FIELDS = ['max_rotation', 'max_shift', 'max_zoom', 'elastic_alpha', 'elastic_sigma'] as const;
export type AugmentField = (typeof AUGMENT_FIELDS)[number];
const augmentKey = (field: AugmentField) => `data.augment.${field}` as SettingKey;

/** What the form asks of the worker. */
export interface ModelQueries {
  describeModel(model: ModelSpec, classes?: number): Promise<ModelSummary>;
  parseModel(text: string): Promise<ParsedModel>;
}

/** Where the form's link lives (the page's hash and clipboard; a test's fakes). */
export interface LinkPort {
  hash(): string;
  /** Replaces the hash without a history entry. */
  replaceHash(hash: string): void;
  href(): string;
  copy(text: string): Promise<void>;
}

export const pageLink: LinkPort = {
  hash: () => location.hash,
  replaceHash: (hash) => history.replaceState(history.state, '', hash),
  href: () => location.href,
  copy: (text) => navigator.clipboard.writeText(text),
};

export class ConfigStore {
  readonly presets = signal<readonly PresetSummary[]>([]);
  /** Undefined until the engine gave its presets. */
  readonly form = signal<TrainForm | undefined>(undefined);
  /** What the URL asked for that could not be read, in the page's language (cleared by a new form). */
  readonly urlProblems = signal<readonly string[]>([]);
  /** The engine's description of the current layers; undefined while it is being asked. */
  readonly summary = signal<ModelSummary | undefined>(undefined);
  /** Why the engine's parser refused the last applied model JSON. */
  readonly jsonError = signal<EngineError | undefined>(undefined);
  /** The link last copied, and whether the clipboard took it. */
  readonly copied = signal<{ url: string; ok: boolean } | undefined>(undefined);
  /** A form, and no refusal of its model by the engine (Train is enabled while the engine is asked). */
  readonly canTrain = computed(() => this.form.value !== undefined && !this.summary.value?.error);
  /** The preset the form started from, and whether its layers were edited since. */
  readonly preset = computed(() => {
    const form = this.form.value;
    const chosen = this.presets.value.find((p) => p.name === form?.preset);
    const custom = form !== undefined && chosen !== undefined && this.layerDefaults !== undefined && encodeLayers(form.model.layers, this.layerDefaults) !== encodeLayers(chosen.model.layers, this.layerDefaults);
    return { chosen, custom };
  });

  private layerDefaults: LayerSpec | undefined;
  private summaryId = 0;
  private parseId = 0;
  /** Called after every change of the form (the data tab's preview follows its augmentation). */
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly engine: ModelQueries,
    private readonly link: LinkPort = pageLink,
  ) {}

  /** The engine is ready: the form from the URL (or the first preset). Returns whether the URL asks to start. */
  setPresets(presets: readonly PresetSummary[], layerDefaults: LayerSpec): boolean {
    this.presets.value = presets;
    this.layerDefaults = layerDefaults;
    const url = parseUrlConfig(this.link.hash());
    const { form, problems } = formFromUrl(presets, url, layerDefaults);
    this.replaceForm(form, problems);
    return url.autostart;
  }

  /** The train request, or undefined before the engine is ready. */
  settings(): TrainSettings | undefined {
    const form = this.form.peek();
    return form && settingsFromForm(form);
  }

  /** A reopened run's configuration replaces the form (every setting as it ran, its model included). */
  showConfig(config: FormConfig): void {
    this.replaceForm(formFromConfig(config));
  }

  choosePreset(name: string): void {
    const form = this.form.peek();
    const chosen = this.presets.peek().find((p) => p.name === name);
    if (form && chosen) this.replaceForm(formFromPreset(chosen, form.dataset));
  }

  chooseDataset(dataset: DatasetName): void {
    const form = this.form.peek();
    if (!form) return;
    this.form.value = { ...form, dataset };
    this.describe(); // the outputs must match its classes
    this.changed();
  }

  /** A setting as typed (a choice as chosen, a flag as 'true'/'false'). */
  setValue(key: SettingKey, text: string): void {
    const form = this.form.peek();
    if (!form) return;
    this.form.value = { ...form, values: { ...form.values, [key]: text } };
    this.changed();
  }

  /** The augmentation switch (its strengths are kept while it is off). */
  setAugment(on: boolean): void {
    const form = this.form.peek();
    if (!form) return;
    this.form.value = { ...form, augment: on };
    this.changed();
  }

  /** New layers (added, removed, moved, retyped or a field edited): described again. */
  private setLayers(layers: LayerSpec[]): void {
    const form = this.form.peek();
    if (!form) return;
    this.setModel({ ...form.model, layers });
  }

  /** One initialisation for every layer with weights. */
  setInitAll(init: string): void {
    const layers = this.form.peek()?.model.layers;
    if (layers) this.setLayers(layers.map((layer) => (hasWeights(layer) ? { ...layer, init } : layer)));
  }

  /** One p for every dropout layer (NaN when not a number: the engine names it). */
  setDropoutAll(p: number): void {
    const layers = this.form.peek()?.model.layers;
    if (layers) this.setLayers(layers.map((layer) => (layer.type === 'dropout' ? { ...layer, p } : layer)));
  }

  /** A layer of `type` as the engine's table gives it as an example, at the end. */
  addLayer(type: string): void {
    const layers = this.form.peek()?.model.layers;
    if (layers && this.layerDefaults) this.setLayers([...layers, newLayer(type, this.layerDefaults)]);
  }

  /** Layer `index` becomes a new layer of `type` (its fields the table's example). */
  retypeLayer(index: number, type: string): void {
    const layers = this.form.peek()?.model.layers;
    if (layers && this.layerDefaults) this.setLayers(layers.map((layer, i) => (i === index ? newLayer(type, this.layerDefaults ?? layer) : layer)));
  }

  /** A field of layer `index` as edited (a number the engine will judge, NaN when not one). */
  setLayerField(index: number, field: LayerField, value: string | number): void {
    const layers = this.form.peek()?.model.layers;
    if (layers) this.setLayers(layers.map((layer, i) => (i === index ? { ...layer, [field]: value } : layer)));
  }

  /** Moves layer `index` to `to` (the others keep their order). */
  moveLayer(index: number, to: number): void {
    const layers = [...(this.form.peek()?.model.layers ?? [])];
    if (to < 0 || to >= layers.length) return;
    layers.splice(to, 0, ...layers.splice(index, 1));
    this.setLayers(layers);
  }

  removeLayer(index: number): void {
    const layers = this.form.peek()?.model.layers;
    if (layers) this.setLayers(layers.filter((_, i) => i !== index));
  }

  /** A model file's JSON, read by the engine's parser, replaces the model (or jsonError says why not). */
  async applyJson(text: string): Promise<void> {
    const asked = ++this.parseId;
    const parsed = await this.engine.parseModel(text).catch(() => undefined); // a dead engine says so itself
    if (!parsed || asked !== this.parseId || !this.form.peek()) return;
    if (parsed.model) this.setModel(parsed.model);
    else this.jsonError.value = parsed.error ?? { code: 'model-file', message: '' };
  }

  /** The training's augmentation: whether it is on and its strengths as set (a number the engine will judge, NaN when not one). */
  augmentation(): { on: boolean; config: AugmentConfig } | undefined {
    const form = this.form.peek();
    if (!form) return undefined;
    const config = Object.fromEntries(AUGMENT_FIELDS.map((field) => [field, Number(valueOfText(setting(augmentKey(field)), form.values[augmentKey(field)] ?? ''))])) as unknown as AugmentConfig;
    return { on: form.augment, config };
  }

  /** The text of one augmentation strength as set. */
  augmentText(field: AugmentField): string {
    return this.form.value?.values[augmentKey(field)] ?? '';
  }

  /** Sets an augmentation strength (from the data tab's preview: the same setting as the form's). */
  setAugmentation(field: AugmentField, text: string): void {
    this.setValue(augmentKey(field), text);
  }

  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  async copyLink(): Promise<void> {
    this.changed();
    const url = this.link.href();
    const ok = await this.link.copy(url).then(
      () => true,
      () => false,
    );
    this.copied.value = { url, ok };
  }

  /** A whole new form (a preset's, the URL's or a reopened run's). */
  private replaceForm(form: TrainForm, problems: readonly string[] = []): void {
    this.form.value = form;
    this.urlProblems.value = problems;
    this.jsonError.value = undefined;
    this.describe();
    this.changed();
  }

  private setModel(model: ModelSpec): void {
    const form = this.form.peek();
    if (!form) return;
    this.form.value = { ...form, model };
    this.jsonError.value = undefined;
    this.describe();
    this.changed();
  }

  private describe(): void {
    const form = this.form.peek();
    if (!form) return;
    this.summary.value = undefined;
    const asked = ++this.summaryId;
    this.engine.describeModel(form.model, CLASSES[form.dataset]).then(
      (summary) => asked === this.summaryId && (this.summary.value = summary), // else about layers that changed since
      () => undefined, // the engine is gone: the backend panel says so
    );
  }

  /** The URL follows the form, and so do the listeners. */
  private changed(): void {
    for (const listener of this.changeListeners) listener();
    const form = this.form.peek();
    if (!form || !this.layerDefaults) return;
    const hash = hashFromForm(form, this.presets.peek().find((p) => p.name === form.preset), this.layerDefaults);
    // Only while the hash is the training screen's: a course lab's URL (#lab=…) is left alone.
    const route = parseRoute(this.link.hash());
    if (route.view === 'train') this.link.replaceHash(withPanel(hash, route.panel));
  }
}
