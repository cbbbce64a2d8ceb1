// A look at a saved-model file's JSON header (engine/persist/checkpoint.hpp) before the engine
// opens it: which dataset to load for it and the settings to show. Nothing here decides whether a
// file is valid — the engine checks the magic, version, sizes and CRC-32 and says what is wrong —
// so any surprise returns undefined and the engine gets the bytes anyway.
import type { DataConfig, ModelSpec, TrainConfig } from '../engine/types';
import { isDatasetName, type DatasetName, type EpochMetrics, type ResolvedSettings, type RunCurves } from './protocol';
import { tidyData, tidyModel, tidyTraining } from './training';

const MAGIC = 'PROFUNDO';

export interface CheckpointHeaderSummary {
  /** The dataset of the image set it was trained on ("mnist-train" → "mnist"), if the page knows it. */
  dataset: DatasetName | undefined;
  /** Epochs trained so far (header.progress.epoch). */
  epoch: number;
  /** The configuration as the engine wrote it (snake_case, as the value objects). */
  model: ModelSpec;
  training: TrainConfig;
  data: DataConfig;
  /** The run's curves (header.history), absent from files saved before they were kept. */
  curves: RunCurves | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((v) => typeof v === 'number');
const EPOCH_FIELDS = ['epoch', 'trainLoss', 'trainAccuracy', 'devLoss', 'devAccuracy'] as const;

/** header.history as curves, or undefined when it is missing or not shaped as RunCurves (then the run shows none). */
export function curvesOf(history: unknown): RunCurves | undefined {
  if (!isObject(history) || !isNumbers(history.lossSteps) || !isNumbers(history.losses) || history.lossSteps.length !== history.losses.length) return undefined;
  if (!Array.isArray(history.epochs) || !history.epochs.every((e) => isObject(e) && EPOCH_FIELDS.every((f) => typeof e[f] === 'number'))) return undefined;
  const epochs = (history.epochs as EpochMetrics[]).map((e) => Object.fromEntries(EPOCH_FIELDS.map((f) => [f, e[f]])) as unknown as EpochMetrics);
  return { epochs, lossSteps: [...history.lossSteps], losses: [...history.losses] };
}

/** Whether the bytes start with the saved-model file's magic ("PROFUNDO"). */
export function startsWithMagic(bytes: Uint8Array): boolean {
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/** The header's fields, or undefined when the bytes do not start like a saved classifier. */
export function readCheckpointHeader(bytes: Uint8Array): CheckpointHeaderSummary | undefined {
  if (bytes.length < 16 || !startsWithMagic(bytes)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) return undefined;
  try {
    const header: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength)));
    if (!isObject(header) || !isObject(header.model) || !isObject(header.training) || !isObject(header.data)) return undefined;
    const name = String(header.dataset ?? '').replace(/-train$/, '');
    const progress = isObject(header.progress) ? header.progress : {};
    return {
      dataset: isDatasetName(name) ? name : undefined,
      epoch: Number(progress.epoch ?? 0),
      model: header.model as unknown as ModelSpec,
      training: header.training as unknown as TrainConfig,
      data: header.data as unknown as DataConfig,
      curves: curvesOf(header.history),
    };
  } catch {
    return undefined;
  }
}

/**
 * The first preset whose model description is `model` (compared as the engine writes both), or
 * undefined. `presets` maps names to the engine's JSON text of their models.
 */
export function presetOfModel(model: unknown, presets: ReadonlyMap<string, string>): string | undefined {
  if (model === undefined) return undefined;
  const text = JSON.stringify(model);
  for (const [name, json] of presets) if (JSON.stringify(JSON.parse(json)) === text) return name;
  return undefined;
}

/** The settings a loaded model continues with (its preset name is not in the file: the caller names it). */
export function settingsFromHeader(summary: CheckpointHeaderSummary, preset: string, dataset: DatasetName): ResolvedSettings {
  const training = tidyTraining(summary.training);
  return {
    preset,
    dataset,
    model: tidyModel(summary.model),
    training,
    data: tidyData(summary.data),
    epochs: summary.epoch,
    batchSize: training.batch_size,
    learningRate: training.optimizer?.learning_rate,
    optimizer: training.optimizer?.kind,
    seed: training.seed,
  };
}
