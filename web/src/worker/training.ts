// One training run inside the worker: a ClassifierSession trained as a job of the JobRunner (its
// time slices, pause and stop), posting started, progress, epoch, done and results.
// Engine-free (the module and the host are injected) so the unit tests drive it with fakes.
import type { ClassifierSession, DataConfig, Mistake, ModelSpec, Preset, ProfundoModule, TrainConfig } from '../engine/types';
import { settingsOf, setValueAt, valueAt, type SettingsTable } from '../engine/settings-registry';
import { checkModelSpec } from './config-check';
import { fitDevSize, type LoadedDataset } from './datasets';
import { Throttle, type Job, type JobEnd } from './job-runner';
import { downsampleCurve } from '../storage/run-record';
import type { EngineEvent, EpochMetrics, KeptModel, PresetSummary, ResolvedSettings, RunCurves, TrainSettings } from './protocol';
import { byConfidence, cellIndices, GALLERY_MISTAKES, gatherImages } from './results';

/** At most this often a progress event (the last batch of an epoch always gets one). */
export const PROGRESS_INTERVAL_MS = 100;
/** Train metrics are measured on this many training images (a fixed subset), as in the CLI. */
export const TRAIN_EVAL_SAMPLES = 10_000;

/** A float32 from the engine as the short decimal it was written as (0.0010000000474974513 → 0.001). */
export function float32ToDecimal(value: number): number {
  return Number(value.toPrecision(7));
}

/** The float32 fields of a configuration, as the decimals they were written as (the object is modified). */
function tidyFloats<T extends object>(object: T, fields: readonly (keyof T)[]): T {
  for (const field of fields) {
    const value = object[field];
    if (typeof value === 'number') object[field] = float32ToDecimal(value) as T[keyof T];
  }
  return object;
}

export function tidyModel(model: ModelSpec): ModelSpec {
  return { ...model, input: [...model.input], layers: model.layers.map((layer) => tidyFloats({ ...layer }, ['bias', 'slope', 'p', 'momentum', 'epsilon'])) };
}

/** A copy with the registry's float settings as short decimals (files saved before the engine wrote them so). */
function tidySettings<T>(table: SettingsTable, config: T): T {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const s of settingsOf(table)) {
    const value = valueAt(copy, s.path);
    if (s.type === 'float' && typeof value === 'number') setValueAt(copy, s.path, float32ToDecimal(value));
  }
  return copy as T;
}

export function tidyTraining(training: TrainConfig): TrainConfig {
  return tidySettings('training', training);
}

export function tidyData(data: DataConfig): DataConfig {
  return tidySettings('data', data);
}

export function summarizePreset(preset: Preset): PresetSummary {
  return {
    name: preset.name,
    description: preset.description,
    model: tidyModel(preset.model),
    training: tidyTraining(preset.training),
    data: tidyData(preset.data),
  };
}

/**
 * The configuration a run uses: the request's, with a full batch resolved to the training split's
 * size (`trainImages` − dev_size). The training and data settings cross as the engine's JSON and
 * its reader judges them (naming the field and its range); the model is checked to cross unchanged.
 */
export function resolveSettings(settings: TrainSettings, trainImages: number): ResolvedSettings {
  checkModelSpec(settings.model);
  const training: TrainConfig = structuredClone(settings.training);
  const data = settings.dataset === 'custom' ? fitDevSize(settings.data, trainImages) : structuredClone(settings.data);
  if (settings.fullBatch) training.batch_size = Math.max(1, trainImages - data.dev_size);
  return {
    preset: settings.preset,
    dataset: settings.dataset ?? 'mnist',
    model: structuredClone(settings.model),
    training,
    data,
    epochs: training.epochs,
    batchSize: training.batch_size,
    learningRate: training.optimizer.learning_rate,
    optimizer: training.optimizer.kind,
    seed: training.seed,
  };
}

/** The settings with a new epoch target (a run continued for more epochs). */
export function withEpochs(settings: ResolvedSettings, epochs: number): ResolvedSettings {
  return { ...settings, epochs, training: { ...settings.training, epochs } };
}

