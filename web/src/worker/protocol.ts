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

/**
 * Page → worker: the methods of `EngineApi` (engine.worker.ts), called through Comlink. A request
 * that answers once is an async call (Comlink matches the reply to the call); a long job (image
 * training, text training) is started by a call that returns its JobId and then reports through
 * events (`job` for its lifecycle, its own progress events), with pause, resume and stop by id.
 */

/** Reopens a saved-model file (transferred) on its dataset; see EngineApi.loadModel. */
export interface LoadModelRequest {
  bytes: Uint8Array;
  /** Names the file in the engine's errors. */
  source: string;
  fallbackDataset: DatasetName;
  /** The model's name when the page knows it; else the preset whose model the file holds, else `source`. */
  preset?: string;
}

/** One epoch's metrics: train ones on TRAIN_EVAL_SAMPLES images, dev ones on the whole dev split. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  devLoss: number;
  devAccuracy: number;
}

/**
 * A run's curves: its per-epoch metrics and its loss per optimiser step (lossSteps[i] is the step of
 * losses[i]; bucket means when downsampled). Saved with the model as the file header's "history",
 * so a reopened run shows them; files saved before have none.
 */
export interface RunCurves {
  epochs: EpochMetrics[];
  lossSteps: number[];
  losses: number[];
}

/** What the hand-in notebook needs besides the trained model (engine/interop/notebook.hpp). */
export interface NotebookRequest {
  /** The page's language, which the notebook's prose and labels follow. */
  language: 'es' | 'en';
  title: string;
  /** The run's per-epoch metrics (its curves); empty for a loaded model. */
  history: EpochMetrics[];
}

/** The kinds of long job the worker runs (one of each kind at a time). */
export type JobKind = 'image' | 'text';
export type JobId = number;
/**
 * A job's lifecycle, the same for every kind: started, then paused/resumed any number of times,
 * then exactly one of done, stopped (asked to) or failed (with its error).
 */
export type JobState = 'started' | 'paused' | 'resumed' | 'done' | 'stopped' | 'failed';

/** The built-in corpora, served as `${assetBase}data/text/${id}.txt`. */
export const TEXT_CORPORA = ['shakespeare', 'quijote'] as const;
export type TextCorpusId = (typeof TEXT_CORPORA)[number];

/** Where the text comes from: a built-in corpus, pasted text, or an uploaded file's bytes (UTF-8 is checked by the engine). */
export type TextCorpusSource =
  | { kind: 'builtin'; id: TextCorpusId }
  | { kind: 'pasted'; text: string }
  | { kind: 'file'; name: string; bytes: Uint8Array };

