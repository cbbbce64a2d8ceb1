// The engine worker: the only code that touches the wasm module. It answers EngineRequests
// with EngineEvents (see protocol.ts).
import type { LabsModule } from '../engine/labs-types';
import type { ProfundoModule } from '../engine/types';
import { DatasetCache } from './datasets';
import { classifyFailure } from './failure';
import { LabHost } from './labs';
import { loadEngine } from './load-engine';
import { augmentPreviewEvent, filtersEvent, histogramsEvent, layerOutputsEvent, samplesEvent } from './inspect';
import { toEngineError, type EngineErrorCode, type EngineEvent, type EngineRequest, type TrainSettings } from './protocol';
import { continueTraining, exportOnnx, loadModel, saveModel, type KeepingWorker } from './keep-model';
import { describeModel } from './model-summary';
import { makeYield, summarizePreset, tidyModel, TrainingRun } from './training';
import { TextLab } from './text-training';

interface EngineWorkerScope {
  crossOriginIsolated: boolean;
  postMessage(event: EngineEvent, transfer?: Transferable[]): void;
  onmessage: ((message: MessageEvent<EngineRequest>) => void) | null;
}

const scope = self as unknown as EngineWorkerScope;
let engine: ProfundoModule | undefined;
let datasets: DatasetCache | undefined;
let labs: LabHost | undefined;
let run: TrainingRun | undefined;
/** The last run that finished: its trained session answers predictions until the next training. */
let trained: TrainingRun | undefined;
/** The text lab's session and its training loop (created with the engine). */
let textLab: TextLab | undefined;
const yieldToEventLoop = makeYield();
/** Set when the wasm module aborted or trapped: nothing more is run on it. */
let dead = false;
let testHooks = false;

