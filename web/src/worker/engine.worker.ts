// The engine worker: the only code that touches the wasm module. It exposes one EngineApi through
// Comlink: a request that answers once is an async method (Comlink matches replies to calls; big
// buffers are transferred), a long job is started by a method that returns its JobId and reports
// through events on the port given to init (see protocol.ts). Errors cross as EngineErrors.
import * as Comlink from 'comlink';
import type { AugmentConfig, ModelSpec } from '../engine/types';
import { EngineHost, refusal } from './engine-host';
import { augmentPreview, convFilters, datasetSamples, histogramsEvent, layerOutputs } from './inspect';
import { continueTraining, exportNotebook, exportOnnx, exportPytorchZip, loadModel, saveModel } from './keep-model';
import { loadEngine } from './load-engine';
import { describeModel } from './model-summary';
import {
  describedError,
  toEngineError,
  type AugmentPreviewAnswer,
  type CellImages,
  type CustomDatasetAnswer,
  type CustomDatasetFiles,
  type DatasetName,
  type DatasetSamplesAnswer,
  type EngineError,
  type EngineEvent,
  type EngineReady,
  type GeneratedText,
  type InspectSource,
  type JobId,
  type LabRequest,
  type LabResult,
  type LayerOutputsAnswer,
  type LoadModelRequest,
  type ModelPictures,
  type NotebookRequest,
  type ModelSummary,
  type ParsedModel,
  type TextLoaded,
  type TextModelChoice,
  type TextTrainSettings,
  type TrainSettings,
} from './protocol';
import { summarizePreset, tidyModel } from './training';

/** Whether `text` parses as JSON at all (what the engine refused is then its content, not its syntax). */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

interface EngineWorkerScope {
  crossOriginIsolated: boolean;
}

/** `value` with these buffers moved to the page instead of copied (Comlink.transfer for typed arrays' buffers). */
function transferred<T>(value: T, buffers: ArrayBufferLike[]): T {
  return Comlink.transfer(value, buffers as Transferable[]);
}

export class EngineApi {
  private host: EngineHost | undefined;
  private testHooks = false;

  /** The loaded engine's state; refuses while it is not loaded, and after a crash. */
  private get ready(): EngineHost {
    if (!this.host) throw refusal('the engine is not loaded yet');
    if (this.host.dead) throw { code: 'crashed', message: 'the engine stopped after a fatal error: restart it' } satisfies EngineError;
    return this.host;
  }

  /**
   * Loads the engine. `events` is the port the worker's events go to (in order). `testHooks`
   * honours test-only requests (crash); the page sets it only with ?testHooks=1 in its URL.
   */
  async init(assetBase: string, events: MessagePort, testHooks = false): Promise<EngineReady> {
    this.testHooks = testHooks;
    if (this.host) throw refusal('the engine is already loaded');
    const emit = (event: EngineEvent, transfer: Transferable[] = []) => events.postMessage(event, transfer);
    try {
      const { module, variant } = await loadEngine(assetBase, {
        print: (text) => emit({ type: 'log', stream: 'stdout', text }),
        printErr: (text) => emit({ type: 'log', stream: 'stderr', text }),
        // Emscripten calls this before throwing its RuntimeError('Aborted(…)'); the module is unusable.
        onAbort: (reason) => {
          const error: EngineError = { code: 'crashed', message: `the engine aborted: ${String(reason ?? 'no reason given')}` };
          if (this.host) this.host.noteFailure(error);
          else emit({ type: 'error', error });
        },
      });
      this.host = new EngineHost(module, assetBase, emit);
      const info = module.buildInfo();
      const scope = self as unknown as EngineWorkerScope;
      return {
        backend: { variant: info.variant, simd: info.simd, threads: info.threads, requestedVariant: variant.id, crossOriginIsolated: scope.crossOriginIsolated },
        presets: module.presetNames().map((name) => summarizePreset(module.preset(name))),
        layerDefaults: tidyModel({ input: [], layers: [module.defaultLayerSpec()], loss: '' }).layers[0]!,
      };
    } catch (err) {
      throw toEngineError('load-failed', err);
    }
  }

  /** Test hook (only after an init with testHooks): the worker dies of an uncaught error. */
  crash(): void {
    if (!this.testHooks) throw refusal('crash is a test hook: load the page with ?testHooks=1');
    setTimeout(() => {
      throw new Error('test hook: the engine worker crashed');
    });
  }

  // ---- the model editor ----------------------------------------------------------------------

