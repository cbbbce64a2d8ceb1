// What the page and the worker know about the Emscripten module. Mirrors bindings/: when a
// binding is added there, declare it here (a unit test touches every member).
// value_objects cross as plain JavaScript objects (snake_case fields, as in the engine); the
// configurations (TrainConfig, DataConfig, TextConfig) cross as the engine's JSON and are read by
// its strict reader, which refuses unknown fields, wrong types and values out of range;
// class_ instances are handles on engine memory and must be freed with delete().
import type { InspectModule } from './inspect-types';
import type { DataConfig, TrainConfig } from './generated/settings';
import type { TextModule } from './text-types';

/** Returned by Module.buildInfo() (a value_object in bindings/). */
export interface BuildInfo {
  variant: string;
  simd: boolean;
  threads: number;
}

/** A layer (a value_object), generated from the engine's layer table (generated/layers.ts). */
export type { LayerSpec } from './generated/layers';
import type { LayerSpec } from './generated/layers';

export interface ModelSpec {
  input: number[];
  layers: LayerSpec[];
  loss: string;
}

/** One row of summarizeModel(): what a layer outputs per sample and how many parameters it holds. */
export interface LayerSummary {
  type: string;
  output_shape: number[];
  parameter_count: number;
}

/** The configurations, generated from the engine's settings registry (generated/settings.ts). */
export type { DataConfig, TrainConfig } from './generated/settings';
export type OptimizerConfig = TrainConfig['optimizer'];
export type ScheduleConfig = TrainConfig['schedule'];
export type AugmentConfig = DataConfig['augment'];

export interface Preset {
  name: string;
  description: string;
  model: ModelSpec;
  training: TrainConfig;
  data: DataConfig;
}

/** One optimiser step, from ClassifierSession.trainNextBatch(). Indices are 0-based. */
export interface BatchReport {
  epoch: number;
  batch: number;
  batches_per_epoch: number;
  step: number;
  samples: number;
  loss: number;
  learning_rate: number;
  epoch_finished: boolean;
}

export interface Mistake {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
}

export interface Evaluation {
  count: number;
  loss: number;
  /** Fraction in [0, 1]. */
  accuracy: number;
  classes: number;
  confusion: number[];
  per_class_accuracy: number[];
  mistakes: Mistake[];
}

/** Every Embind class_ instance: a handle on engine memory. */
export interface EmbindHandle {
  delete(): void;
  isDeleted(): boolean;
}

export interface ImageSet extends EmbindHandle {
  readonly name: string;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly classes: number;
}

/** An Embind enum value (an opaque object; compare by identity). */
export interface SplitValue {
  readonly value: number;
}

export interface SplitEnum {
  train: SplitValue;
  dev: SplitValue;
  test: SplitValue;
}

export interface ClassifierSession extends EmbindHandle {
  setEpochs(epochs: number): void;
  trainNextBatch(): BatchReport;
  finished(): boolean;
  epoch(): number;
  batchesPerEpoch(): number;
  /** Over the whole split, or its first maxSamples images when maxSamples > 0. */
  evaluate(split: SplitValue, keepMistakes: number, maxSamples: number): Evaluation;
  /** Offers the model as it is now (after an epoch) with its dev accuracy to the run's keeper; true when it is the best so far. */
  offerDev(devAccuracy: number): boolean;
  /** Puts the kept model in place (with training.keep = best, the best epoch's), for testing, predictions and saving. */
  restoreKept(): void;
  /** training.keep = best and there is a dev split to choose with. */
  keepsBest(): boolean;
  /** The epoch of the model the run ends with. */
  keptEpoch(): number;
  /** 0 until an epoch was offered. */
  bestEpoch(): number;
  bestDevAccuracy(): number;
  lastDevAccuracy(): number;
  /** training.patience epochs in a row without a better dev accuracy. */
  stoppedEarly(): boolean;
  /** Class probabilities for one image in the dataset's pixel format (uint8, C*H*W values). */
  predictPixels(pixels: Uint8Array): number[];
  trainCount(): number;
  devCount(): number;
  threads(): number;
  /** The engine's saved-model file (engine/persist/checkpoint.hpp): model, settings, weights, optimiser state, progress. */
  save(): Uint8Array;
  /** The run's curves (JSON text, see RunHistoryJson) saved with the model as the header's "history". */
  setHistory(json: string): void;
  /** The model as an ONNX file (engine/interop/onnx_classifier.hpp): opset 13, outputs logits and probabilities. */
  exportOnnx(): Uint8Array;
  /** The run as a PyTorch project (engine/interop/pytorch_project.hpp): path → text, or bytes (state.bin). */
  exportPytorchProject(): Record<string, string | Uint8Array>;
  /** The hand-in notebook (engine/interop/notebook.hpp), nbformat 4 JSON text; `request` is JSON {language, title, history}. */
  exportNotebook(request: string): string;
}

