// The layer types as the model editor and the URL's model code see them, all read from the engine's
// layer table (engine/model/layer_types.cpp, generated into engine/generated/layers.ts): which
// types there are, which LayerSpec fields each one reads, their ranges, choices, URL keys and labels.
import { LAYER_TABLE, type LayerField, type LayerSpec, type LayerTypeRow } from '../../engine/generated/layers';
import type { SettingRow } from '../../engine/generated/settings';

export type { LayerField };

const TYPES: readonly LayerTypeRow[] = LAYER_TABLE.types;

/** The row of `type`, or undefined for a name the engine does not know (it will say so). */
export function layerType(type: string): LayerTypeRow | undefined {
  return TYPES.find((row) => row.name === type);
}

/** The types the image lab's editor offers: every type that may appear outside a sequence model. */
export const LAYER_TYPES: readonly string[] = TYPES.filter((row) => row.family !== 'sequence').map((row) => row.name);

/** The fields a layer type reads, in the order the editor shows them. */
export function layerFields(type: string): readonly LayerField[] {
  return layerType(type)?.fields ?? [];
}

/** The registry row of a LayerSpec field (type, range, choices, URL keys, label). */
export function fieldRow(field: LayerField): SettingRow {
  const row = LAYER_TABLE.fields.find((r) => r.path === field);
  if (!row) throw new Error(`no layer field ${field} in the engine's table`);
  return row;
}

/** Text fields (choices); the rest are numbers. */
export function isTextField(field: LayerField): boolean {
  return fieldRow(field).type === 'enum';
}

/** A new layer of `type` as the editor adds it: the engine's defaults plus the table's example (a size that builds). */
export function newLayer(type: string, defaults: LayerSpec): LayerSpec {
  return { ...defaults, ...(layerType(type)?.example ?? {}), type } as LayerSpec;
}
