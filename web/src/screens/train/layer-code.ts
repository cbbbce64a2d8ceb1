// The model's layers as one short, readable URL value, e.g.
//   model=conv2d:f=8:k=5,relu,maxpool2d:k=2,flatten,dropout:p=0.25,dense:u=10
// Layers are separated by ",", a layer is its type followed by ":name=value" for each field that
// differs from the engine's default LayerSpec. Names are the URL keys of the engine's layer table
// (u=units, f=filters, k=kernel_size, s=stride, pad=padding, m=momentum, eps=epsilon, ...; the long
// LayerSpec names are accepted too). A field the layer type does not read is a problem, reported
// with its layer.
import type { LayerSpec } from '../../engine/types';
import { LAYER_TABLE } from '../../engine/generated/layers';
import { fieldRow, isTextField, layerFields, type LayerField } from './layer-types';

/** The short name a field is written with (the first URL key of its row). */
function shortName(field: LayerField): string {
  return fieldRow(field).url_keys[0] ?? field;
}

const FIELD_BY_NAME = new Map<string, LayerField>(
  LAYER_TABLE.fields.flatMap((row) => [...row.url_keys, row.path].map((name) => [name, row.path as LayerField] as const)),
);

export function encodeLayers(layers: readonly LayerSpec[], defaults: LayerSpec): string {
  return layers
    .map((layer) => {
      const options = layerFields(layer.type)
        .filter((field) => layer[field] !== defaults[field])
        .map((field) => `:${shortName(field)}=${String(layer[field])}`);
      return layer.type + options.join('');
    })
    .join(',');
}

export interface DecodedLayers {
  layers: LayerSpec[];
  /** What could not be read, one message per problem (the layers keep everything else). */
  problems: string[];
}

/** Reads encodeLayers' format. Numbers that are not numbers become NaN, for the worker to name. */
export function decodeLayers(code: string, defaults: LayerSpec): DecodedLayers {
  const problems: string[] = [];
  const items = code.trim() === '' ? [] : code.split(',');
  const layers = items.map((item, index) => {
    const [type = '', ...options] = item.trim().split(':');
    const layer: LayerSpec = { ...defaults, type };
    const known = layerFields(type);
    for (const option of options) {
      const equals = option.indexOf('=');
      const name = equals < 0 ? option : option.slice(0, equals);
      const field = FIELD_BY_NAME.get(name);
      const where = `model: layer ${index + 1} (${type})`;
      if (equals < 0) problems.push(`${where}: '${option}' is not name=value`);
      else if (field === undefined || !known.includes(field)) {
        const expected = known.map(shortName).join(', ') || 'no options';
        problems.push(`${where}: unknown option '${name}' (expected ${expected})`);
      } else {
        const value = option.slice(equals + 1);
        if (isTextField(field)) (layer as unknown as Record<string, string>)[field] = value;
        else (layer as unknown as Record<string, number>)[field] = value.trim() === '' ? NaN : Number(value);
      }
    }
    return layer;
  });
  return { layers, problems };
}