export interface ClassifierSessionConstructor {
  new (model: ModelSpec, training: TrainConfig, data: DataConfig, trainSet: ImageSet, testSet: ImageSet | null, threads: number): ClassifierSession;
  /**
   * Reopens a saved-model file on its training set; throws an Error starting with `source` for a
   * foreign, truncated, damaged (CRC-32) or newer file, or one trained on another dataset.
   */
  resume(bytes: Uint8Array, source: string, trainSet: ImageSet, testSet: ImageSet | null, threads: number): ClassifierSession;
  /**
   * A session whose model, weights and normalisation come from an ONNX image classifier; throws an
   * Error starting with `source` for a damaged file or one with ops or sizes the engine cannot run.
   */
  fromOnnx(bytes: Uint8Array, source: string, trainSet: ImageSet, testSet: ImageSet | null, threads: number): ClassifierSession;
  /**
   * The dataset an ONNX image classifier was trained on ('mnist' or 'fashion-mnist': its metadata's,
   * else 'mnist'); throws as fromOnnx does, also for a character model (a text run's file).
   */
  onnxDataset(bytes: Uint8Array, source: string): 'mnist' | 'fashion-mnist';
}

export interface ProfundoModule extends InspectModule, TextModule {
  buildInfo(): BuildInfo;
  /** The settings registry as JSON text: the same as generated/settings.ts's SETTINGS (a wasm-node test compares them). */
  describeSettings(): string;
  /** The layer table as JSON (engine/model/layer_types.hpp, describe_layer_types()). */
  layerTypes(): string;
  /** Bytes malloc has handed out and not taken back (grows only if something leaks). */
  allocatedBytes(): number;
  presetNames(): string[];
  /** Throws an Error naming the preset when it is unknown. */
  preset(name: string): Preset;
  defaultDataConfig(): DataConfig;
  defaultLayerSpec(): LayerSpec;
  defaultTrainConfig(): TrainConfig;
  /** Builds the model to check it; throws an Error naming the layer, the field and the value when it is invalid. */
  summarizeModel(spec: ModelSpec): LayerSummary[];
  /** Forward-pass FLOPs per sample (2 per multiply-add of dense and conv layers), engine/model/flops.hpp. */
  forwardFlopsPerSample(spec: ModelSpec): number;
  /** FLOPs per sample of a training step: forward, weight gradients, and input gradients except the first trained layer's. */
  trainingFlopsPerSample(spec: ModelSpec): number;
  /** GFLOP/s of independent f32x4 multiply-adds on `threads` threads for at least `seconds` (engine/core/peak_flops.hpp). */
  peakF32x4Gflops(threads: number, seconds: number): number;
  /** A model file's JSON; throws an Error naming the field (unknown keys are errors). */
  modelSpecFromJson(text: string): ModelSpec;
  /** The model description as the engine writes it (JSON text, the same as in a saved model's header). */
  modelSpecToJson(spec: ModelSpec): string;
  /** IDX bytes (already gunzipped); throws an Error with the engine's message when malformed. */
  loadImageSet(images: Uint8Array, labels: Uint8Array, name: string, expectedHeight: number, expectedWidth: number): ImageSet;
  ClassifierSession: ClassifierSessionConstructor;
  Split: SplitEnum;
}

/** The subset of Emscripten's Module options we pass to the factory. */
export interface EmscriptenModuleOptions {
  locateFile?: (path: string, prefix: string) => string;
  /** The threads build hands this URL to its pthread workers so they load the same glue. */
  mainScriptUrlOrBlob?: string;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
  /** Called when the module aborts (a failed assertion, an unrecoverable error); it is dead after. */
  onAbort?: (reason: unknown) => void;
}

/** MODULARIZE=1 glue defines a global factory with this shape. */
export type ProfundoFactory = (options?: EmscriptenModuleOptions) => Promise<ProfundoModule>;
