// The only language the page and the engine worker speak. Both ends import these types, so a
// message that is not declared here does not compile.
import type { AugmentConfig, BuildInfo, DataConfig, LayerSpec, Mistake, ModelSpec, OptimizerConfig, ScheduleConfig, TrainConfig } from '../engine/types';
import type { ConvFilters, LayerOutput, ParameterHistograms } from '../engine/inspect-types';
import type {
  ActivationCurve,
  BiasVarianceExperiment,
  BiasVarianceResult,
  EwaSeries,
  InitializationLabConfig,
  LayerStatistics,
  LinearCollapse,
  NetworkLabConfig,
  NetworkLabStep,
  NormalizationLabReport,
  PointSet,
  SoftmaxReport,
  SurfaceGrid,
  Trajectory,
} from '../engine/labs-types';
import type { TextConfig, TextCorpusStats } from '../engine/text-types';

export type VariantId = 'wasm-threads' | 'wasm-simd';

/** 'custom' is the student's own IDX files, once uploaded (loadCustomDataset). */
export const DATASETS = ['mnist', 'fashion-mnist', 'custom'] as const;
export type DatasetName = (typeof DATASETS)[number];

export function isDatasetName(value: unknown): value is DatasetName {
  return typeof value === 'string' && (DATASETS as readonly string[]).includes(value);
}

/**
 * What to train: the whole configuration, as the engine takes it (snake_case value objects), plus
 * the preset it started from for display. Values are not validated here: the worker checks that
 * numbers are numbers (an int field must get a whole number, not be truncated by Embind) and the
 * engine refuses bad values with a message naming the field.
 */
export interface TrainSettings {
  /** The preset the configuration started from (display only: the model may have been edited). */
  preset: string;
  /** Default 'mnist'. */
  dataset?: DatasetName;
  model: ModelSpec;
  training: TrainConfig;
  data: DataConfig;
  /** Batch gradient descent: training.batch_size becomes the training split's size (known once the data is loaded). */
  fullBatch?: boolean;
}

