// Keeping a trained model inside the worker: saving it as the engine's file, reopening a saved
// file (evaluated as after training, so predictions work) and training it further. The engine
// checks the files; its messages reach the page as 'model-file' errors.
import type { ProfundoModule } from '../engine/types';
import { presetOfModel, readCheckpointHeader, settingsFromHeader, startsWithMagic } from './checkpoint-header';
import type { DatasetCache, LoadedDataset } from './datasets';
import type { DatasetName, EngineErrorCode, EngineEvent, EngineRequest } from './protocol';
import type { TrainingRun } from './training';

/** What of the worker's state these requests read and change. */
export interface KeepingWorker {
  readonly engine: ProfundoModule | undefined;
  readonly datasets: DatasetCache | undefined;
  /** The run in progress. */
  run: TrainingRun | undefined;
  /** The model that answers predictions. */
  trained: TrainingRun | undefined;
  post(event: EngineEvent, transfer?: Transferable[]): void;
  /** Reports an engine error (a crash or running out of memory as such). */
  fail(code: EngineErrorCode, err: unknown): void;
  newRun(): TrainingRun;
  loadDataset(name: DatasetName): Promise<LoadedDataset>;
}

/** Each preset's model as the engine writes it (in saved files too). */
function presetModels(engine: ProfundoModule): Map<string, string> {
  return new Map(engine.presetNames().map((name) => [name, engine.modelSpecToJson(engine.preset(name).model)]));
}

function refuse(worker: KeepingWorker, message: string): void {
  worker.post({ type: 'error', error: { code: 'bad-request', message } });
}

/** Posts the trained model's file as written by `write` (its bytes transferred). */
function postModelFile(worker: KeepingWorker, type: 'modelSaved' | 'onnxExported', id: number, write: (run: TrainingRun) => Uint8Array): void {
  if (!worker.trained) return refuse(worker, 'no trained model: train or load one first');
  try {
    const bytes = write(worker.trained);
    worker.post({ type, id, bytes }, [bytes.buffer]);
  } catch (err) {
    worker.fail('engine', err);
  }
}

export function saveModel(worker: KeepingWorker, id: number): void {
  postModelFile(worker, 'modelSaved', id, (run) => run.save());
}

export function exportOnnx(worker: KeepingWorker, id: number): void {
  postModelFile(worker, 'onnxExported', id, (run) => run.exportOnnx());
}

/** Reopens a saved model on its dataset; the current model is replaced only when this succeeds. */
export async function loadModel(worker: KeepingWorker, request: Extract<EngineRequest, { type: 'loadModel' }>): Promise<void> {
  const { engine } = worker;
  if (!engine || !worker.datasets) return refuse(worker, 'the engine is not loaded yet');
  if (worker.run) return refuse(worker, 'a training run is in progress: stop it before loading a model');
  let header = readCheckpointHeader(request.bytes);
  // An ONNX classifier, which the engine imports (or refuses, saying why).
  const onnx = request.source.toLowerCase().endsWith('.onnx') && !startsWithMagic(request.bytes);
  const dataset = header?.dataset ?? request.fallbackDataset;
  let stage: 'dataset' | 'model-file' = 'dataset';
  try {
    const data = await worker.loadDataset(dataset);
    if (worker.run) return refuse(worker, 'a training run started while the model was loading: stop it and load again');
    stage = 'model-file';
    const open = onnx ? engine.ClassifierSession.fromOnnx : engine.ClassifierSession.resume;
    const session = open(request.bytes, request.source, data.train, data.test, engine.buildInfo().threads);
    // The imported model's settings, as the engine would save them.
    if (onnx) header = readCheckpointHeader(session.save());
    const loaded = worker.newRun();
    if (!header) {
      // The engine read the file, so this cannot happen; refuse rather than show made-up settings.
      session.delete();
      throw new Error(`${request.source}: the header could not be read`);
    }
    const preset = request.preset ?? presetOfModel(header.model, presetModels(engine)) ?? request.source;
    loaded.adopt(session, data, settingsFromHeader(header, preset, dataset), request.source);
    worker.trained?.dispose();
    worker.trained = loaded;
  } catch (err) {
    worker.fail(stage, err);
  }
}

/** Trains the current model for more epochs, as a run that can be paused and stopped. */
export async function continueTraining(worker: KeepingWorker, epochs: number): Promise<void> {
  if (!worker.engine) return refuse(worker, 'the engine is not loaded yet');
  if (worker.run) return refuse(worker, 'a training run is already in progress');
  const previous = worker.trained;
  if (!previous?.hasModel) return refuse(worker, 'no trained model: train or load one first');
  const current = worker.newRun();
  worker.run = current;
  try {
    await current.continueFrom(previous, epochs);
  } catch (err) {
    worker.fail('engine', err);
  } finally {
    // The model moved to `current` unless the request was refused first (it then stays where it was).
    worker.trained = current.hasModel ? current : previous.hasModel ? previous : undefined;
    worker.run = undefined;
  }
}