  /** Checks a model and describes it layer by layer; `classes`: the outputs it must end with. */
  async describeModel(model: ModelSpec, classes?: number): Promise<ModelSummary> {
    const host = this.ready;
    return host.answer('engine', () => describeModel(host.engine, model, classes));
  }

  /** Reads a model file's JSON (the CLI's --model format) with the engine's parser. */
  async parseModel(text: string): Promise<ParsedModel> {
    const { engine } = this.ready;
    try {
      return { model: tidyModel(engine.modelSpecFromJson(text)) };
    } catch (err) {
      // Not JSON at all (by the platform's own reader): the page says so in its words, the engine's follow.
      const message = err instanceof Error ? err.message : String(err);
      return { error: toEngineError('model-file', isJson(text) ? err : describedError(message, { problem: { kind: 'not-json' } })) };
    }
  }

  // ---- image training: a job, and the trained model ------------------------------------------

  /** Starts a training run (the previous model is dropped); its events follow. `settings` crosses as one value. */
  async train(settings: TrainSettings): Promise<JobId> {
    const host = this.ready;
    return host.answer(
      'bad-request',
      () => {
        if (host.runner.active('image') !== undefined) throw refusal('a training run is already in progress');
        host.trained?.dispose();
        host.trained = undefined;
        const run = host.newRun();
        return host.runner.start('image', async (job) => {
          host.emit({ type: 'status', status: 'loading-data' });
          const data = await host.answer('dataset', () => host.datasets.get(settings.dataset ?? 'mnist'));
          const end = await run.run(settings, data, job);
          if (run.hasModel) host.trained = run;
          return end;
        }).id;
      },
      { toImageScreens: true },
    );
  }

  /** Trains the current model (trained or loaded) for `epochs` more epochs, as a job. */
  async continueTraining(epochs: number): Promise<JobId> {
    const host = this.ready;
    return host.answer('bad-request', () => continueTraining(host, epochs), { toImageScreens: true });
  }

  /**
   * Reopens a saved-model file: the engine checks it (format, version, CRC-32, dataset) and the
   * test set is evaluated as after training (events modelLoaded, epoch, done, results). On failure
   * the current model stays.
   */
  async loadModel(request: LoadModelRequest): Promise<void> {
    const host = this.ready;
    return host.answer('model-file', () => loadModel(host, request), { toImageScreens: true, subject: request.source });
  }

  /** The trained model as the engine's saved-model file (transferred). */
  async saveModel(): Promise<Uint8Array> {
    const host = this.ready;
    const bytes = await host.answer('engine', () => saveModel(host), { toImageScreens: true });
    return transferred(bytes, [bytes.buffer]);
  }

  /** The trained model as an ONNX file (transferred). */
  async exportOnnx(): Promise<Uint8Array> {
    const host = this.ready;
    const bytes = await host.answer('engine', () => exportOnnx(host), { toImageScreens: true });
    return transferred(bytes, [bytes.buffer]);
  }

  /** The trained run as a PyTorch project in a zip (transferred). */
  async exportPytorch(): Promise<Uint8Array> {
    const host = this.ready;
    const bytes = await host.answer('engine', () => exportPytorchZip(host), { toImageScreens: true });
    return transferred(bytes, [bytes.buffer]);
  }

  /** The trained run's hand-in notebook (nbformat 4 JSON text), in `request.language`. */
  async exportNotebook(request: NotebookRequest): Promise<string> {
    const host = this.ready;
    return host.answer('engine', () => exportNotebook(host, request), { toImageScreens: true });
  }

  /** Class probabilities of a 28×28 uint8 image (white on black) by the trained model. */
  async predict(pixels: Uint8Array): Promise<number[]> {
    const host = this.ready;
    return host.answer('engine', () => requireTrained(host).predict(pixels), { toImageScreens: true });
  }

  /** Up to `limit` test images whose true label is `label` and predicted class `predicted`. */
  async cellImages(label: number, predicted: number, limit: number): Promise<CellImages> {
    const host = this.ready;
    const cell = await host.answer('engine', () => ({ label, predicted, ...requireTrained(host).cellImages(label, predicted, limit) }), { toImageScreens: true });
    return transferred(cell, [cell.pixels.buffer]);
  }

  // ---- pause, resume and stop any job by id ----------------------------------------------------

  pause(job: JobId): void {
    this.host?.runner.pause(job);
  }

  resume(job: JobId): void {
    this.host?.runner.resume(job);
  }

  stop(job: JobId): void {
    this.host?.runner.stop(job);
  }

