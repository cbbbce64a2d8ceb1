// The model editor: the layer list (add, remove, reorder, change a layer's type and fields) with
// each layer's output shape and parameter count from the engine, and the engine's message when
// it refuses the model. It edits the form's model in place and tells its owner; the owner asks
// the worker to describe the model and hands the answer to setSummary(), which patches the
// shape/parameter cells without rebuilding the inputs (typing keeps its focus).
import { getLocale, t, tf, type MessageKey } from '../../i18n';
import type { LayerSpec, ModelSpec } from '../../engine/types';
import { h } from '../../ui/dom';
import type { ModelSummary } from '../../worker/protocol';
import { fieldRow, isTextField, LAYER_TYPES, layerFields, layerType, newLayer, type LayerField } from './layer-types';

export type { ModelSummary };

/** [8, 24, 24] → "8 × 24 × 24". */
export function formatShape(shape: readonly number[]): string {
  return shape.join(' × ');
}

/** A type's option in a select, with the table's description as its tooltip. */
function typeOption(name: string, selected: boolean): HTMLOptionElement {
  const label = layerType(name)?.label;
  return h('option', { value: name, selected, title: label ? t(label as MessageKey) : '' }, name);
}

/** What 0 stands for in `field` of `type` ("= kernel" for a pooling stride), or undefined when 0 is just 0. */
function zeroMeaning(type: string, field: LayerField): string | undefined {
  const meaning = layerType(type)?.zero_means[field];
  if (meaning === undefined) return undefined;
  const named = (layerFields(type) as readonly string[]).includes(meaning) ? t(fieldRow(meaning as LayerField).label as MessageKey) : meaning;
  return tf('model.zeroMeans', { value: named });
}

interface RowCells {
  row: HTMLElement;
  shape: HTMLElement;
  parameters: HTMLElement;
}

export class ModelEditor {
  readonly element: HTMLElement;
  private model: ModelSpec = { input: [], layers: [], loss: '' };
  private defaults: LayerSpec | undefined;
  private summary: ModelSummary | undefined;
  private cells: RowCells[] = [];
  private total: HTMLElement | undefined;
  private errorBox: HTMLElement | undefined;
  private addType = 'dense';

  /** `onChange(structural)`: the layers changed; structural when rows were added, removed, moved or retyped. */
  constructor(private readonly onChange: (structural: boolean) => void) {
    this.element = h('div', { class: 'model-editor', 'data-testid': 'model-editor' });
  }

  /** Shows `model` (edited in place from now on). */
  setModel(model: ModelSpec, defaults: LayerSpec): void {
    this.model = model;
    this.defaults = defaults;
    this.summary = undefined;
    this.render();
  }

  /** The engine's description of the current layers (or undefined while it is being asked). */
  setSummary(summary: ModelSummary | undefined): void {
    this.summary = summary;
    this.updateSummary();
  }

  render(): void {
    const { layers } = this.model;
    this.cells = [];
    const head = h(
      'tr',
      {},
      ...(['model.index', 'model.layer', 'model.fields', 'model.outputShape', 'model.parameters', 'model.actions'] as const).map((key) => h('th', { scope: 'col' }, t(key))),
    );
    const inputRow = h(
      'tr',
      { class: 'input-row' },
      h('td', {}, ''),
      h('td', {}, t('model.input')),
      h('td', {}, ''),
      h('td', { 'data-testid': 'model-input-shape' }, formatShape(this.model.input)),
      h('td', {}, '0'),
      h('td', {}, ''),
    );
    const rows = layers.map((layer, index) => this.renderRow(layer, index));
    this.total = h('td', { 'data-testid': 'model-parameters' }, '');
    const foot = h('tr', {}, h('td', { colspan: 4 }, t('model.total')), this.total, h('td', {}, ''));
    this.errorBox = h('div', { class: 'error model-error', 'data-testid': 'model-error', role: 'alert', hidden: true });
    this.element.replaceChildren(
      h('table', { class: 'model-table' }, h('caption', {}, tf('model.caption', { loss: this.model.loss })), h('thead', {}, head), h('tbody', {}, inputRow, ...rows), h('tfoot', {}, foot)),
      this.renderAdd(),
      this.errorBox,
    );
    this.updateSummary();
  }

