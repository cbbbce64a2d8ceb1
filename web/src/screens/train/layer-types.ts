// The layer types the engine builds (engine/model/model.cpp) and which LayerSpec fields each one
// reads (the same as to_json in engine/model/model_spec.cpp): the model editor shows those fields
// and the URL's model code writes them.
import type { LayerSpec } from '../../engine/types';

export const LAYER_TYPES = [
  'dense',
  'conv2d',
  'maxpool2d',
  'avgpool2d',
  'flatten',
  'dropout',
  'batchnorm',
  'relu',
  'leaky_relu',
  'sigmoid',
  'tanh',
  'linear',
  'softmax',
] as const;

export type LayerField = Exclude<keyof LayerSpec, 'type'>;

const POOL: LayerField[] = ['kernel_size', 'stride'];

/** The fields a layer type reads, in the order the editor shows them. */
export function layerFields(type: string): LayerField[] {
  switch (type) {
    case 'dense':
      return ['units', 'init', 'bias'];
    case 'conv2d':
      return ['filters', 'kernel_size', 'stride', 'padding', 'init', 'bias'];
    case 'maxpool2d':
    case 'avgpool2d':
      return POOL;
    case 'dropout':
      return ['p'];
    case 'batchnorm':
      return ['momentum', 'epsilon'];
    case 'leaky_relu':
      return ['slope'];
    default:
      return [];
  }
}

/** Text fields (the rest are numbers). */
export const TEXT_LAYER_FIELDS: readonly LayerField[] = ['padding', 'init'];

/** A new layer of `type` as the editor adds it: the engine's defaults plus a size that builds. */
export function newLayer(type: string, defaults: LayerSpec): LayerSpec {
  const layer: LayerSpec = { ...defaults, type };
  if (type === 'dense') layer.units = 10;
  if (type === 'conv2d') Object.assign(layer, { filters: 8, kernel_size: 3 });
  if (type === 'maxpool2d' || type === 'avgpool2d') layer.kernel_size = 2;
  return layer;
}
