// Everything chosen before training, as one persistent block of the training screen: dataset and
// preset, the model editor, the hyper-parameters and the data controls, the link that shares it
// all. It owns the form, keeps the URL hash in step (history.replaceState), asks the worker to
// describe the model after each edit, and says whether the model can be trained.
import { t, tf } from '../../i18n';
import { presetDescription } from '../../i18n/preset-description';
import type { AugmentConfig, LayerSpec } from '../../engine/types';
import { valueOfText, setting, type SettingKey } from '../../engine/settings-registry';
import { parseRoute, withPanel } from '../../routes';
import { h } from '../../ui/dom';
import type { EngineClient } from '../../worker/engine-client';
import { DATASETS, type DatasetName, type PresetSummary, type TrainSettings } from '../../worker/protocol';
import { renderDataControls } from './data-controls';
import { labelled } from './form-fields';
import { renderHyperparameters } from './hyperparameters';
import { encodeLayers } from './layer-code';
import { ModelEditor, type ModelSummary } from './model-editor';
import { ModelJsonBox } from './model-json';
import { formFromConfig, formFromPreset, settingsFromForm, type FormConfig, type TrainForm } from './settings';
import { formFromUrl, hashFromForm, parseUrlConfig } from './url-config';
import { engineErrorText } from '../../i18n/engine-error';

/** Classes of each dataset: the model must end with as many outputs. */
const CLASSES: Record<DatasetName, number> = { mnist: 10, 'fashion-mnist': 10, custom: 10 };

/** The augmentation strengths, by their field in the engine's AugmentConfig. */
export const AUGMENT_FIELDS = ['max_rotation', 'max_shift', 'max_zoom', 'elastic_alpha', 'elastic_sigma'] as const;
export type AugmentField = (typeof AUGMENT_FIELDS)[number];
const augmentKey = (field: AugmentField) => `data.augment.${field}` as SettingKey;

export class ConfigPanel {
  readonly element: HTMLElement;
  /** Called after every change of the form (the data tab's preview follows its augmentation). */
  private readonly changeListeners = new Set<() => void>();
  private readonly editor: ModelEditor;
  private readonly json: ModelJsonBox;
  private parseId = 0;
  private presets: PresetSummary[] = [];
  private layerDefaults: LayerSpec | undefined;
  private form: TrainForm | undefined;
  private urlProblems: string[] = [];
  private running = false;
  private summary: ModelSummary | undefined;
  private summaryId = 0;
  private head: HTMLElement;
  private sections: HTMLElement;
  private linkStatus: HTMLElement;

  /** `onValidity`: whether the model can be trained changed (the owner enables Train). */
  constructor(
    private readonly engine: EngineClient,
    private readonly onValidity: () => void,
  ) {
    this.element = h('fieldset', { class: 'config-panel', 'data-testid': 'config', disabled: true });
    this.head = h('div');
    this.sections = h('div');
    this.linkStatus = h('span', { class: 'muted', 'data-testid': 'copy-link-status', role: 'status' });
    this.editor = new ModelEditor((structural) => this.onModelEdited(structural));
    this.json = new ModelJsonBox((text) => void this.parse(text));
    this.render();
  }

  /** The engine is ready: the form from the URL (or the first preset). Returns whether the URL asks to start. */
  setPresets(presets: PresetSummary[], layerDefaults: LayerSpec): boolean {
    this.presets = presets;
    this.layerDefaults = layerDefaults;
    const url = parseUrlConfig(location.hash);
    const { form, problems } = formFromUrl(presets, url, layerDefaults);
    this.form = form;
    this.urlProblems = problems;
    this.editor.setModel(form.model, layerDefaults);
    this.json.setModel(form.model);
    this.render();
    this.describe();
    this.writeUrl();
    return url.autostart;
  }

  /** The train request, or undefined before the engine is ready. */
  settings(): TrainSettings | undefined {
    return this.form && settingsFromForm(this.form);
  }

  /** Train is possible: a form, and no refusal of the current model by the engine. */
  get canTrain(): boolean {
    return this.form !== undefined && !this.summary?.error;
  }

  /** The training's augmentation: whether it is on and its strengths as set (a number the engine will judge, NaN when not one). */
  augmentation(): { on: boolean; config: AugmentConfig } | undefined {
    const { form } = this;
    if (!form) return undefined;
    const config = Object.fromEntries(AUGMENT_FIELDS.map((field) => [field, Number(valueOfText(setting(augmentKey(field)), form.values[augmentKey(field)] ?? ''))])) as unknown as AugmentConfig;
    return { on: form.augment, config };
  }

  /** The text of one augmentation strength as set. */
  augmentText(field: AugmentField): string {
    return this.form?.values[augmentKey(field)] ?? '';
  }

  /** Sets an augmentation strength (from the data tab's preview: the same setting as the form's). */
  setAugmentation(field: AugmentField, text: string): void {
    if (!this.form) return;
    this.form.values[augmentKey(field)] = text;
    this.renderSections();
    this.writeUrl();
  }

  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  setRunning(running: boolean): void {
    this.running = running;
    this.element.toggleAttribute('disabled', running || !this.form);
  }

  relabel(): void {
    this.editor.render();
    this.json.render();
    this.render();
  }

  private render(): void {
    this.renderHead();
    this.renderSections();
    this.element.toggleAttribute('disabled', this.running || !this.form);
    if (this.element.childElementCount === 0) this.element.append(this.head, this.sections);
  }

