// The model editor: the layer list (add, remove, reorder, change a layer's type and fields) with
// each layer's output shape and parameter count from the engine, and the engine's message when it
// refuses the model. Types, fields, ranges and choices are the engine's layer table's
// (layer-types.ts); the layers and the engine's description are the form's store's.
import { useState } from 'preact/hooks';
import { t, tf, type MessageKey } from '../../i18n';
import type { LayerSpec, ModelSpec } from '../../engine/types';
import { pageLocale } from '../../shell/page-locale';
import { NumberText } from '../../ui/field';
import { formatNumber } from '../../ui/format';
import { TableHead } from '../../ui/table-head';
import type { ConfigStore } from './config-store';
import { fieldRow, isTextField, LAYER_TYPES, layerFields, layerType, type LayerField } from './layer-types';

/** [8, 24, 24] → "8 × 24 × 24". */
function formatShape(shape: readonly number[]): string {
  return shape.join(' × ');
}

/** What 0 stands for in `field` of `type` ("= kernel" for a pooling stride), or undefined when 0 is just 0. */
function zeroMeaning(type: string, field: LayerField): string | undefined {
  const meaning = layerType(type)?.zero_means[field];
  if (meaning === undefined) return undefined;
  const named = (layerFields(type) as readonly string[]).includes(meaning) ? t(fieldRow(meaning as LayerField).label as MessageKey) : meaning;
  return tf('model.zeroMeans', { value: named });
}

/** The layer types (with the table's description as a tooltip); a type from a URL that the engine does not know is kept, for the engine to name. */
function TypeOptions({ current }: { current: string }) {
  const types = LAYER_TYPES.includes(current) ? LAYER_TYPES : [...LAYER_TYPES, current];
  return (
    <>
      {types.map((name) => {
        const label = layerType(name)?.label;
        return (
          <option key={name} value={name} title={label ? t(label as MessageKey) : ''}>
            {name}
          </option>
        );
      })}
    </>
  );
}

const COLUMNS = ['model.index', 'model.layer', 'model.fields', 'model.outputShape', 'model.parameters', 'model.actions'] as const;