/** What the text lab's form sets of a TextConfig (snake_case, as the engine takes it; the engine refuses bad values naming the field). */
export type TextChoices = Pick<TextConfig, 'cell' | 'layers' | 'hidden_size' | 'embedding_size' | 'seq_length' | 'batch_size' | 'schedule' | 'l2' | 'clip_norm' | 'seed' | 'keep' | 'patience' | 'dropout' | 'dropout_embedding' | 'dropout_head'> & {
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

export const ENGINE_ERROR_CODES = ['load-failed', 'bad-request', 'dataset', 'engine', 'internal', 'model-file', 'crashed', 'out-of-memory', 'text-corpus'] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

/** Errors after which the engine cannot go on: the page offers to restart it. */
export const FATAL_ERROR_CODES: readonly EngineErrorCode[] = ['crashed'];

/** Errors cross as data (a code the UI can translate), never as scraped log text. */
export interface EngineError {
  code: EngineErrorCode;
  /** The engine's (or worker's) own words, in English: shown as the detail under the page's sentence. */
  message: string;
  detail?: string;
  /** A setting the engine's reader refused, as data (bindings/guard.hpp): the page words it in its language. */
  setting?: EngineSettingError;
  /** The file (or text) the error is about, named in the page's sentence. */
  subject?: string;
  /** A problem the worker recognised itself, worded by the page (i18n `error.problem.<kind>`). */
  problem?: EngineProblem;
}

/** What is wrong with a file a student gave, as data: which file, what was expected. */
export type EngineProblem =
  /** Pasted or uploaded model JSON that is not JSON at all. */
  | { kind: 'not-json'; file?: string }
  /** A file that starts like gzip (1f 8b) but does not decompress. */
  | { kind: 'damaged-gzip'; file: string }
  /** An IDX file whose magic number is not the one of its slot (images 0x00000803, labels 0x00000801). */
  | { kind: 'idx-magic'; file: string; contents: 'images' | 'labels'; expected: string; found: string };

/** An Error that carries what the page needs to word it (toEngineError keeps both). */
export function describedError(message: string, about: { subject?: string; problem?: EngineProblem }): Error {
  return Object.assign(new Error(message), about);
}

/** engine/settings/settings.hpp SettingError::details(). */
export interface EngineSettingError {
  code: 'unknown_field' | 'wrong_type' | 'out_of_range' | 'unknown_choice';
  /** 'training.optimizer.epsilon': the registry's key of the setting. */
  path: string;
  expected: unknown;
  value: unknown;
}

/** Where a run is; sent on every change ('paused' comes from the job's lifecycle). */
export type TrainingStatus = 'loading-data' | 'training' | 'paused' | 'evaluating';

/** The answer to init: what runs and the engine's presets. */
export interface EngineReady {
  backend: BackendInfo;
  presets: PresetSummary[];
  /** The engine's defaults for a new layer of the model editor. */
  layerDefaults: LayerSpec;
}

/**
 * The answer to describeModel. Without `error` every layer is described; with it, the layers before
 * the first one that does not fit (`errorLayer`, absent when the model as a whole is refused).
 */
export interface ModelSummary {
  layers: LayerRow[];
  parameterCount: number;
  error?: string;
  errorLayer?: number;
  /** The model builds but its outputs are not the dataset's classes (`error` says so in English; the page words it in its language). */
  classMismatch?: { outputs: number; classes: number };
}

/** The answer to parseModel: the model, or the engine parser's refusal. */
export interface ParsedModel {
  model?: ModelSpec;
  error?: EngineError;
}

/** Up to `limit` test images of a confusion cell (pixels transferred) and how many the cell holds. */
export interface CellImages {
  label: number;
  predicted: number;
  total: number;
  indices: number[];
  pixels: Uint8Array;
}

export interface DatasetSamplesAnswer {
  dataset: DatasetName;
  classes: number;
  labels: number[];
  pixels: Uint8Array;
}

/** The originals and their augmented versions (count × 784 bytes each), or the engine's refusal of the settings. */
export interface AugmentPreviewAnswer {
  dataset: DatasetName;
  seed: number;
  labels: number[];
  originals: Uint8Array;
  augmented: Uint8Array;
  error?: EngineError;
}

/** The answer to loadCustomDataset: the counts, or the engine's message naming the file and field. */
export interface CustomDatasetAnswer {
  train: number;
  test: number;
  error?: EngineError;
}

/** The answer to inspect: the image, its label when known, the probabilities, and every layer's output (values transferred). */
export interface LayerOutputsAnswer {
  label?: number;
  pixels: Uint8Array;
  probabilities: number[];
  layers: LayerOutput[];
}

/** Histograms of every parameter and of its last gradient (epoch = epochs done). */
export interface HistogramsAnswer {
  epoch: number;
  parameters: ParameterHistograms[];
}

/** The answer to inspectModel. */
export interface ModelPictures {
  histograms: HistogramsAnswer;
  filters: ConvFilters[];
}

/** Which model of a text run samples: the best so far (lowest validation loss) or the last one. */
export type TextModelChoice = 'best' | 'last';

/** Generated text (the answer to textGenerate; `text` excludes the prime). */
export interface GeneratedText {
  /** The step of the model that generated it. */
  step: number;
  model: TextModelChoice;
  prime: string;
  text: string;
  temperature: number;
}

/** A reopened text run (the answer to textLoad). */
export interface TextLoaded {
  source: string;
  config: TextConfig;
  steps: number;
  vocabularySize: number;
  parameterCount: number;
}

/** Which epoch's model an image run ends with (training.keep), chosen on the dev split, never on test. */
export interface KeptModel {
  which: 'best' | 'last';
  epoch: number;
  /** 0 when no epoch was measured on a dev split. */
  bestEpoch: number;
  bestDevAccuracy: number;
  lastDevAccuracy: number;
  /** training.patience epochs without a better dev accuracy ended the run. */
  stoppedEarly: boolean;
}

/** Worker → page. Epochs and batches are 1-based counts here (the engine's are 0-based). */
export type EngineEvent =
  /** Dispatched by the page's EngineClient when init answers (the worker does not send it). */
  | ({ type: 'ready' } & EngineReady)
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string }
  /** An error that concerns the image screens or the whole engine (a crash); a job's own error comes with its `job` event. */
  | { type: 'error'; error: EngineError }
  /** A long job's lifecycle (see JobState); `error` with state 'failed'. */
  | { type: 'job'; job: JobId; kind: JobKind; state: JobState; error?: EngineError }
  | { type: 'status'; status: Exclude<TrainingStatus, 'paused'> }
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
  | {
      type: 'done';
      /** Of the kept model (training.keep): the test set measures the model the dev split chose. */
      testAccuracy: number;
      testLoss: number;
      testCount: number;
      seconds: number;
      kept: KeptModel;
    }
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
  | { type: 'stopped'; epoch: number; batch: number; seconds: number }
  | {
      /** A saved model was reopened; `epoch`, `done` and `results` for it follow. */
      type: 'modelLoaded';
      source: string;
      settings: ResolvedSettings;
      /** The curves saved with it (none in files saved before they were). */
      curves: RunCurves | undefined;
      /** Epochs the model was trained for. */
      epochs: number;
      trainCount: number;
      devCount: number;
      testCount: number;
    }
  /** After each epoch while training (inspectModel answers the same for a finished model). */
  | ({ type: 'histograms' } & HistogramsAnswer)
  /** The text job's phase (paused and idle are the page's own: from the job's lifecycle). */
  | { type: 'textStatus'; status: Exclude<TextStatus, 'paused' | 'idle'> }
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
  | {
      /** A validation report; the best so far is the run's kept model when text.keep is best. */
      type: 'textEval';
      step: number;
      validationLoss: number;
      characters: number;
      improved: boolean;
      bestValidationLoss: number;
      bestStep: number;
    }
  /** A sample every few seconds while training. */
  | ({ type: 'textSample' } & GeneratedText)
  | {
      type: 'textDone';
      step: number;
      seconds: number;
      /** Stopped by the student. */
      stopped: boolean;
      /** text.patience reports without improvement. */
      stoppedEarly: boolean;
      /** The final report's loss, of the last model, and the best one's. */
      lastValidationLoss: number;
      bestValidationLoss: number;
      bestStep: number;
      /** The model saving keeps (text.keep). */
      kept: TextModelChoice;
    };

export type EngineEventType = EngineEvent['type'];
export type EngineEventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

export function toEngineError(code: EngineErrorCode, err: unknown): EngineError {
  if (isEngineError(err)) return err; // already said what it is (a refusal, a stage's error)
  if (err instanceof Error) {
    // A setting the engine refused comes as data beside the English message (bindings/guard.hpp);
    // the worker's own errors may name their file and problem (describedError).
    const { setting, subject, problem } = err as Error & Pick<EngineError, 'setting' | 'subject' | 'problem'>;
    return { code, message: err.message, detail: err.stack, ...(setting ? { setting } : {}), ...(subject ? { subject } : {}), ...(problem ? { problem } : {}) };
  }
  return { code, message: String(err) };
}

export function isEngineError(value: unknown): value is EngineError {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && 'code' in value && 'message' in value;
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
