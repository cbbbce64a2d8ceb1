// The inside views' store without a page: fed by fake worker events and answers, it keeps one
// histogram set per epoch in order, shows only the answer to the latest image asked for, and
// forgets a reset model's pictures (a late answer included).
import { describe, expect, it } from 'vitest';
import type { ConvFilters } from '../../../web/src/engine/inspect-types';
import { InsideStore } from '../../../web/src/screens/inside/inside-store';
import type { EngineEvents } from '../../../web/src/screens/train/train-store';
import type { EngineEventOf, HistogramsAnswer, InspectSource, LayerOutputsAnswer, ModelPictures } from '../../../web/src/worker/protocol';

/** Worker events the test sends, and requests the test answers by hand. */
function fakeWorker() {
  let histogramsHandler: ((event: EngineEventOf<'histograms'>) => void) | undefined;
  const inspects: { source: InspectSource; answer: (outputs: LayerOutputsAnswer) => Promise<void>; fail: () => Promise<void> }[] = [];
  const models: ((pictures: ModelPictures) => Promise<void>)[] = [];
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const events: EngineEvents = {
    on(type, handler) {
      if (type === 'histograms') histogramsHandler = handler as (event: EngineEventOf<'histograms'>) => void;
    },
  };
  const requests = {
    inspectModel: () =>
      new Promise<ModelPictures>((resolve) => {
        models.push(async (pictures) => {
          resolve(pictures);
          await settle();
        });
      }),
    inspect: (source: InspectSource) =>
      new Promise<LayerOutputsAnswer>((resolve, reject) => {
        inspects.push({
          source,
          answer: async (outputs) => {
            resolve(outputs);
            await settle();
          },
          fail: async () => {
            reject(new Error('the engine failed'));
            await settle();
          },
        });
      }),
  };
  const sendHistograms = (answer: HistogramsAnswer) => histogramsHandler?.({ type: 'histograms', ...answer });
  return { events, requests, inspects, models, sendHistograms };
}

const histograms = (epoch: number): HistogramsAnswer => ({ epoch, parameters: [] });
const outputs = (label: number | undefined, predicted: number): LayerOutputsAnswer => ({
  label,
  pixels: new Uint8Array(784),
  probabilities: Array.from({ length: 10 }, (_, i) => (i === predicted ? 0.9 : 0.01)),
  layers: [],
});
const filters: ConvFilters[] = [{ layer: 0, shape: [2, 1, 3, 3], weights: new Float32Array(18) }];

describe('the inside store', () => {
  it('keeps one histogram set per epoch, in epoch order, from events and from inspectModel', async () => {
    const worker = fakeWorker();
    const store = new InsideStore(worker.events, worker.requests);
    worker.sendHistograms(histograms(2));
    worker.sendHistograms(histograms(1));
    worker.sendHistograms({ epoch: 2, parameters: [{ layer: 0, layer_kind: 'dense', name: 'W', shape: [1], values: { low: 0, high: 1, counts: [1], finite: 1, non_finite: 0 }, gradients: { low: 0, high: 1, counts: [1], finite: 1, non_finite: 0 } }] });
    expect(store.histograms.value.map((h) => [h.epoch, h.parameters.length])).toEqual([[1, 0], [2, 1]]);

    store.open([{ index: 4, label: 1, predicted: 7, confidence: 0.8 }], 500);
    expect(store.filters.value).toBeUndefined();
    await worker.models[0]!({ histograms: histograms(3), filters });
    expect(store.histograms.value.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(store.filters.value).toBe(filters);
    expect(store.mistakes.value.map((m) => m.index)).toEqual([4]);
    expect(store.testCount.value).toBe(500);
    store.showEpoch(0);
    expect(store.shownEpoch.value).toBe(0);
  });

  it('shows the answer to the latest image asked for, and says which test image it is', async () => {
    const worker = fakeWorker();
    const store = new InsideStore(worker.events, worker.requests);
    store.open([], 500);
    expect(worker.inspects[0]!.source).toEqual({ kind: 'test', index: 0 });
    expect(store.loading.value).toBe(true);
    store.showTest(3);
    expect(store.testIndex.value).toBe(3);
    await worker.inspects[1]!.answer(outputs(0, 0));
    await worker.inspects[0]!.answer(outputs(7, 7)); // late: image 0 was asked for before image 3
    expect(store.outputs.value?.testIndex).toBe(3);
    expect(store.outputs.value?.answer.label).toBe(0);
    expect(store.loading.value).toBe(false);

    const drawing = new Uint8Array(784).fill(9);
    store.showPixels(drawing);
    expect(worker.inspects[2]!.source).toEqual({ kind: 'pixels', pixels: drawing });
    await worker.inspects[2]!.answer(outputs(undefined, 1));
    expect(store.outputs.value?.testIndex).toBeUndefined();

    // A failed request ends the wait; the last answer stays.
    store.showTest(5);
    await worker.inspects[3]!.fail();
    expect(store.loading.value).toBe(false);
    expect(store.outputs.value?.answer.probabilities.indexOf(0.9)).toBe(1);
  });

  it('forgets the pictures of a reset model, and a late answer about it', async () => {
    const worker = fakeWorker();
    const store = new InsideStore(worker.events, worker.requests);
    worker.sendHistograms(histograms(1));
    store.open([], 10);
    await worker.models[0]!({ histograms: histograms(1), filters });
    store.showEpoch(0);
    store.reset();
    expect(store.histograms.value).toEqual([]);
    expect(store.shownEpoch.value).toBeUndefined();
    expect(store.filters.value).toBeUndefined();
    expect(store.loading.value).toBe(false);
    await worker.inspects[0]!.answer(outputs(7, 7));
    expect(store.outputs.value).toBeUndefined();
  });
});