export interface TrainingHost {
  post(event: EngineEvent, transfer?: Transferable[]): void;
  now(): number;
  /** Threads for the session: engine.buildInfo().threads. */
  threads: number;
  /** Called after each epoch's metrics, with the session (e.g. to post its histograms). */
  afterEpoch?(session: ClassifierSession, epoch: number): void;
}

/** A finished run's model, kept for predictions, saving and more training. */
interface Trained {
  session: ClassifierSession;
  data: LoadedDataset;
  /** Every test mistake (for the confusion cells' images). */
  mistakes: Mistake[];
  settings: ResolvedSettings;
}

/** No curves yet. */
export function emptyCurves(): RunCurves {
  return { epochs: [], lossSteps: [], losses: [] };
}

/** The curves with `metrics` as its epoch's entry (a reopened model's last epoch is measured again). */
export function withEpoch(curves: RunCurves, metrics: EpochMetrics): RunCurves {
  return { ...curves, epochs: [...curves.epochs.filter((e) => e.epoch !== metrics.epoch), metrics].sort((a, b) => a.epoch - b.epoch) };
}

export class TrainingRun {
  /** After a finished run: the trained session (kept for predictions until dispose()) and the test evaluation. */
  private trained: Trained | undefined;
  /** The run's curves so far; a continued or reopened model's go on from its own. Saved with the model. */
  private curves: RunCurves = emptyCurves();

  constructor(
    private readonly engine: ProfundoModule,
    private readonly host: TrainingHost,
  ) {}

  /** Whether run() finished and the trained model is loaded. */
  get hasModel(): boolean {
    return this.trained !== undefined;
  }

  /** Class probabilities of one image by the trained model. Throws when there is none. */
  predict(pixels: Uint8Array): number[] {
    if (!this.trained) throw new Error('no trained model: train one first');
    return this.trained.session.predictPixels(pixels);
  }

  /** Up to `limit` test images in a cell of the test confusion matrix, and how many the cell holds. */
  cellImages(label: number, predicted: number, limit: number): { total: number; indices: number[]; pixels: Uint8Array } {
    if (!this.trained) throw new Error('no trained model: train one first');
    const all = cellIndices(this.trained.data.testLabels, this.trained.mistakes, label, predicted);
    const indices = all.slice(0, Math.max(0, limit));
    return { total: all.length, indices, pixels: gatherImages(this.trained.data.testPixels, indices) };
  }

  /** After a finished run: the trained session and its data (owned by this run: do not delete). */
  get model(): { session: ClassifierSession; data: LoadedDataset; mistakes: Mistake[] } | undefined {
    return this.trained;
  }

  /** Frees the trained session (idempotent). */
  dispose(): void {
    this.trained?.session.delete();
    this.trained = undefined;
  }

  /** Trains to the end (posting started/progress/epoch/done) or until `job` is stopped. Throws engine errors. */
  async run(settings: TrainSettings, data: LoadedDataset, job: Job): Promise<JobEnd> {
    const { engine, host } = this;
    const started = host.now();
    const resolved = resolveSettings(settings, data.train.count);
    const session = new engine.ClassifierSession(resolved.model, resolved.training, resolved.data, data.train, data.test, host.threads);
    return this.drive(session, resolved, data, started, false, job);
  }

  /**
   * Takes over the trained model of `previous` (which then has none) and trains it for `extraEpochs`
   * more epochs, numbered on from the saved ones.
   */
  async continueFrom(previous: TrainingRun, extraEpochs: number, job: Job): Promise<JobEnd> {
    // Checked before taking the model, so a refused request leaves it usable.
    if (!Number.isInteger(extraEpochs) || extraEpochs < 1) throw new Error(`epochs must be a whole number ≥ 1, got ${extraEpochs}`);
    const kept = previous.release();
    if (!kept) throw new Error('no trained model: train or load one first');
    const started = this.host.now();
    this.curves = structuredClone(previous.curves);
    let owned: ClassifierSession | undefined = kept.session;
    try {
      const epochs = kept.session.epoch() + extraEpochs;
      kept.session.setEpochs(epochs);
      owned = undefined; // drive() owns it now
      return await this.drive(kept.session, withEpochs(kept.settings, epochs), kept.data, started, true, job);
    } finally {
      owned?.delete();
    }
  }