/** Page → worker. Later: buildModel, evaluate… */
export type EngineRequest =
  | {
      type: 'init';
      /** Absolute URL of the app's base folder; the wasm files live in `${assetBase}wasm/`, data in `${assetBase}data/`. */
      assetBase: string;
      /** Honour test-only requests (`crash`); the page sets it only with ?testHooks=1 in its URL. */
      testHooks?: boolean;
    }
  | { type: 'loadDataset'; name: DatasetName }
  | ({ type: 'train' } & TrainSettings)
  /** Check a model and describe it layer by layer (answered by `modelSummary` with the same id). `classes`: the outputs it must end with. */
  | { type: 'describeModel'; id: number; model: ModelSpec; classes?: number }
  /** Read a model file's JSON (the CLI's --model format) with the engine's parser (answered by `parsedModel`). */
  | { type: 'parseModel'; id: number; text: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Class probabilities of a 28×28 uint8 image (white on black) by the last trained model (transferred). */
  | { type: 'predict'; id: number; pixels: Uint8Array }
  /** Up to `limit` test images whose true label is `label` and predicted class `predicted` (after a finished run). */
  | { type: 'cellImages'; label: number; predicted: number; limit: number }
  /** The trained model as the engine's saved-model file (answered by `modelSaved` with the same id). */
  | { type: 'saveModel'; id: number }
  /** The trained model as an ONNX file (answered by `onnxExported` with the same id). */
  | { type: 'exportOnnx'; id: number }
  /**
   * Reopens a saved-model file (transferred) on its dataset: the engine checks it (format, version,
   * CRC-32, dataset) and the test set is evaluated as after training (`modelLoaded`, `epoch`, `done`,
   * `results`). `source` names the file in the engine's errors. On failure the current model stays.
   * `preset` names the model when the page knows it; else it is the preset whose model the file
   * holds, else `source`. An ONNX image classifier (a file that is not the engine's) is imported
   * instead: its model, weights and normalisation, with the mlp preset's training settings.
   */
  | { type: 'loadModel'; bytes: Uint8Array; source: string; fallbackDataset: DatasetName; preset?: string }
  /** Trains the current model (trained or loaded) for `epochs` more epochs, as a run (`started` … `results`). */
  | { type: 'continueTraining'; epochs: number }
  /** The first `count` training images of a dataset and their labels (for the sample grid). */
  | { type: 'samples'; dataset: DatasetName; count: number }
  /** The first `count` training images of a dataset, each augmented once with `config` and `seed`. */
  | { type: 'augmentPreview'; dataset: DatasetName; count: number; config: AugmentConfig; seed: number }
  /** The student's own IDX files (gzipped or not; transferred), checked by the engine, become dataset 'custom'. */
  | { type: 'loadCustomDataset'; files: CustomDatasetFiles }
  /** Every layer's output for one image by the last trained model: a test image or given pixels (transferred). */
  | { type: 'inspect'; id: number; source: InspectSource }
  /** Histograms of every parameter and of its last gradient, and the conv filters, of the last trained model. */
  | { type: 'inspectModel'; bins: number }
  /** Test hook (only after an init with testHooks): the worker dies of an uncaught error. */
  | { type: 'crash' }
  /** A course lab's computation; answered by `labResult` (or `labError`) with the same id. */
  | { type: 'lab'; id: number; request: LabRequest }
  /** Trains a character-level language model (the text lab): textStarted, textProgress, textEval, textSample… textDone. */
  | ({ type: 'textTrain' } & TextTrainSettings)
  | { type: 'textPause' }
  | { type: 'textResume' }
  | { type: 'textStop' }
  /** Generated text from the current text model (answered by textSample with the same id; id 0 is reserved for training samples). */
  | { type: 'textGenerate'; id: number; prime: string; length: number; temperature: number; seed: number }
  /** The current text model as the engine's saved-run file (answered by textSaved). */
  | { type: 'textSave'; id: number }
  /** Reopens a saved text run (transferred) for sampling only (answered by textLoaded or textError). */
  | { type: 'textLoad'; bytes: Uint8Array; source: string };

/** The built-in corpora, served as `${assetBase}data/text/${id}.txt`. */
export const TEXT_CORPORA = ['shakespeare', 'quijote'] as const;
export type TextCorpusId = (typeof TEXT_CORPORA)[number];

/** Where the text comes from: a built-in corpus, pasted text, or an uploaded file's bytes (UTF-8 is checked by the engine). */
export type TextCorpusSource =
  | { kind: 'builtin'; id: TextCorpusId }
  | { kind: 'pasted'; text: string }
  | { kind: 'file'; name: string; bytes: Uint8Array };

/** What the text lab's form sets of a TextConfig (snake_case, as the engine takes it; the engine refuses bad values naming the field). */
export type TextChoices = Pick<TextConfig, 'cell' | 'layers' | 'hidden_size' | 'embedding_size' | 'seq_length' | 'batch_size' | 'clip_norm' | 'seed'> & {
  optimizer: { kind: string; learning_rate: number };
};

export interface TextTrainSettings {
  corpus: TextCorpusSource;
  /** The student's choices; the worker takes the rest from the engine's defaults (defaultTextConfig()). */
  config: TextChoices;
  /** Stop after this many steps (0 = no limit)… */
  maxSteps: number;
  /** …or after this many seconds of training (0 = no limit), whichever comes first. */
  maxSeconds: number;
  /** A validation loss and a sample at most this often while training. */
  evalIntervalMs: number;
  sampleIntervalMs: number;
  /** Validation characters per periodic evaluation (0 = all); the final one, when training ends, uses all. */
  evalCharacters: number;
}

export type TextStatus = 'loading-data' | 'training' | 'paused' | 'evaluating' | 'idle';

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface CustomDatasetFiles {
  trainImages: UploadedFile;
  trainLabels: UploadedFile;
  testImages: UploadedFile;
  testLabels: UploadedFile;
}

export type InspectSource = { kind: 'test'; index: number } | { kind: 'pixels'; pixels: Uint8Array };

export type EngineRequestType = EngineRequest['type'];

/** What runs: the engine's own report plus what the loader decided. */
export interface BackendInfo extends BuildInfo {
  requestedVariant: VariantId;
  crossOriginIsolated: boolean;
}

/** A preset: the engine's own configuration (float32 values shown as the decimals they were written as). */
export interface PresetSummary {
  name: string;
  description: string;
  model: ModelSpec;
  training: TrainConfig;
  data: DataConfig;
}

/** The configuration a run actually uses (batch size resolved), with its headline values flat for display. */
export interface ResolvedSettings extends Required<Omit<TrainSettings, 'fullBatch'>> {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: string;
  seed: number;
}

/** One layer of a described model: its output shape per sample and its parameter count. */
export interface LayerRow {
  type: string;
  outputShape: number[];
  parameterCount: number;
}

export type EngineErrorCode = 'load-failed' | 'bad-request' | 'dataset' | 'engine' | 'internal' | 'model-file' | 'crashed' | 'out-of-memory' | 'text-corpus';

/** Errors after which the engine cannot go on: the page offers to restart it. */
export const FATAL_ERROR_CODES: readonly EngineErrorCode[] = ['crashed'];

/** Errors cross as data (a code the UI can translate), never as scraped log text. */
export interface EngineError {
  code: EngineErrorCode;
  message: string;
  detail?: string;
}

/** Where a run is; sent on every change. */
export type TrainingStatus = 'loading-data' | 'training' | 'paused' | 'evaluating';

/** Worker → page. Epochs and batches are 1-based counts here (the engine's are 0-based). */
export type EngineEvent =
  | {
      type: 'ready';
      backend: BackendInfo;
      presets: PresetSummary[];
      /** The engine's defaults for a new layer of the model editor. */
      layerDefaults: LayerSpec;
    }
  | {
      /** Answers describeModel. Without `error` every layer is described; with it, the layers before the
       * first one that does not fit (`errorLayer`, absent when the model as a whole is refused). */
      type: 'modelSummary';
      id: number;
      layers: LayerRow[];
      parameterCount: number;
      error?: string;
      errorLayer?: number;
      /** The model builds but its outputs are not the dataset's classes (`error` says so in English; the page words it in its language). */
      classMismatch?: { outputs: number; classes: number };
    }
  | { type: 'parsedModel'; id: number; model?: ModelSpec; error?: string }
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'error'; error: EngineError }
  | { type: 'datasetLoaded'; name: DatasetName; train: number; test: number }
  | { type: 'status'; status: TrainingStatus }
  | {
      type: 'started';
      settings: ResolvedSettings;
      batchesPerEpoch: number;
      trainCount: number;
      devCount: number;
      testCount: number;
      threads: number;
      /** Set when the run continues a trained or loaded model (its curves go on from the saved step). */
      continued?: boolean;
    }
  | {
      /** Throttled (~10/s). `losses` holds every batch loss since the previous progress event (transferred). */
      type: 'progress';
      epoch: number;
      batch: number;
      batchesPerEpoch: number;
      /** Optimiser steps so far in this run; losses[i] is the loss of step firstStep + i. */
      step: number;
      firstStep: number;
      losses: Float32Array;
      samplesPerSecond: number;
      /** Loss of the last batch. */
      loss: number;
      learningRate: number;
    }
  | { type: 'epoch'; epoch: number; trainLoss: number; trainAccuracy: number; devLoss: number; devAccuracy: number }
  /** `seconds` is the run's time; NaN after loadModel (the file does not say how long training took). */
  | { type: 'done'; testAccuracy: number; testLoss: number; testCount: number; seconds: number }
  | {
      /** Right after `done`: the test set in detail. The trained model stays loaded for `predict`. */
      type: 'results';
      classes: number;
      /** Row-major true × predicted counts over the test set. */
      confusion: number[];
      perClassAccuracy: number[];
      /** The most confidently wrong test images, most confident first… */
      mistakes: Mistake[];
      /** …and their pixels, 784 bytes each in the same order (transferred). */
      mistakePixels: Uint8Array;
    }
  | { type: 'prediction'; id: number; probabilities: number[] }
  | { type: 'cellImages'; label: number; predicted: number; total: number; indices: number[]; pixels: Uint8Array }
  | { type: 'stopped'; epoch: number; batch: number; seconds: number }
  | { type: 'modelSaved'; id: number; bytes: Uint8Array }
  | { type: 'onnxExported'; id: number; bytes: Uint8Array }
  | {
      /** A saved model was reopened; `epoch`, `done` and `results` for it follow. */
      type: 'modelLoaded';
      source: string;
      settings: ResolvedSettings;
      /** Epochs the model was trained for. */
      epochs: number;
      trainCount: number;
      devCount: number;
      testCount: number;
    }
  | { type: 'samples'; dataset: DatasetName; classes: number; labels: number[]; pixels: Uint8Array }
  | {
      /** The originals and their augmented versions (count × 784 bytes each), or the engine's refusal of the settings. */
      type: 'augmentPreview';
      dataset: DatasetName;
      seed: number;
      labels: number[];
      originals: Uint8Array;
      augmented: Uint8Array;
      error?: EngineError;
    }
  /** The answer to loadCustomDataset: the counts, or the engine's message naming the file and field. */
  | { type: 'customDataset'; train: number; test: number; error?: EngineError }
  | {
      /** The answer to inspect: the image, its label when known, the probabilities, and every layer's output (values transferred). */
      type: 'layerOutputs';
      id: number;
      label?: number;
      pixels: Uint8Array;
      probabilities: number[];
      layers: LayerOutput[];
    }
  /** After each epoch while training, and in answer to inspectModel (epoch = epochs done). */
  | { type: 'histograms'; epoch: number; parameters: ParameterHistograms[] }
  /** In answer to inspectModel. */
  | { type: 'filters'; filters: ConvFilters[] }
  | { type: 'labResult'; id: number; result: LabResult }
  | { type: 'labError'; id: number; error: EngineError }
  | { type: 'textStatus'; status: TextStatus }
  | {
      type: 'textStarted';
      config: TextConfig;
      stats: TextCorpusStats;
      parameterCount: number;
      threads: number;
      /** Loss of predicting every character by its frequency alone (nats per character): the bar to beat. */
      unigramEntropy: number;
    }
  | {
      /** Throttled (~4/s). `loss` is the mean training loss of the steps since the previous one (nats per character). */
      type: 'textProgress';
      step: number;
      epoch: number;
      loss: number;
      charactersPerSecond: number;
      clippedFraction: number;
      gradNorm: number;
      seconds: number;
    }
  | { type: 'textEval'; step: number; validationLoss: number; characters: number }
  /** A training sample (id 0, every few seconds) or the answer to textGenerate. `text` excludes the prime. */
  | { type: 'textSample'; id: number; step: number; prime: string; text: string; temperature: number }
  | { type: 'textDone'; step: number; seconds: number; stopped: boolean }
  | { type: 'textSaved'; id: number; bytes: Uint8Array }
  | { type: 'textLoaded'; source: string; config: TextConfig; steps: number; vocabularySize: number; parameterCount: number }
  /** Errors of the text lab (kept apart from `error`, which belongs to the image training screen). */
  | { type: 'textError'; error: EngineError };

