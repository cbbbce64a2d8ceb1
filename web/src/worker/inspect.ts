// "Inside the network" and the data panel, on the worker side: turns the engine's inspection and
// data calls into the protocol's answers. Engine-free apart from the injected module (unit-tested).
import type { ConvFilters } from '../engine/inspect-types';
import type { AugmentConfig, ClassifierSession, ProfundoModule } from '../engine/types';
import type { DatasetSamples, LoadedDataset } from './datasets';
import { IMAGE_BYTES } from './datasets';
import type { AugmentPreviewAnswer, DatasetName, DatasetSamplesAnswer, EngineEventOf, InspectSource, LayerOutputsAnswer } from './protocol';

/** Bins of the weight and gradient histograms. */
export const HISTOGRAM_BINS = 30;

/** The pixels (and label, for a test image) of what to inspect; throws on a bad test index. */
export function inspectedImage(source: InspectSource, data: LoadedDataset): { pixels: Uint8Array; label?: number } {
  if (source.kind === 'pixels') {
    if (source.pixels.length !== IMAGE_BYTES) throw new Error(`inspect: expected ${IMAGE_BYTES} pixels, got ${source.pixels.length}`);
    return { pixels: source.pixels };
  }
  const count = data.testLabels.length;
  const { index } = source;
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`inspect: test image ${index} does not exist (0 to ${count - 1})`);
  return { pixels: data.testPixels.slice(index * IMAGE_BYTES, (index + 1) * IMAGE_BYTES), label: data.testLabels[index]! };
}

/** Every layer's output for one image; the values' buffers are listed for transfer. */
export function layerOutputs(
  engine: ProfundoModule,
  session: ClassifierSession,
  data: LoadedDataset,
  source: InspectSource,
): { answer: LayerOutputsAnswer; transfer: Transferable[] } {
  const { pixels, label } = inspectedImage(source, data);
  const layers = engine.layerOutputs(session, pixels);
  const probabilities = session.predictPixels(pixels);
  const answer: LayerOutputsAnswer = { pixels, probabilities, layers };
  if (label !== undefined) answer.label = label;
  return { answer, transfer: [pixels.buffer, ...layers.map((layer) => layer.values.buffer)] };
}

export function histogramsEvent(engine: ProfundoModule, session: ClassifierSession, epoch: number): EngineEventOf<'histograms'> {
  return { type: 'histograms', epoch, parameters: engine.parameterHistograms(session, HISTOGRAM_BINS) };
}

export function convFilters(engine: ProfundoModule, session: ClassifierSession): { filters: ConvFilters[]; transfer: Transferable[] } {
  const filters = engine.convFilters(session);
  return { filters, transfer: filters.map((f) => f.weights.buffer) };
}

export function datasetSamples(dataset: DatasetName, samples: DatasetSamples, count: number): DatasetSamplesAnswer {
  const n = Math.min(count, samples.labels.length);
  return { dataset, classes: samples.classes, labels: Array.from(samples.labels.subarray(0, n)), pixels: samples.pixels.slice(0, n * IMAGE_BYTES) };
}

/** The first `count` samples augmented by the engine, or its refusal of the settings as data. */
export function augmentPreview(
  engine: ProfundoModule,
  dataset: DatasetName,
  samples: DatasetSamples,
  count: number,
  config: AugmentConfig,
  seed: number,
): AugmentPreviewAnswer {
  const n = Math.min(count, samples.labels.length);
  const originals = samples.pixels.slice(0, n * IMAGE_BYTES);
  const labels = Array.from(samples.labels.subarray(0, n));
  try {
    const augmented = engine.augmentPreview(originals, n, 1, 28, 28, config, seed);
    return { dataset, seed, labels, originals, augmented };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { dataset, seed, labels, originals, augmented: new Uint8Array(0), error: { code: 'engine', message } };
  }
}