  private renderRow(layer: LayerSpec, index: number): HTMLElement {
    const { layers } = this.model;
    const type = h('select', { 'data-testid': 'layer-type', 'aria-label': t('model.layer') });
    const types: string[] = [...LAYER_TYPES];
    if (!types.includes(layer.type)) types.push(layer.type); // from a URL; the engine will say
    for (const name of types) type.append(typeOption(name, name === layer.type));
    type.addEventListener('change', () => {
      layers[index] = newLayer(type.value, this.defaults ?? layer);
      this.onChange(true);
    });

    const fields = h('div', { class: 'layer-fields' }, ...layerFields(layer.type).map((field) => this.renderField(layer, field)));
    const button = (label: string, testId: string, title: MessageKey, disabled: boolean, action: () => void) => {
      const element = h('button', { type: 'button', 'data-testid': testId, title: t(title), 'aria-label': t(title), disabled }, label);
      element.addEventListener('click', () => {
        action();
        this.onChange(true);
      });
      return element;
    };
    const move = (to: number) => () => layers.splice(to, 0, ...layers.splice(index, 1));
    const actions = h(
      'td',
      { class: 'layer-actions' },
      button('↑', 'layer-up', 'model.up', index === 0, move(index - 1)),
      button('↓', 'layer-down', 'model.down', index === layers.length - 1, move(index + 1)),
      button('✕', 'layer-remove', 'model.remove', false, () => layers.splice(index, 1)),
    );
    const shape = h('td', { class: 'shape' }, '');
    const parameters = h('td', { class: 'count' }, '');
    const row = h('tr', { 'data-testid': 'layer-row', 'data-index': index, 'data-type': layer.type }, h('td', {}, String(index + 1)), h('td', {}, type), h('td', {}, fields), shape, parameters, actions);
    this.cells.push({ row, shape, parameters });
    return row;
  }

  /** A select for a field with choices, a number input with the table's range otherwise. */
  private renderField(layer: LayerSpec, field: LayerField): HTMLElement {
    const row = fieldRow(field);
    const record = layer as unknown as Record<string, string | number>;
    const value = record[field];
    let control: HTMLInputElement | HTMLSelectElement;
    if (isTextField(field)) {
      const options: string[] = [...row.choices];
      if (!options.includes(String(value))) options.push(String(value)); // from a URL; the engine will say
      control = h('select', { 'data-testid': `layer-${field}` });
      for (const option of options) control.append(h('option', { value: option, selected: option === value }, field === 'init' ? t(`init.${option}` as MessageKey) || option : option));
    } else {
      const zero = zeroMeaning(layer.type, field);
      control = h('input', {
        type: 'number',
        inputmode: 'decimal',
        step: row.type === 'float' ? 'any' : '1',
        'data-testid': `layer-${field}`,
        value: zero !== undefined && value === 0 ? '' : String(value),
        placeholder: zero ?? '',
      });
      if (row.min) control.min = String(row.min.value);
      if (row.max && Math.abs(row.max.value) < 2 ** 31 - 1) control.max = String(row.max.value);
    }
    const update = () => {
      const text = control.value.trim();
      if (isTextField(field)) record[field] = control.value;
      else if (text === '' && zeroMeaning(layer.type, field) !== undefined) record[field] = 0; // the default it stands for
      else record[field] = text === '' ? NaN : Number(text);
      this.onChange(false);
    };
    control.addEventListener(control instanceof HTMLSelectElement ? 'change' : 'input', update);
    return h('label', { class: 'layer-field', title: t(`${row.label}Hint` as MessageKey) }, h('span', {}, t(row.label as MessageKey)), control);
  }

  private renderAdd(): HTMLElement {
    const type = h('select', { 'data-testid': 'add-layer-type', 'aria-label': t('model.addType') });
    for (const name of LAYER_TYPES) type.append(typeOption(name, name === this.addType));
    type.addEventListener('change', () => (this.addType = type.value));
    const add = h('button', { type: 'button', 'data-testid': 'add-layer' }, t('model.add'));
    add.addEventListener('click', () => {
      if (!this.defaults) return;
      this.model.layers.push(newLayer(this.addType, this.defaults));
      this.onChange(true);
    });
    return h('div', { class: 'add-layer' }, type, add);
  }

  private updateSummary(): void {
    const { summary } = this;
    const locale = getLocale();
    this.cells.forEach((cells, index) => {
      const layer = summary?.layers[index];
      cells.shape.textContent = layer ? formatShape(layer.outputShape) : '–';
      cells.parameters.textContent = layer ? layer.parameterCount.toLocaleString(locale) : '–';
      cells.row.dataset['outputShape'] = layer ? layer.outputShape.join('x') : '';
      cells.row.dataset['parameters'] = layer ? String(layer.parameterCount) : '';
      cells.row.classList.toggle('invalid', summary?.errorLayer === index);
    });
    if (this.total) {
      this.total.textContent = summary && !summary.error ? summary.parameterCount.toLocaleString(locale) : '–';
      this.total.dataset['value'] = summary && !summary.error ? String(summary.parameterCount) : '';
    }
    if (this.errorBox) {
      this.errorBox.hidden = !summary?.error;
      this.errorBox.replaceChildren(
        ...(summary?.error
          ? [h('strong', {}, summary.errorLayer === undefined ? t('model.invalid') : tf('model.invalidLayer', { index: summary.errorLayer + 1 })), h('pre', {}, summary.classMismatch ? tf('model.classMismatch', summary.classMismatch) : summary.error)]
          : []),
      );
    }
    this.element.dataset['state'] = summary === undefined ? 'pending' : summary.error ? 'invalid' : 'valid';
  }
}
