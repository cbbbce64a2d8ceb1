// The model's layers as one short, readable URL value, e.g.
//   model=conv2d:f=8:k=5,relu,maxpool2d:k=2,flatten,dropout:p=0.25,dense:u=10
// Layers are separated by ",", a layer is its type followed by ":name=value" for each field that
// differs from the engine's default LayerSpec. Names: u=units, f=filters, k=kernel_size,
// s=stride, pad=padding, init, bias, slope, p, m=momentum, eps=epsilon (the long LayerSpec names
// are accepted too). A field the layer type does not read is a problem, reported with its layer.
import type { LayerSpec } from '../../engine/types';
import { layerFields, TEXT_LAYER_FIELDS, type LayerField } from './layer-types';

const SHORT_NAMES: Record<LayerField, string> = {
  units: 'u',
  filters: 'f',
  kernel_size: 'k',
  stride: 's',
  padding: 'pad',
  init: 'init',
  bias: 'bias',
  slope: 'slope',
  p: 'p',
  momentum: 'm',
  epsilon: 'eps',
};

const FIELD_BY_NAME = new Map<string, LayerField>(
  (Object.entries(SHORT_NAMES) as [LayerField, string][]).flatMap(([field, short]) => [
    [short, field],
    [field, field],
  ]),
);

export function encodeLayers(layers: readonly LayerSpec[], defaults: LayerSpec): string {
  return layers
    .map((layer) => {
      const options = layerFields(layer.type)
        .filter((field) => layer[field] !== defaults[field])
        .map((field) => `:${SHORT_NAMES[field]}=${String(layer[field])}`);
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
        const expected = known.map((f) => SHORT_NAMES[f]).join(', ') || 'no options';
        problems.push(`${where}: unknown option '${name}' (expected ${expected})`);
      } else {
        const value = option.slice(equals + 1);
        if (TEXT_LAYER_FIELDS.includes(field)) (layer as unknown as Record<string, string>)[field] = value;
        else (layer as unknown as Record<string, number>)[field] = value.trim() === '' ? NaN : Number(value);
      }
    }
    return layer;
  });
  return { layers, problems };
}