  // ---- the data panel and "inside the network" -------------------------------------------------

  /** The first `count` training images of a dataset and their labels (for the sample grid). */
  async samples(dataset: DatasetName, count: number): Promise<DatasetSamplesAnswer> {
    const host = this.ready;
    const answer = await host.answer('dataset', async () => datasetSamples(dataset, await host.datasets.samplesOf(dataset), count), { toImageScreens: true });
    return transferred(answer, [answer.pixels.buffer]);
  }

  /** The first `count` training images of a dataset, each augmented once with `config` and `seed`. */
  async augmentPreview(dataset: DatasetName, count: number, config: AugmentConfig, seed: number): Promise<AugmentPreviewAnswer> {
    const host = this.ready;
    const answer = await host.answer(
      'dataset',
      async () => augmentPreview(host.engine, dataset, await host.datasets.samplesOf(dataset), count, config, seed),
      { toImageScreens: true },
    );
    return transferred(answer, [answer.originals.buffer, answer.augmented.buffer]);
  }

  /** The student's own IDX files (gzipped or not; transferred), checked by the engine, become dataset 'custom'. */
  async loadCustomDataset(files: CustomDatasetFiles): Promise<CustomDatasetAnswer> {
    const host = this.ready;
    try {
      const loaded = await host.datasets.setCustom(files);
      return { train: loaded.train.count, test: loaded.test.count };
    } catch (err) {
      return { train: 0, test: 0, error: toEngineError('dataset', err) };
    }
  }

  /** Every layer's output for one image by the trained model: a test image or given pixels. */
  async inspect(source: InspectSource): Promise<LayerOutputsAnswer> {
    const host = this.ready;
    const { answer, transfer } = await host.answer(
      'engine',
      () => {
        const model = requireTrained(host).model!;
        return layerOutputs(host.engine, model.session, model.data, source);
      },
      { toImageScreens: true },
    );
    return Comlink.transfer(answer, transfer);
  }

  /** Histograms of every parameter and of its last gradient, and the conv filters, of the trained model. */
  async inspectModel(): Promise<ModelPictures> {
    const host = this.ready;
    const { histograms, filters, transfer } = await host.answer(
      'engine',
      () => {
        const { session } = requireTrained(host).model!;
        const { type: _type, ...histograms } = histogramsEvent(host.engine, session, session.epoch());
        return { histograms, ...convFilters(host.engine, session) };
      },
      { toImageScreens: true },
    );
    return Comlink.transfer({ histograms, filters }, transfer);
  }

  // ---- the course labs ---------------------------------------------------------------------------

  /** A course lab's computation (its errors go to the lab only). */
  async lab(request: LabRequest): Promise<LabResult> {
    const host = this.ready;
    return host.answer('engine', () => host.labs.handle(request));
  }

  // ---- the text lab: training is a job; the model answers generate, save ------------------------

  /** Trains a character-level language model: textStarted, textProgress, textEval, textSample… textDone. */
  async textTrain(settings: TextTrainSettings): Promise<JobId> {
    const host = this.ready;
    return host.runner.start('text', (job) => host.textLab.train(settings, job)).id;
  }

  /** Generated text from the run's best model so far or its last one. */
  async textGenerate(prime: string, length: number, temperature: number, seed: number, model: TextModelChoice): Promise<GeneratedText> {
    const host = this.ready;
    return host.answer('engine', () => host.textLab.generate(prime, length, temperature, seed, model));
  }

  /** The kept text model (text.keep: the best or the last) as the engine's saved-run file (transferred). */
  async textSave(): Promise<Uint8Array> {
    const host = this.ready;
    const bytes = await host.answer('engine', () => host.textLab.save());
    return transferred(bytes, [bytes.buffer]);
  }

  /** The current text model as an ONNX file (transferred). */
  async textExportOnnx(): Promise<Uint8Array> {
    const host = this.ready;
    const bytes = await host.answer('engine', () => host.textLab.exportOnnx());
    return transferred(bytes, [bytes.buffer]);
  }

  /** Reopens a saved text run for sampling only. */
  async textLoad(bytes: Uint8Array, source: string): Promise<TextLoaded> {
    const host = this.ready;
    if (host.runner.active('text') !== undefined) throw refusal('a text run is in progress: stop it first');
    return host.answer('model-file', () => host.textLab.load(bytes, source));
  }
}

function requireTrained(host: EngineHost) {
  if (!host.trained?.hasModel) throw refusal('no trained model: train one first');
  return host.trained;
}

Comlink.expose(new EngineApi());