export function ModelEditor({ config, model }: { config: ConfigStore; model: ModelSpec }) {
  void pageLocale.value;
  const summary = config.summary.value;
  const valid = summary !== undefined && !summary.error;
  return (
    <div class="model-editor" data-testid="model-editor" data-state={summary === undefined ? 'pending' : summary.error ? 'invalid' : 'valid'}>
      <table class="model-table">
        <caption>{tf('model.caption', { loss: model.loss })}</caption>
        <TableHead columns={COLUMNS} />
        <tbody>
          <tr class="input-row">
            <td />
            <td>{t('model.input')}</td>
            <td />
            <td data-testid="model-input-shape">{formatShape(model.input)}</td>
            <td>{formatNumber(0)}</td>
            <td />
          </tr>
          {model.layers.map((layer, index) => (
            <LayerRow key={index} config={config} layer={layer} index={index} count={model.layers.length} />
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={4}>{t('model.total')}</td>
            <td data-testid="model-parameters" data-value={valid ? String(summary.parameterCount) : ''}>
              {valid ? formatNumber(summary.parameterCount) : '–'}
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
      <AddLayer config={config} />
      <div class="error model-error" data-testid="model-error" role="alert" hidden={!summary?.error}>
        {summary?.error && (
          <>
            <strong>{summary.errorLayer === undefined ? t('model.invalid') : tf('model.invalidLayer', { index: summary.errorLayer + 1 })}</strong>
            <pre>{summary.classMismatch ? tf('model.classMismatch', summary.classMismatch) : summary.error}</pre>
          </>
        )}
      </div>
    </div>
  );
}

function LayerRow({ config, layer, index, count }: { config: ConfigStore; layer: LayerSpec; index: number; count: number }) {
  void pageLocale.value;
  const summary = config.summary.value;
  const described = summary?.layers[index];
  const action = (label: string, testId: string, title: MessageKey, disabled: boolean, run: () => void) => (
    <button type="button" data-testid={testId} title={t(title)} aria-label={t(title)} disabled={disabled} onClick={run}>
      {label}
    </button>
  );
  return (
    <tr
      data-testid="layer-row"
      data-index={index}
      data-type={layer.type}
      data-output-shape={described ? described.outputShape.join('x') : ''}
      data-parameters={described ? String(described.parameterCount) : ''}
      class={summary?.errorLayer === index ? 'invalid' : undefined}
    >
      <td>{formatNumber(index + 1)}</td>
      <td>
        <select data-testid="layer-type" aria-label={t('model.layer')} value={layer.type} onChange={(event) => config.retypeLayer(index, event.currentTarget.value)}>
          <TypeOptions current={layer.type} />
        </select>
      </td>
      <td>
        <div class="layer-fields">
          {layerFields(layer.type).map((field) => (
            <LayerFieldControl key={field} config={config} layer={layer} index={index} field={field} />
          ))}
        </div>
      </td>
      <td class="shape">{described ? formatShape(described.outputShape) : '–'}</td>
      <td class="count">{described ? formatNumber(described.parameterCount) : '–'}</td>
      <td class="layer-actions">
        {action('↑', 'layer-up', 'model.up', index === 0, () => config.moveLayer(index, index - 1))}
        {action('↓', 'layer-down', 'model.down', index === count - 1, () => config.moveLayer(index, index + 1))}
        {action('✕', 'layer-remove', 'model.remove', false, () => config.removeLayer(index))}
      </td>
    </tr>
  );
}

/** A select for a field with choices, a number input with the table's range otherwise (empty, with what it means, where 0 stands for a default). */
function LayerFieldControl({ config, layer, index, field }: { config: ConfigStore; layer: LayerSpec; index: number; field: LayerField }) {
  const row = fieldRow(field);
  const value = (layer as unknown as Record<string, string | number>)[field];
  let control;
  if (isTextField(field)) {
    const options = row.choices.includes(String(value)) ? row.choices : [...row.choices, String(value)]; // from a URL; the engine will say
    control = (
      <select data-testid={`layer-${field}`} value={String(value)} onChange={(event) => config.setLayerField(index, field, event.currentTarget.value)}>
        {options.map((option) => (
          <option key={option} value={option}>
            {field === 'init' ? t(`init.${option}` as MessageKey) || option : option}
          </option>
        ))}
      </select>
    );
  } else {
    const zero = zeroMeaning(layer.type, field);
    const format = (v: number | undefined) => (v === undefined || (zero !== undefined && v === 0) ? '' : String(v));
    // An empty field stands for the default 0 means, where 0 means one; else it is not a number (the engine names it).
    const parse = (text: string) => (text.trim() === '' ? (zero !== undefined ? 0 : NaN) : Number(text));
    control = (
      <NumberText
        type="number"
        step={row.type === 'float' ? 'any' : '1'}
        testId={`layer-${field}`}
        placeholder={zero ?? ''}
        min={row.min ? String(row.min.value) : undefined}
        max={row.max && Math.abs(row.max.value) < 2 ** 31 - 1 ? String(row.max.value) : undefined}
        value={Number(value)}
        format={format}
        parse={parse}
        onValue={(number) => config.setLayerField(index, field, number)}
      />
    );
  }
  return (
    <label class="layer-field" title={t(`${row.label}Hint` as MessageKey)}>
      <span>{t(row.label as MessageKey)}</span>
      {control}
    </label>
  );
}

/** A new layer of the chosen type (the table's example), appended. */
function AddLayer({ config }: { config: ConfigStore }) {
  void pageLocale.value;
  const [type, setType] = useState('dense');
  return (
    <div class="add-layer">
      <select data-testid="add-layer-type" aria-label={t('model.addType')} value={type} onChange={(event) => setType(event.currentTarget.value)}>
        <TypeOptions current={type} />
      </select>
      <button type="button" data-testid="add-layer" onClick={() => config.addLayer(type)}>
        {t('model.add')}
      </button>
    </div>
  );
}
