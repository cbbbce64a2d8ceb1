// Checks that a model description from the page can cross into the engine unchanged. Embind turns
// a missing or non-numeric value into 0 or NaN and truncates 2.5 to 2 for an int field, so those
// are refused here with the field's name; whether a value makes sense (a kernel that fits) is the
// engine's call (its layer table's ranges, engine/model/layer_types.cpp). The training and data
// settings need no such check: they cross as the engine's JSON, whose strict reader refuses them
// naming the field and its range (engine/settings/).
import { LAYER_TABLE } from '../engine/generated/layers';
import type { SettingRow } from '../engine/generated/settings';
import type { ModelSpec } from '../engine/types';

type Kind = 'int' | 'uint32' | 'float' | 'string' | 'int-list';

const kindOf = (row: SettingRow): Kind => (row.type === 'enum' ? 'string' : row.type === 'float' ? 'float' : 'int');

/** Every LayerSpec field with what Embind needs of it, from the engine's layer table. */
const LAYER_FIELDS: Record<string, Kind> = {
  type: 'string',
  ...Object.fromEntries(LAYER_TABLE.fields.map((row) => [row.path, kindOf(row)])),
};

const INT32_MAX = 2 ** 31 - 1;

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function checkValue(where: string, kind: Kind, value: unknown): void {
  const fail = (expected: string) => {
    throw new Error(`${where}: expected ${expected}, got ${value === undefined ? 'nothing' : describe(value)}`);
  };
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') fail('text');
      return;
    case 'float':
      if (typeof value !== 'number' || Number.isNaN(value)) fail('a number');
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > INT32_MAX) fail('a whole number');
      return;
    case 'uint32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 32 - 1) fail('a whole number from 0 to 4294967295');
      return;
    case 'int-list':
      if (!Array.isArray(value)) fail('a list of whole numbers');
      (value as unknown[]).forEach((item, i) => checkValue(`${where}[${i}]`, 'int', item));
      return;
  }
}

function checkObject(where: string, object: unknown, fields: Record<string, Kind>): void {
  if (typeof object !== 'object' || object === null) throw new Error(`${where}: missing`);
  for (const [name, kind] of Object.entries(fields)) checkValue(`${where}.${name}`, kind, (object as Record<string, unknown>)[name]);
}

/** Throws an Error naming the first field that cannot cross as it is. */
export function checkModelSpec(model: ModelSpec): void {
  checkObject('model', model, { input: 'int-list', loss: 'string' });
  if (!Array.isArray(model.layers)) throw new Error('model.layers: expected a list of layers');
  model.layers.forEach((layer, i) => checkObject(`model.layers[${i}]`, layer, LAYER_FIELDS));
}
