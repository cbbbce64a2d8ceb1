// The model as JSON, the format of the CLI's `--model` file (engine/model/model_spec.hpp): shown
// for the current layers, and pasted JSON is read by the engine's own parser (in the worker), so
// a model can move between the page and the command line.
import { t } from '../../i18n';
import type { ModelSpec } from '../../engine/types';
import { h } from '../../ui/dom';
import { layerFields } from './layer-types';

/** The JSON the engine's to_json writes: each layer with the fields its type reads. */
export function modelToJson(model: ModelSpec): string {
  const layers = model.layers.map((layer) => Object.fromEntries([['type', layer.type], ...layerFields(layer.type).map((field) => [field, layer[field]])]));
  const lines = layers.map((layer) => `    ${JSON.stringify(layer)}`);
  return `{\n  "input": ${JSON.stringify(model.input)},\n  "layers": [\n${lines.join(',\n')}\n  ],\n  "loss": ${JSON.stringify(model.loss)}\n}\n`;
}

export class ModelJsonBox {
  readonly element: HTMLDetailsElement;
  private readonly text: HTMLTextAreaElement;
  private readonly error: HTMLElement;

  /** `onApply(text)`: the owner has the engine read it and answers with showError() or a new model. */
  constructor(private readonly onApply: (text: string) => void) {
    this.text = h('textarea', { rows: 10, spellcheck: 'false', 'data-testid': 'model-json-text', class: 'model-json-text' });
    this.error = h('div', { class: 'error', 'data-testid': 'model-json-error', role: 'alert', hidden: true });
    this.element = h('details', { class: 'model-json', 'data-testid': 'model-json' });
    this.render();
  }

  /** Shows `model` (unless the student is editing the text). */
  setModel(model: ModelSpec): void {
    if (document.activeElement !== this.text) this.text.value = modelToJson(model);
    this.showError(undefined);
  }

  showError(message: string | undefined): void {
    this.error.hidden = message === undefined;
    this.error.replaceChildren(...(message === undefined ? [] : [h('pre', {}, message)]));
  }

  render(): void {
    const apply = h('button', { type: 'button', 'data-testid': 'model-json-apply' }, t('model.json.apply'));
    apply.addEventListener('click', () => this.onApply(this.text.value));
    this.element.replaceChildren(h('summary', {}, t('model.json.title')), h('p', { class: 'muted hint' }, t('model.json.hint')), this.text, h('div', { class: 'add-layer' }, apply), this.error);
  }
}
