// Checks that a configuration from the page can cross into the engine unchanged. Embind turns a
// missing or non-numeric value into 0 or NaN and truncates 2.5 to 2 for an int field, so those
// are refused here with the field's name; whether a value makes sense (lr > 0, β in [0, 1), a
// kernel that fits) is the engine's call, and its message reaches the page as it is.
import type { DataConfig, LayerSpec, ModelSpec, TrainConfig } from '../engine/types';

type Kind = 'int' | 'uint32' | 'float' | 'string' | 'int-list';

const LAYER_FIELDS: Record<keyof LayerSpec, Kind> = {
  type: 'string',
  units: 'int',
  filters: 'int',
  kernel_size: 'int',
  stride: 'int',
  padding: 'string',
  init: 'string',
  bias: 'float',
  slope: 'float',
  p: 'float',
  momentum: 'float',
  epsilon: 'float',
};

const OPTIMIZER_FIELDS: Record<keyof TrainConfig['optimizer'], Kind> = {
  kind: 'string',
  learning_rate: 'float',
  beta: 'float',
  beta1: 'float',
  beta2: 'float',
  epsilon: 'float',
};
const SCHEDULE_FIELDS: Record<keyof TrainConfig['schedule'], Kind> = { kind: 'string', c1: 'float', c2: 'float', gamma: 'float', step_size: 'int' };
const TRAIN_FIELDS: Record<Exclude<keyof TrainConfig, 'optimizer' | 'schedule'>, Kind> = { batch_size: 'int', epochs: 'int', l2: 'float', clip_norm: 'float', seed: 'uint32' };
const DATA_FIELDS: Record<Exclude<keyof DataConfig, 'augment'>, Kind> = { dev_size: 'int', normalization: 'string' };
const AUGMENT_FIELDS: Record<keyof DataConfig['augment'], Kind> = {
  max_shift: 'float',
  max_rotation: 'float',
  max_zoom: 'float',
  elastic_alpha: 'float',
  elastic_sigma: 'float',
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

/** Throws an Error naming the first field that cannot cross as it is. */
export function checkTrainConfig(training: TrainConfig): void {
  checkObject('training', training, TRAIN_FIELDS);
  checkObject('training.optimizer', training.optimizer, OPTIMIZER_FIELDS);
  checkObject('training.schedule', training.schedule, SCHEDULE_FIELDS);
}

/** Throws an Error naming the first field that cannot cross as it is. */
export function checkDataConfig(data: DataConfig): void {
  checkObject('data', data, DATA_FIELDS);
  checkObject('data.augment', data.augment, AUGMENT_FIELDS);
}