  /**
   * Adopts a session reopened from a saved model (owned from now on): measures it as after an epoch
   * and on the test set, posting modelLoaded, epoch, done and results, and keeps it for predictions.
   */
  adopt(session: ClassifierSession, data: LoadedDataset, settings: ResolvedSettings, source: string, curves: RunCurves | undefined): void {
    try {
      const epochs = session.epoch();
      this.curves = curves ?? emptyCurves();
      this.host.post({
        type: 'modelLoaded',
        source,
        settings: withEpochs(settings, epochs),
        curves,
        epochs,
        trainCount: session.trainCount(),
        devCount: session.devCount(),
        testCount: data.test.count,
      });
      this.postEpochMetrics(session, epochs);
      this.finish(session, data, withEpochs(settings, epochs), undefined);
    } catch (err) {
      session.delete();
      throw err;
    }
  }

  /** The trained model as the engine's saved-model file. Throws when there is none. */
  save(): Uint8Array {
    if (!this.trained) throw new Error('no trained model: train one first');
    const loss = downsampleCurve(this.curves.lossSteps, this.curves.losses);
    this.trained.session.setHistory(JSON.stringify({ epochs: this.curves.epochs, lossSteps: loss.steps, losses: loss.values } satisfies RunCurves));
    return this.trained.session.save();
  }

  /** The trained model as an ONNX file. Throws when there is none. */
  exportOnnx(): Uint8Array {
    if (!this.trained) throw new Error('no trained model: train one first');
    return this.trained.session.exportOnnx();
  }

  /** The run as a PyTorch project (path → text or bytes). Throws when there is none. */
  exportPytorchProject(): Record<string, string | Uint8Array> {
    if (!this.trained) throw new Error('no trained model: train one first');
    return this.trained.session.exportPytorchProject();
  }

  /** The hand-in notebook (JSON text) for the engine's request JSON. Throws when there is none. */
  exportNotebook(request: string): string {
    if (!this.trained) throw new Error('no trained model: train one first');
    return this.trained.session.exportNotebook(request);
  }

  /** Hands the trained session over to the caller (this run then has none). */
  private release(): Trained | undefined {
    const kept = this.trained;
    this.trained = undefined;
    return kept;
  }

  private postEpochMetrics(session: ClassifierSession, epoch: number): void {
    const { engine, host } = this;
    const trainEval = session.evaluate(engine.Split.train, 0, TRAIN_EVAL_SAMPLES);
    const devEval = session.evaluate(engine.Split.dev, 0, 0);
    session.offerDev(devEval.accuracy); // the session keeps the best epoch (training.keep, training.patience)
    const metrics: EpochMetrics = { epoch, trainLoss: trainEval.loss, trainAccuracy: trainEval.accuracy, devLoss: devEval.loss, devAccuracy: devEval.accuracy };
    this.curves = withEpoch(this.curves, metrics);
    host.post({ type: 'epoch', ...metrics });
  }

