// Fetches a dataset's gzipped IDX files from `${assetBase}data/<name>/`, gunzips them in the
// worker and hands them to the engine once. The image sets stay loaded for the worker's life.
import type { ImageSet, ProfundoModule } from '../engine/types';
import type { DatasetName } from './protocol';

export interface LoadedDataset {
  name: DatasetName;
  train: ImageSet;
  test: ImageSet;
  /** The test images' pixels (count × 784 bytes, the IDX file without its 16-byte header), for the results panel. */
  testPixels: Uint8Array;
  /** The test labels (the IDX file without its 8-byte header). */
  testLabels: Uint8Array;
}

/** Bytes in one image of these datasets (28 × 28, one channel). */
export const IMAGE_BYTES = 28 * 28;

export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** The bytes of a gzipped file, decompressed with the platform's DecompressionStream. */
export async function fetchGunzipped(url: string, fetchImpl: typeof fetch = fetch): Promise<Uint8Array> {
  const response = await fetchImpl(url);
  if (!response.ok || !response.body) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class DatasetCache {
  private readonly loading = new Map<DatasetName, Promise<LoadedDataset>>();

  constructor(
    private readonly engine: ProfundoModule,
    private readonly assetBase: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Loads once; concurrent callers share the same promise. A failed load can be retried. */
  get(name: DatasetName): Promise<LoadedDataset> {
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.load(name);
      this.loading.set(name, pending);
      pending.catch(() => this.loading.delete(name));
    }
    return pending;
  }

  private async load(name: DatasetName): Promise<LoadedDataset> {
    const base = new URL(`data/${name}/`, this.assetBase);
    const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
      [IDX_FILES.trainImages, IDX_FILES.trainLabels, IDX_FILES.testImages, IDX_FILES.testLabels].map((file) =>
        fetchGunzipped(new URL(file, base).href, this.fetchImpl),
      ),
    );
    const train = this.engine.loadImageSet(trainImages!, trainLabels!, `${name}-train`, 28, 28);
    try {
      const test = this.engine.loadImageSet(testImages!, testLabels!, `${name}-test`, 28, 28);
      return { name, train, test, testPixels: testImages!.subarray(16), testLabels: testLabels!.subarray(8) };
    } catch (err) {
      train.delete();
      throw err;
    }
  }
}