  private renderHead(): void {
    const { form, presets } = this;
    const dataset = h('select', { id: 'train-dataset', 'data-testid': 'dataset' });
    for (const name of DATASETS) dataset.append(h('option', { value: name, selected: name === form?.dataset }, name));
    dataset.addEventListener('change', () => {
      if (!form) return;
      form.dataset = dataset.value as DatasetName;
      this.describe();
      this.writeUrl();
    });

    const preset = h('select', { id: 'train-preset', 'data-testid': 'preset' });
    for (const p of presets) preset.append(h('option', { value: p.name, selected: p.name === form?.preset }, p.name));
    preset.addEventListener('change', () => this.choosePreset(preset.value));
    const chosen = presets.find((p) => p.name === form?.preset);
    const custom = form && chosen && this.layerDefaults && encodeLayers(form.model.layers, this.layerDefaults) !== encodeLayers(chosen.model.layers, this.layerDefaults);

    const copy = h('button', { type: 'button', 'data-testid': 'copy-link' }, t('config.copyLink'));
    copy.addEventListener('click', () => void this.copyLink());

    const children: (HTMLElement | null)[] = [
      h(
        'div',
        { class: 'train-form' },
        labelled('train-dataset', t('train.dataset'), dataset),
        labelled('train-preset', t('train.preset'), preset),
      ),
      chosen ? h('p', { class: 'muted preset-description', 'data-testid': 'preset-description' }, presetDescription(chosen)) : null,
      h('p', { class: 'muted', 'data-testid': 'model-kind', 'data-custom': custom ? 'true' : 'false' }, custom ? tf('config.custom', { preset: chosen.name }) : ''),
      this.urlProblems.length ? h('div', { class: 'error', 'data-testid': 'url-error', role: 'alert' }, h('strong', {}, t('config.urlProblems')), h('pre', {}, this.urlProblems.join('\n'))) : null,
      h('div', { class: 'buttons' }, copy, this.linkStatus),
    ];
    this.head.replaceChildren(...children.filter((child): child is HTMLElement => child !== null));
  }

  private renderSections(): void {
    const { form } = this;
    if (!form) {
      this.sections.replaceChildren();
      return;
    }
    const events = {
      onInput: () => this.writeUrl(),
      onChange: () => {
        this.renderSections();
        this.writeUrl();
      },
      onLayers: () => {
        this.editor.render();
        this.onModelEdited(false);
      },
    };
    this.sections.replaceChildren(
      h('fieldset', { class: 'config-section' }, h('legend', {}, t('model.title')), this.editor.element, this.json.element),
      renderHyperparameters(form, events),
      renderDataControls(form, events),
    );
  }

  /** A reopened run's configuration replaces the form (every setting as it ran, its model included). */
  showConfig(config: FormConfig): void {
    this.replaceForm(formFromConfig(config));
  }

  private choosePreset(name: string): void {
    const chosen = this.presets.find((p) => p.name === name);
    if (this.form && chosen) this.replaceForm(formFromPreset(chosen, this.form.dataset));
  }

  /** A whole new form (a preset's or a reopened run's): editor, JSON box, summary and URL follow. */
  private replaceForm(form: TrainForm): void {
    if (!this.layerDefaults) return;
    this.form = form;
    this.urlProblems = [];
    this.editor.setModel(form.model, this.layerDefaults);
    this.json.setModel(form.model);
    this.render();
    this.describe();
    this.writeUrl();
  }

  /** The layers changed: the model is described again; structural changes rebuild the editor's rows. */
  private onModelEdited(structural: boolean): void {
    if (structural) this.editor.render();
    if (structural) this.renderSections(); // the init and dropout conveniences follow the layers
    this.renderHead(); // preset vs custom
    if (this.form) this.json.setModel(this.form.model);
    this.describe();
    this.writeUrl();
  }

  private describe(): void {
    if (!this.form) return;
    this.summary = undefined;
    this.editor.setSummary(undefined);
    this.onValidity();
    const asked = ++this.summaryId;
    this.engine.api.describeModel(this.form.model, CLASSES[this.form.dataset]).then(
      (summary) => {
        if (asked !== this.summaryId) return; // an answer about layers that changed since
        this.summary = summary;
        this.editor.setSummary(summary);
        this.onValidity();
      },
      () => undefined, // the engine is gone: the backend panel says so
    );
  }

  /** A model file's JSON, read by the engine's parser, replaces the model (or the box shows why not). */
  private async parse(text: string): Promise<void> {
    const asked = ++this.parseId;
    const parsed = await this.engine.api.parseModel(text).catch(() => undefined);
    if (!parsed || asked !== this.parseId || !this.form || !this.layerDefaults) return;
    if (!parsed.model) return this.json.showError(parsed.error ? engineErrorText(parsed.error) : '');
    this.form.model = parsed.model;
    this.editor.setModel(parsed.model, this.layerDefaults);
    this.onModelEdited(true);
  }

  private hash(): string {
    if (!this.form || !this.layerDefaults) return '';
    return hashFromForm(this.form, this.presets.find((p) => p.name === this.form!.preset), this.layerDefaults);
  }

  private writeUrl(): void {
    for (const listener of this.changeListeners) listener();
    const hash = this.hash();
    // Only while the hash is the training screen's: a course lab's URL (#lab=…) is left alone.
    const route = parseRoute(location.hash);
    if (hash && route.view === 'train') history.replaceState(history.state, '', withPanel(hash, route.panel));
  }

  private async copyLink(): Promise<void> {
    this.writeUrl();
    try {
      await navigator.clipboard.writeText(location.href);
      this.linkStatus.textContent = t('config.copied');
    } catch {
      this.linkStatus.textContent = tf('config.copyFailed', { url: location.href });
    }
    this.linkStatus.dataset['url'] = location.href;
  }
}