  /** Evaluates the test set (done, results) and keeps the session for predictions. `started` is unknown (NaN seconds) for a reopened model. */
  private finish(session: ClassifierSession, data: LoadedDataset, settings: ResolvedSettings, started: number | undefined): void {
    const { engine, host } = this;
    host.post({ type: 'status', status: 'evaluating' });
    const kept: KeptModel = {
      which: session.keepsBest() ? 'best' : 'last',
      epoch: session.keptEpoch(),
      bestEpoch: session.bestEpoch(),
      bestDevAccuracy: session.bestDevAccuracy(),
      lastDevAccuracy: session.lastDevAccuracy(),
      stoppedEarly: session.stoppedEarly(),
    };
    // From here on the model is the kept one: tested, predicting, saved and continued.
    session.restoreKept();
    // Every mistake is kept: the confusion cells' images are found from them.
    const test = session.evaluate(engine.Split.test, data.test.count, 0);
    host.post({ type: 'done', testAccuracy: test.accuracy, testLoss: test.loss, testCount: test.count, seconds: started === undefined ? NaN : (host.now() - started) / 1000, kept });
    const mistakes = byConfidence(test.mistakes).slice(0, GALLERY_MISTAKES);
    const mistakePixels = gatherImages(data.testPixels, mistakes.map((m) => m.index));
    host.post(
      { type: 'results', classes: test.classes, confusion: test.confusion, perClassAccuracy: test.per_class_accuracy, mistakes, mistakePixels },
      [mistakePixels.buffer],
    );
    this.trained = { session, data, mistakes: test.mistakes, settings };
  }

  /** Trains `session` (owned from now on) until it has finished settings.epochs or `job` is stopped. */
  private async drive(owned: ClassifierSession, resolved: ResolvedSettings, data: LoadedDataset, started: number, continued: boolean, job: Job): Promise<JobEnd> {
    const { host } = this;
    let session: ClassifierSession | undefined = owned;
    try {
      const batchesPerEpoch = session.batchesPerEpoch();
      host.post({
        type: 'started',
        settings: resolved,
        batchesPerEpoch,
        trainCount: session.trainCount(),
        devCount: session.devCount(),
        testCount: data.test.count,
        threads: session.threads(),
        ...(continued ? { continued } : {}),
      });
      host.post({ type: 'status', status: 'training' });
      const progressDue = new Throttle(PROGRESS_INTERVAL_MS, () => host.now(), true);
      let losses: number[] = [];
      // Training time and samples since the last progress event (paused and evaluation time excluded).
      let windowMs = 0;
      let windowSamples = 0;
      let samplesPerSecond = 0;
      let epoch = session.epoch() + 1;
      let batch = 0;

      const flushProgress = (report: { loss: number; learning_rate: number; step: number }) => {
        if (windowMs > 0 && windowSamples > 0) {
          const rate = (windowSamples * 1000) / windowMs;
          samplesPerSecond = samplesPerSecond === 0 ? rate : 0.5 * samplesPerSecond + 0.5 * rate;
        }
        const buffer = Float32Array.from(losses);
        const firstStep = report.step - losses.length + 1;
        losses.forEach((loss, i) => {
          this.curves.lossSteps.push(firstStep + i);
          this.curves.losses.push(buffer[i]!); // as the page receives it (float32)
        });
        host.post(
          {
            type: 'progress',
            epoch,
            batch,
            batchesPerEpoch,
            step: report.step,
            firstStep,
            losses: buffer,
            samplesPerSecond,
            loss: report.loss,
            learningRate: report.learning_rate,
          },
          [buffer.buffer],
        );
        losses = [];
        windowMs = 0;
        windowSamples = 0;
      };

      while (!session.finished() && (await job.next())) {
        let report!: ReturnType<ClassifierSession['trainNextBatch']>;
        windowMs += job.slice(() => {
          report = session!.trainNextBatch();
          epoch = report.epoch + 1;
          batch = report.batch + 1;
          losses.push(report.loss);
          windowSamples += report.samples;
          return !report.epoch_finished;
        });
        if (progressDue.due() || report.epoch_finished) flushProgress(report);
        if (report.epoch_finished) {
          host.post({ type: 'status', status: 'evaluating' });
          this.postEpochMetrics(session, epoch);
          host.afterEpoch?.(session, epoch);
          host.post({ type: 'status', status: 'training' });
        }
      }

      if (!session.finished()) {
        host.post({ type: 'stopped', epoch, batch, seconds: (host.now() - started) / 1000 });
        return 'stopped';
      }
      this.finish(session, data, resolved, started);
      session = undefined; // kept alive for predictions; dispose() frees it
      return 'done';
    } finally {
      session?.delete();
    }
  }
}
