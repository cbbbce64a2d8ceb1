// "Inside the network" and the data panel, without the engine: pictures from numbers, class
// names, IDX/gzip handling of uploads, and the worker's answers with a fake engine module.
import { describe, expect, it } from 'vitest';
import type { ConvFilters, Histogram, IdxFile, InspectModule, LayerOutput, ParameterHistograms } from '../../../web/src/engine/inspect-types';
import type { AugmentConfig, ClassifierSession, ImageSet, ProfundoModule } from '../../../web/src/engine/types';
import { t } from '../../../web/src/i18n';
import { className, classNameKey, datasetText } from '../../../web/src/screens/data/class-names';
import { binEdge, histogramBars, mapLayout, symmetricRange, toGrayRgba, valueRange } from '../../../web/src/screens/inside/maps';
import { DatasetCache, firstSamples, fitDevSize, gunzipIfNeeded, isGzip, type LoadedDataset } from '../../../web/src/worker/datasets';
import { augmentPreview, convFilters, datasetSamples, histogramsEvent, HISTOGRAM_BINS, inspectedImage, layerOutputs } from '../../../web/src/worker/inspect';
import type { CustomDatasetFiles } from '../../../web/src/worker/protocol';

const gzip = async (bytes: Uint8Array) =>
  new Uint8Array(await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());

function fakeImageSet(count: number): ImageSet & { deleted: boolean } {
  const set = { name: 'set', count, height: 28, width: 28, classes: 10, deleted: false, delete: () => void (set.deleted = true), isDeleted: () => set.deleted };
  return set;
}

/** idx3 bytes of `count` 28×28 images, image i filled with i; idx1 labels i % 10. */
function idx(count: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(16 + count * 784);
  images.set([0, 0, 8, 3, 0, 0, 0, count, 0, 0, 0, 28, 0, 0, 0, 28]);
  for (let i = 0; i < count; i++) images.fill(i, 16 + i * 784, 16 + (i + 1) * 784);
  const labels = new Uint8Array(8 + count);
  labels.set([0, 0, 8, 1, 0, 0, 0, count]);
  for (let i = 0; i < count; i++) labels[8 + i] = i % 10;
  return { images, labels };
}

describe('maps: numbers to pictures', () => {
  it('finds the finite range and a symmetric one', () => {
    expect(valueRange([3, -1, NaN, 2, Infinity])).toEqual({ low: -1, high: 3 });
    expect(valueRange([5, 1, 9, 7], 1, 2)).toEqual({ low: 1, high: 9 });
    expect(valueRange([NaN])).toEqual({ low: 0, high: 0 });
    expect(symmetricRange([-0.2, 0.5, 0.1])).toEqual({ low: -0.5, high: 0.5 });
  });

  it('maps low to black and high to white, NaN to red, and a flat range to black', () => {
    const rgba = toGrayRgba([0, 0.5, 1, NaN], 0, 4, { low: 0, high: 1 });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 0, 0, 255]);
    expect(Array.from(toGrayRgba([9, 2, 2], 1, 2, { low: 2, high: 2 }))).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('lays out [C, H, W] as C maps and anything else as one strip', () => {
    expect(mapLayout([8, 24, 24])).toEqual({ maps: 8, height: 24, width: 24 });
    expect(mapLayout([10])).toEqual({ maps: 1, height: 1, width: 10 });
    expect(mapLayout([2, 5])).toEqual({ maps: 1, height: 1, width: 10 });
  });

  it('draws histogram bars with the fullest bin at full height', () => {
    const histogram: Histogram = { low: -1, high: 1, counts: [1, 4, 2, 0], finite: 7, non_finite: 0 };
    expect(histogramBars(histogram, 100, 40)).toEqual([
      { x: 0, width: 25, height: 10 },
      { x: 25, width: 25, height: 40 },
      { x: 50, width: 25, height: 20 },
      { x: 75, width: 25, height: 0 },
    ]);
    expect(binEdge(histogram, 1)).toBe(-0.5);
    expect(histogramBars({ ...histogram, counts: [0, 0] }, 10, 10).map((b) => b.height)).toEqual([0, 0]);
  });
});