export type EngineEventType = EngineEvent['type'];
export type EngineEventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

export function toEngineError(code: EngineErrorCode, err: unknown): EngineError {
  if (err instanceof Error) return { code, message: err.message, detail: err.stack };
  return { code, message: String(err) };
}

// ---- Course labs -----------------------------------------------------------------------------
// Every number a lab shows comes from the engine (engine/labs/) through these requests.

export type SurfaceName = 'bowl' | 'rosenbrock' | 'saddle';
export type PointSetKind = 'blobs' | 'spiral' | 'circles';

/** Generated points (seeded), or points given by the page (clicked in). */
export type PointsSource = { kind: PointSetKind; count: number; noise: number; seed: number } | { kind: 'given'; x: number[]; labels: number[] };

/** What to read out of a network lab after an operation. */
export interface NetworkProbe {
  /** ŷ on a grid over the window (for the decision boundary). */
  grid?: { x1Min: number; x1Max: number; x2Min: number; x2Max: number; columns: number; rows: number };
  /** ‖dW^[l]‖ of every layer from the last step. */
  gradientNorms?: boolean;
  /** Per hidden layer: mean, σ, dead fraction and a histogram with this many bins. */
  statistics?: number;
  /** Every parameter's values and last gradients (W^[1], b^[1], …). */
  parameters?: boolean;
  /** W' = W^[L]···W^[1] and b' (only for linear activations). */
  collapse?: boolean;
  /** The points themselves (after create). */
  points?: boolean;
  /** Running μ and σ² of every unit of this batch-norm layer (0 = the first). */
  batchNorm?: number;
}

