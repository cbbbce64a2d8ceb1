// Keeping a trained model inside the worker: saving it as the engine's file, reopening a saved
// file (evaluated as after training, so predictions work) and training it further. The engine
// checks the files; its messages reach the page as 'model-file' errors.
import type { ProfundoModule } from '../engine/types';
import { presetOfModel, readCheckpointHeader, settingsFromHeader, startsWithMagic } from './checkpoint-header';
import { refusal, type EngineHost } from './engine-host';
import type { JobId, LoadModelRequest, NotebookRequest } from './protocol';
import { strToU8, zipSync } from 'fflate';

/** Each preset's model as the engine writes it (in saved files too). */
function presetModels(engine: ProfundoModule): Map<string, string> {
  return new Map(engine.presetNames().map((name) => [name, engine.modelSpecToJson(engine.preset(name).model)]));
}

export function saveModel(host: EngineHost): Uint8Array {
  if (!host.trained) throw refusal('no trained model: train or load one first');
  return host.trained.save();
}

/** The trained model as an ONNX file (engine/interop/onnx_export.hpp). */
export function exportOnnx(host: EngineHost): Uint8Array {
  if (!host.trained) throw refusal('no trained model: train or load one first');
  return host.trained.exportOnnx();
}

/** The trained run as a PyTorch project, zipped into one folder (engine/interop/pytorch_project.hpp). */
export function exportPytorchZip(host: EngineHost): Uint8Array {
  if (!host.trained) throw refusal('no trained model: train or load one first');
  const files = host.trained.exportPytorchProject();
  const entries = Object.entries(files).map(([path, content]) => [`profundo-pytorch/${path}`, typeof content === 'string' ? strToU8(content) : content] as const);
  return zipSync(Object.fromEntries(entries));
}

/** The hand-in notebook of the trained run (engine/interop/notebook.hpp), with the run's curves. */
export function exportNotebook(host: EngineHost, request: NotebookRequest): string {
  if (!host.trained) throw refusal('no trained model: train or load one first');
  const history = request.history.map((e) => ({
    epoch: e.epoch,
    train: { loss: e.trainLoss, accuracy: e.trainAccuracy },
    dev: { loss: e.devLoss, accuracy: e.devAccuracy },
  }));
  return host.trained.exportNotebook(JSON.stringify({ language: request.language, title: request.title, history }));
}

/** Reopens a saved model on its dataset; the current model is replaced only when this succeeds. */
export async function loadModel(host: EngineHost, request: LoadModelRequest): Promise<void> {
  const { engine } = host;
  const refuseWhileTraining = (message: string) => {
    if (host.runner.active('image') !== undefined) throw refusal(message);
  };
  refuseWhileTraining('a training run is in progress: stop it before loading a model');
  let header = readCheckpointHeader(request.bytes);
  // An ONNX classifier, which the engine imports (or refuses, saying why).
  const onnx = request.source.toLowerCase().endsWith('.onnx') && !startsWithMagic(request.bytes);
  // An ONNX file names its dataset in its metadata (read, and a text model refused, before loading any).
  const onnxDataset = onnx ? await host.answer('model-file', () => engine.ClassifierSession.onnxDataset(request.bytes, request.source)) : undefined;
  const data = await host.answer('dataset', () => host.datasets.get(header?.dataset ?? onnxDataset ?? request.fallbackDataset));
  refuseWhileTraining('a training run started while the model was loading: stop it and load again');
  await host.answer('model-file', () => {
    const open = onnx ? engine.ClassifierSession.fromOnnx : engine.ClassifierSession.resume;
    const session = open(request.bytes, request.source, data.train, data.test, engine.buildInfo().threads);
    // The imported model's settings, as the engine would save them.
    if (onnx) header = readCheckpointHeader(session.save());
    if (!header) {
      // The engine read the file, so this cannot happen; refuse rather than show made-up settings.
      session.delete();
      throw new Error(`${request.source}: the header could not be read`);
    }
    const loaded = host.newRun();
    const preset = request.preset ?? presetOfModel(header.model, presetModels(engine)) ?? request.source;
    loaded.adopt(session, data, settingsFromHeader(header, preset, data.name), request.source, header.curves);
    host.trained?.dispose();
    host.trained = loaded;
  });
}

/** Trains the current model for more epochs, as a job that can be paused and stopped. */
export function continueTraining(host: EngineHost, epochs: number): JobId {
  const previous = host.trained;
  if (!previous?.hasModel) throw refusal('no trained model: train or load one first');
  const { id } = host.runner.start('image', async (job) => {
    const current = host.newRun();
    try {
      return await current.continueFrom(previous, epochs, job);
    } finally {
      // The model moved to `current` unless the request was refused first (it then stays where it was).
      host.trained = current.hasModel ? current : previous.hasModel ? previous : undefined;
    }
  });
  return id;
}