describe('class names', () => {
  it('are the digits for MNIST and uploads, and translated clothing for Fashion-MNIST', () => {
    expect(className('mnist', 7)).toBe('7');
    expect(className('custom', 3)).toBe('3');
    expect(className('fashion-mnist', 0)).toBe('T-shirt/top');
    expect(className('fashion-mnist', 9)).toBe('Ankle boot');
    expect(t(classNameKey('fashion-mnist', 7)!, 'es')).toBe('Zapatilla');
    expect(className('fashion-mnist', 12)).toBe('12');
    for (let label = 0; label < 10; label++) expect(t(classNameKey('fashion-mnist', label)!, 'es')).not.toBe(t(classNameKey('fashion-mnist', label)!, 'en'));
  });

  it('the words around them follow the dataset: a digit for MNIST and uploads, clothing for Fashion-MNIST', () => {
    expect(datasetText('draw.title', 'mnist')).toBe('Draw a digit');
    expect(datasetText('draw.title', 'custom')).toBe('Draw a digit');
    expect(datasetText('draw.title', 'fashion-mnist')).toBe('Draw a piece of clothing');
    expect(datasetText('results.confusion.caption', 'fashion-mnist')).not.toMatch(/digit/);
    expect(datasetText('draw.hint', 'fashion-mnist')).not.toMatch(/digit/);
  });
});

describe('uploaded IDX files', () => {
  it('keep the presets\' dev fraction (1/12) when they are smaller than MNIST', () => {
    const data = { dev_size: 5000, normalization: 'scale', augment: { max_shift: 0, max_rotation: 0, max_zoom: 0, elastic_alpha: 0, elastic_sigma: 4 } };
    expect(fitDevSize(data, 60000).dev_size).toBe(5000);
    expect(fitDevSize(data, 2000).dev_size).toBe(166);
    expect(fitDevSize({ ...data, dev_size: 100 }, 2000).dev_size).toBe(100);
    expect(data.dev_size).toBe(5000);
  });

  it('keeps the first samples after the IDX headers', () => {
    const { images, labels } = idx(5);
    const samples = firstSamples(images, labels, 3, 10);
    expect(Array.from(samples.labels)).toEqual([0, 1, 2]);
    expect(samples.pixels.length).toBe(3 * 784);
    expect(samples.pixels[2 * 784]).toBe(2);
    expect(firstSamples(images, labels, 40, 10).labels.length).toBe(5);
  });

  it('gunzips gzip files, leaves raw ones, and names a broken gzip file', async () => {
    const raw = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]);
    expect(isGzip(raw)).toBe(false);
    const packed = await gzip(raw);
    expect(isGzip(packed)).toBe(true);
    expect(Array.from(await gunzipIfNeeded({ name: 'a.gz', bytes: packed }))).toEqual(Array.from(raw));
    expect(await gunzipIfNeeded({ name: 'a.idx', bytes: raw })).toBe(raw);
    await expect(gunzipIfNeeded({ name: 'broken.gz', bytes: packed.slice(0, 12) })).rejects.toThrow(/^broken\.gz: the file starts like gzip \(1f 8b\) but cannot be decompressed/);
  });

  it('become dataset custom once the engine accepts all four, replacing the previous upload', async () => {
    const calls: { images: IdxFile; labels: IdxFile; name: string }[] = [];
    const made: ReturnType<typeof fakeImageSet>[] = [];
    const engine = {
      loadIdxFiles: (images: IdxFile, labels: IdxFile, name: string) => {
        calls.push({ images, labels, name });
        if (labels.name === 'bad-labels') throw new Error('bad-labels: holds 4 labels but test-images holds 5 images');
        const set = fakeImageSet(labels.bytes.length - 8);
        made.push(set);
        return set;
      },
    } as unknown as ProfundoModule;
    const cache = new DatasetCache(engine, 'https://lab.example/');
    await expect(cache.get('custom')).rejects.toThrow(/no dataset of your own yet/);

    const train = idx(6);
    const test = idx(5);
    const files = async (testLabelsName = 'test-labels'): Promise<CustomDatasetFiles> => ({
      trainImages: { name: 'train-images.gz', bytes: await gzip(train.images) },
      trainLabels: { name: 'train-labels', bytes: train.labels },
      testImages: { name: 'test-images', bytes: test.images },
      testLabels: { name: testLabelsName, bytes: test.labels },
    });
    const loaded = await cache.setCustom(await files());
    expect(calls.map((c) => [c.images.name, c.labels.name, c.name])).toEqual([
      ['train-images.gz', 'train-labels', 'custom-train'],
      ['test-images', 'test-labels', 'custom-test'],
    ]);
    expect(Array.from(calls[0]!.images.bytes)).toEqual(Array.from(train.images)); // gunzipped for the engine
    expect(loaded.train.count).toBe(6);
    expect(loaded.testLabels.length).toBe(5);
    expect(await cache.get('custom')).toBe(loaded);
    expect(Array.from((await cache.samplesOf('custom')).labels)).toEqual([0, 1, 2, 3, 4, 5]);

    // A failed upload frees what it made and keeps the previous one.
    await expect(cache.setCustom(await files('bad-labels'))).rejects.toThrow('bad-labels: holds 4 labels');
    expect(made[2]!.deleted).toBe(true);
    expect(await cache.get('custom')).toBe(loaded);

    const again = await cache.setCustom(await files());
    await Promise.resolve();
    expect(await cache.get('custom')).toBe(again);
    expect(made[0]!.deleted && made[1]!.deleted).toBe(true);
  });
});