export interface NetworkSnapshot {
  step: NetworkLabStep;
  points?: PointSet;
  grid?: number[];
  gradientNorms?: number[];
  statistics?: LayerStatistics[];
  parameters?: { values: number[][]; gradients: number[][] };
  collapse?: LinearCollapse;
  /** Running means of the layer's units, then their running variances. */
  batchNormRunning?: number[];
}

export interface GdVariantRun {
  batchSize: number;
  /** J over all the points after each epoch (index 0: before training). */
  loss: number[];
  /** Seconds of training after each epoch (index 0: 0). */
  seconds: number[];
  /** α after each epoch. */
  learningRate: number[];
}

export type LabRequest =
  | { lab: 'softmax'; logits: number[]; trueClass: number }
  | { lab: 'ewa'; days: number; noise: number; seed: number; betas: number[] }
  | {
      lab: 'optimizers';
      surface: SurfaceName;
      start: [number, number];
      steps: number;
      optimizers: OptimizerConfig[];
      gridSize: number;
    }
  | { lab: 'activationCurves'; names: string[]; from: number; to: number; points: number; slope: number }
  /** Stateful: a network kept in the worker under `session` until `dispose`. */
  | { lab: 'network'; op: 'create'; session: string; config: NetworkLabConfig; points: PointsSource; probe: NetworkProbe }
  | { lab: 'network'; op: 'setPoints'; session: string; x: number[]; labels: number[]; probe: NetworkProbe }
  | { lab: 'network'; op: 'train'; session: string; steps: number; probe: NetworkProbe }
  | { lab: 'network'; op: 'dispose'; session: string }
  /** Stateless: build, train `steps` and read the hidden layers before and after (dying ReLU). */
  | { lab: 'deadUnits'; config: NetworkLabConfig; points: PointsSource; steps: number; bins: number }
  | { lab: 'initialization'; config: InitializationLabConfig }
  /** Trains on an MNIST subset (loaded on first use): slower than the others, seconds. */
  | { lab: 'biasVariance'; experiment: BiasVarianceExperiment }
  | { lab: 'augmentationPreview'; index: number; count: number; seed: number }
  | { lab: 'normalization'; learningRate: number; steps: number; gridSize: number; seed: number }
  | {
      lab: 'gdVariants';
      points: PointsSource;
      hidden: number[];
      batchSizes: number[];
      epochs: number;
      learningRate: number;
      schedule: ScheduleConfig;
      seed: number;
    };

export type LabResult =
  | { lab: 'softmax'; report: SoftmaxReport }
  | { lab: 'ewa'; theta: number[]; series: EwaSeries[] }
  | { lab: 'optimizers'; grid: SurfaceGrid; trajectories: Trajectory[] }
  | { lab: 'activationCurves'; curves: ActivationCurve[] }
  | { lab: 'network'; session: string; snapshot?: NetworkSnapshot }
  | { lab: 'deadUnits'; before: LayerStatistics[]; after: LayerStatistics[]; step: NetworkLabStep }
  | { lab: 'initialization'; layers: LayerStatistics[] }
  | { lab: 'biasVariance'; result: BiasVarianceResult }
  /** uint8 [count, 28, 28]. */
  | { lab: 'augmentationPreview'; pixels: Uint8Array }
  | { lab: 'normalization'; raw: NormalizationLabReport; normalized: NormalizationLabReport }
  | { lab: 'gdVariants'; runs: GdVariantRun[] };

export type LabKind = LabRequest['lab'];
export type LabResultOf<K extends LabKind> = Extract<LabResult, { lab: K }>;