function post(event: EngineEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

/** Reports an error as what it is; a crash (abort, trap) also retires the module. */
function fail(code: EngineErrorCode, err: unknown): void {
  const failure = classifyFailure(err);
  if (failure === 'crashed') dead = true;
  post({ type: 'error', error: toEngineError(failure ?? code, err) });
}

async function init(assetBase: string, withTestHooks: boolean): Promise<void> {
  testHooks = withTestHooks;
  if (engine) return; // init is idempotent: the page may re-send it after a reload of its own state
  try {
    const { module, variant } = await loadEngine(assetBase, {
      print: (text) => post({ type: 'log', stream: 'stdout', text }),
      printErr: (text) => post({ type: 'log', stream: 'stderr', text }),
      // Emscripten calls this before throwing its RuntimeError('Aborted(…)'); the module is unusable.
      onAbort: (reason) => {
        dead = true;
        post({ type: 'error', error: { code: 'crashed', message: `the engine aborted: ${String(reason ?? 'no reason given')}` } });
      },
    });
    engine = module;
    datasets = new DatasetCache(module, assetBase);
    labs = new LabHost(module as ProfundoModule & LabsModule, () => datasets!.get('mnist'), module.buildInfo().threads);
    textLab = new TextLab(module, {
      post,
      now: () => performance.now(),
      yieldToEventLoop,
      threads: module.buildInfo().threads,
      fetchCorpus: async (id) => {
        const url = `${assetBase}data/text/${id}.txt`;
        const response = await fetch(url);
        if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status} (run npm run data)`);
        return response.text();
      },
    });
    const info = module.buildInfo();
    post({
      type: 'ready',
      backend: {
        variant: info.variant,
        simd: info.simd,
        threads: info.threads,
        requestedVariant: variant.id,
        crossOriginIsolated: scope.crossOriginIsolated,
      },
      presets: module.presetNames().map((name) => summarizePreset(module.preset(name))),
      layerDefaults: tidyModel({ input: [], layers: [module.defaultLayerSpec()], loss: '' }).layers[0]!,
    });
  } catch (err) {
    post({ type: 'error', error: toEngineError('load-failed', err) });
  }
}

function notReady(): void {
  if (dead) post({ type: 'error', error: { code: 'crashed', message: 'the engine stopped after a fatal error: restart it' } });
  else post({ type: 'error', error: { code: 'bad-request', message: 'the engine is not loaded yet' } });
}

async function loadDataset(name: Parameters<DatasetCache['get']>[0]) {
  const loaded = await datasets!.get(name);
  post({ type: 'datasetLoaded', name, train: loaded.train.count, test: loaded.test.count });
  return loaded;
}

function newRun(): TrainingRun {
  return new TrainingRun(engine!, {
    post,
    now: () => performance.now(),
    yieldToEventLoop,
    threads: engine!.buildInfo().threads,
    afterEpoch: (session, epoch) => post(histogramsEvent(engine!, session, epoch)),
  });
}

/** The worker's state as the keep-model requests see it (save, load, continue). */
const keeping: KeepingWorker = {
  get engine() {
    return engine;
  },
  get datasets() {
    return datasets;
  },
  get run() {
    return run;
  },
  set run(value: TrainingRun | undefined) {
    run = value;
  },
  get trained() {
    return trained;
  },
  set trained(value: TrainingRun | undefined) {
    trained = value;
  },
  post,
  fail,
  newRun,
  loadDataset,
};

async function train(settings: TrainSettings): Promise<void> {
  if (!engine || !datasets || dead) return notReady();
  if (run) {
    post({ type: 'error', error: { code: 'bad-request', message: 'a training run is already in progress' } });
    return;
  }
  trained?.dispose();
  trained = undefined;
  const current = newRun();
  run = current;
  let stage: 'dataset' | 'engine' = 'dataset';
  try {
    post({ type: 'status', status: 'loading-data' });
    const data = await loadDataset(settings.dataset ?? 'mnist');
    stage = 'engine';
    await current.run(settings, data);
    if (current.hasModel) trained = current;
  } catch (err) {
    fail(stage, err);
  } finally {
    run = undefined;
  }
}

/** Requests that need a working engine: refused once it died. */
const NEEDS_ENGINE = new Set<EngineRequest['type']>([
  'loadDataset',
  'train',
  'describeModel',
  'parseModel',
  'predict',
  'cellImages',
  'saveModel',
  'exportOnnx',
  'loadModel',
  'continueTraining',
  'samples',
  'augmentPreview',
  'loadCustomDataset',
  'inspect',
  'inspectModel',
]);

scope.onmessage = (message) => {
  const request = message.data;
  if (dead && NEEDS_ENGINE.has(request.type)) return notReady();
  switch (request.type) {
    case 'init':
      void init(request.assetBase, request.testHooks === true);
      break;
    case 'crash':
      // Test hook: an error no handler catches, as a bug in the worker would throw.
      if (testHooks) {
        setTimeout(() => {
          throw new Error('test hook: the engine worker crashed');
        });
      } else post({ type: 'error', error: { code: 'bad-request', message: 'crash is a test hook: load the page with ?testHooks=1' } });
      break;
    case 'loadDataset':
      if (!datasets || dead) notReady();
      else loadDataset(request.name).catch((err: unknown) => fail('dataset', err));
      break;
    case 'train': {
      const { type: _type, ...settings } = request;
      void train(settings);
      break;
    }
    case 'describeModel':
      if (!engine) notReady();
      else post({ type: 'modelSummary', id: request.id, ...describeModel(engine, request.model, request.classes) });
      break;
    case 'parseModel':
      if (!engine) notReady();
      else {
        try {
          post({ type: 'parsedModel', id: request.id, model: tidyModel(engine.modelSpecFromJson(request.text)) });
        } catch (err) {
          post({ type: 'parsedModel', id: request.id, error: err instanceof Error ? err.message : String(err) });
        }
      }
      break;
    case 'pause':
      run?.pause();
      break;
    case 'resume':
      run?.resume();
      break;
    case 'stop':
      run?.stop();
      break;
    case 'predict':
      if (dead) notReady();
      else if (!trained) post({ type: 'error', error: { code: 'bad-request', message: 'no trained model: train one first' } });
      else {
        try {
          post({ type: 'prediction', id: request.id, probabilities: trained.predict(request.pixels) });
        } catch (err) {
          fail('engine', err);
        }
      }
      break;
    case 'cellImages':
      if (!trained) post({ type: 'error', error: { code: 'bad-request', message: 'no trained model: train one first' } });
      else {
        const { total, indices, pixels } = trained.cellImages(request.label, request.predicted, request.limit);
        post({ type: 'cellImages', label: request.label, predicted: request.predicted, total, indices, pixels }, [pixels.buffer]);
      }
      break;
    case 'saveModel':
      saveModel(keeping, request.id);
      break;
    case 'exportOnnx':
      exportOnnx(keeping, request.id);
      break;
    case 'loadModel':
      void loadModel(keeping, request);
      break;
    case 'continueTraining':
      void continueTraining(keeping, request.epochs);
      break;
    case 'samples':
    case 'augmentPreview':
    case 'loadCustomDataset':
    case 'inspect':
    case 'inspectModel':
      void answerInside(request);
      break;
    case 'lab':
      if (!labs) post({ type: 'labError', id: request.id, error: { code: 'bad-request', message: 'the engine is not loaded yet' } });
      else {
        const { id } = request;
        Promise.resolve()
          .then(() => labs!.handle(request.request))
          .then((result) => post({ type: 'labResult', id, result }))
          .catch((err: unknown) => post({ type: 'labError', id, error: toEngineError('engine', err) }));
      }
      break;
    case 'textTrain':
    case 'textPause':
    case 'textResume':
    case 'textStop':
    case 'textGenerate':
    case 'textSave':
    case 'textLoad':
      if (!textLab) post({ type: 'textError', error: { code: 'bad-request', message: 'the engine is not loaded yet' } });
      else textLab.handle(request);
      break;
    default: {
      const unknown: never = request;
      post({ type: 'error', error: { code: 'bad-request', message: `unknown request ${JSON.stringify(unknown)}` } });
    }
  }
};

type InsideRequest = Extract<EngineRequest, { type: 'samples' | 'augmentPreview' | 'loadCustomDataset' | 'inspect' | 'inspectModel' }>;

/** The data panel's and "inside the network"'s requests (see inspect.ts). */
async function answerInside(request: InsideRequest): Promise<void> {
  if (!engine || !datasets) return notReady();
  try {
    switch (request.type) {
      case 'samples': {
        const event = samplesEvent(request.dataset, await datasets.samplesOf(request.dataset), request.count);
        post(event, [event.pixels.buffer]);
        break;
      }
      case 'augmentPreview': {
        const samples = await datasets.samplesOf(request.dataset);
        const event = augmentPreviewEvent(engine, request.dataset, samples, request.count, request.config, request.seed);
        post(event, [event.originals.buffer, event.augmented.buffer]);
        break;
      }
      case 'loadCustomDataset':
        try {
          const loaded = await datasets.setCustom(request.files);
          post({ type: 'customDataset', train: loaded.train.count, test: loaded.test.count });
        } catch (err) {
          post({ type: 'customDataset', train: 0, test: 0, error: toEngineError('dataset', err) });
        }
        break;
      case 'inspect':
      case 'inspectModel': {
        const model = trained?.model;
        if (!model) {
          post({ type: 'error', error: { code: 'bad-request', message: 'no trained model: train one first' } });
          return;
        }
        if (request.type === 'inspect') {
          const { event, transfer } = layerOutputsEvent(engine, model.session, model.data, request.id, request.source);
          post(event, transfer);
        } else {
          post(histogramsEvent(engine, model.session, model.session.epoch()));
          const { event, transfer } = filtersEvent(engine, model.session);
          post(event, transfer);
        }
        break;
      }
    }
  } catch (err) {
    fail(request.type === 'samples' || request.type === 'augmentPreview' ? 'dataset' : 'engine', err);
  }
}