describe('the worker side of inside the network', () => {
  const session = { predictPixels: () => [0.1, 0.9] } as unknown as ClassifierSession;
  const data = (): LoadedDataset => {
    const { images, labels } = idx(3);
    return { name: 'mnist', train: fakeImageSet(3), test: fakeImageSet(3), testPixels: images.subarray(16), testLabels: labels.subarray(8) };
  };
  const histogram: Histogram = { low: 0, high: 1, counts: [1], finite: 1, non_finite: 0 };
  const seen: { pixels?: Uint8Array; bins?: number; config?: AugmentConfig; seed?: number } = {};
  // Every member of InspectModule, so the declared types cannot drift from the bindings unnoticed.
  const inspect: InspectModule = {
    layerOutputs: (_s, pixels): LayerOutput[] => {
      seen.pixels = pixels;
      return [{ layer: 0, kind: 'conv2d', shape: [2, 1, 1], values: Float32Array.of(1, 2) }];
    },
    parameterHistograms: (_s, bins): ParameterHistograms[] => {
      seen.bins = bins;
      return [{ layer: 0, layer_kind: 'conv2d', name: 'W', shape: [2, 1, 1, 1], values: histogram, gradients: histogram }];
    },
    convFilters: (): ConvFilters[] => [{ layer: 0, shape: [2, 1, 1, 1], weights: Float32Array.of(0.5, -0.5) }],
    augmentPreview: (images, count, channels, height, width, config, seed) => {
      seen.config = config;
      seen.seed = seed;
      if (config.max_zoom >= 1) throw new Error('augmentation: max_zoom must be below 1 (the scale is 1 +- max_zoom), got 1.5');
      expect([count, channels, height, width]).toEqual([2, 1, 28, 28]);
      return images.map((v) => 255 - v);
    },
    loadIdxFiles: () => fakeImageSet(1),
  };
  const engine = inspect as unknown as ProfundoModule;

  it('inspects a test image with its label, or given pixels, and refuses a bad index', () => {
    const { answer, transfer } = layerOutputs(engine, session, data(), { kind: 'test', index: 2 });
    expect(answer).toMatchObject({ label: 2, probabilities: [0.1, 0.9] });
    expect(answer.pixels.length).toBe(784);
    expect(seen.pixels![0]).toBe(2);
    expect(transfer).toHaveLength(2);
    const drawn = new Uint8Array(784).fill(9);
    expect(layerOutputs(engine, session, data(), { kind: 'pixels', pixels: drawn }).answer.label).toBeUndefined();
    expect(() => inspectedImage({ kind: 'test', index: 3 }, data())).toThrow('inspect: test image 3 does not exist (0 to 2)');
    expect(() => inspectedImage({ kind: 'pixels', pixels: new Uint8Array(10) }, data())).toThrow('expected 784 pixels, got 10');
  });

  it('posts histograms with the epoch and the filters with their buffers', () => {
    expect(histogramsEvent(engine, session, 3)).toMatchObject({ type: 'histograms', epoch: 3, parameters: [{ name: 'W' }] });
    expect(seen.bins).toBe(HISTOGRAM_BINS);
    const { filters, transfer } = convFilters(engine, session);
    expect(filters[0]!.shape).toEqual([2, 1, 1, 1]);
    expect(transfer).toEqual([filters[0]!.weights.buffer]);
  });

  it('gives samples and an augmentation preview, or the engine\'s refusal of the settings', () => {
    const { images, labels } = idx(4);
    const samples = firstSamples(images, labels, 4, 10);
    const grid = datasetSamples('mnist', samples, 3);
    expect(grid.labels).toEqual([0, 1, 2]);
    expect(grid.pixels.length).toBe(3 * 784);
    const config: AugmentConfig = { max_shift: 1, max_rotation: 10, max_zoom: 0.1, elastic_alpha: 0, elastic_sigma: 4 };
    const preview = augmentPreview(engine, 'mnist', samples, 2, config, 5);
    expect(preview.error).toBeUndefined();
    expect(seen.seed).toBe(5);
    expect(preview.originals[784]).toBe(1);
    expect(preview.augmented[784]).toBe(254);
    const refused = augmentPreview(engine, 'mnist', samples, 2, { ...config, max_zoom: 1.5 }, 5);
    expect(refused.error).toEqual({ code: 'engine', message: expect.stringContaining('max_zoom must be below 1') });
  });
});
