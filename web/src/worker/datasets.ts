// Fetches a dataset's gzipped IDX files from `${assetBase}data/<name>/`, gunzips them in the
// worker and hands them to the engine once. The image sets stay loaded for the worker's life.
import type { DataConfig, ImageSet, ProfundoModule } from '../engine/types';
import { describedError, type CustomDatasetFiles, type DatasetName, type UploadedFile } from './protocol';

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
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (err) {
    // The browser's own words ("Failed to fetch") name neither the file nor a way out.
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot download ${url} (${reason}): check the network connection and press Train again`);
  }
  if (!response.ok || !response.body) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Some servers (Vite's dev server among them) send .gz files with Content-Encoding: gzip, and
  // the browser has already decompressed them: no gzip magic number, nothing left to do.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * An uploaded dataset may be smaller than the dev set asked for (the presets hold out 5,000 of
 * MNIST's 60,000 training images): then it keeps the same fraction, 1/12, instead of failing.
 */
export function fitDevSize(data: DataConfig, trainCount: number): DataConfig {
  return { ...structuredClone(data), dev_size: data.dev_size < trainCount ? data.dev_size : Math.floor(trainCount / 12) };
}

/** Training images kept per dataset for the sample grid and the augmentation preview. */
export const SAMPLE_IMAGES = 40;

/** The first SAMPLE_IMAGES training images of a dataset (SAMPLE_IMAGES × 784 bytes) and their labels. */
export interface DatasetSamples {
  classes: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** The first `count` images and labels of idx3/idx1 bytes the engine has already accepted (28 × 28). */
export function firstSamples(images: Uint8Array, labels: Uint8Array, count: number, classes: number): DatasetSamples {
  const n = Math.max(0, Math.min(count, labels.length - 8, Math.floor((images.length - 16) / IMAGE_BYTES)));
  return { classes, pixels: images.slice(16, 16 + n * IMAGE_BYTES), labels: labels.slice(8, 8 + n) };
}

/** gzip's magic number (RFC 1952): 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A file's bytes, gunzipped when they are gzip; a broken gzip file is named in the error. */
export async function gunzipIfNeeded(file: UploadedFile): Promise<Uint8Array> {
  if (!isGzip(file.bytes)) return file.bytes;
  try {
    const stream = new Blob([file.bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    // The platform's own words here are "Failed to fetch", which names neither the file nor the problem.
    throw describedError(`${file.name}: the file starts like gzip (1f 8b) but cannot be decompressed: its data is damaged or cut short (expected a complete .gz file, or the uncompressed IDX file)`, {
      subject: file.name,
      problem: { kind: 'damaged-gzip', file: file.name },
    });
  }
}

/** IDX magic numbers (two zero bytes, 0x08 = unsigned bytes, the rank) of the two kinds of file a dataset needs. */
export const IDX_MAGIC = { images: 0x00000803, labels: 0x00000801 } as const;
const hex8 = (value: number) => `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;

/**
 * Refuses an upload whose magic number is not its slot's before the engine reads it: a wrong rank
 * byte would otherwise be read as a header of another shape and reported as a size mismatch.
 * Files too short for a magic number are left to the engine, which says so.
 */
export function checkIdxMagic(file: { name: string; bytes: Uint8Array }, kind: keyof typeof IDX_MAGIC): void {
  const { bytes } = file;
  if (bytes.length < 4) return;
  const found = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const expected = IDX_MAGIC[kind];
  if (found === expected) return;
  const gzip = isGzip(bytes) ? ' (a gzip file that was not decompressed?)' : '';
  throw describedError(`${file.name}: not an IDX ${kind} file: the magic number is ${hex8(found)}, expected ${hex8(expected)} (unsigned bytes, ${kind === 'images' ? '3 dimensions: count, rows, columns' : '1 dimension: count'})${gzip}`, {
    subject: file.name,
    problem: { kind: 'idx-magic', file: file.name, contents: kind, expected: hex8(expected), found: hex8(found) },
  });
}

export class DatasetCache {
  private readonly loading = new Map<DatasetName, Promise<LoadedDataset>>();
  private readonly samples = new Map<DatasetName, DatasetSamples>();

  constructor(
    private readonly engine: ProfundoModule,
    private readonly assetBase: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Loads once; concurrent callers share the same promise. A failed load can be retried. */
  get(name: DatasetName): Promise<LoadedDataset> {
    if (name === 'custom') {
      return this.loading.get(name) ?? Promise.reject(new Error('no dataset of your own yet: choose its four IDX files in the Data panel first'));
    }
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
      this.samples.set(name, firstSamples(trainImages!, trainLabels!, SAMPLE_IMAGES, train.classes));
      return { name, train, test, testPixels: testImages!.subarray(16), testLabels: testLabels!.subarray(8) };
    } catch (err) {
      train.delete();
      throw err;
    }
  }

  /** The first training images of a dataset (loading it when needed). */
  async samplesOf(name: DatasetName): Promise<DatasetSamples> {
    await this.get(name);
    return this.samples.get(name)!;
  }

  /**
   * The student's files become dataset 'custom' once the engine accepts all four (it names the
   * file and the field when it does not). A previous upload stays until then.
   */
  async setCustom(files: CustomDatasetFiles): Promise<LoadedDataset> {
    const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
      [files.trainImages, files.trainLabels, files.testImages, files.testLabels].map(gunzipIfNeeded),
    );
    const file = (upload: UploadedFile, bytes: Uint8Array) => ({ name: upload.name, bytes });
    checkIdxMagic(file(files.trainImages, trainImages!), 'images');
    checkIdxMagic(file(files.trainLabels, trainLabels!), 'labels');
    checkIdxMagic(file(files.testImages, testImages!), 'images');
    checkIdxMagic(file(files.testLabels, testLabels!), 'labels');
    const train = this.engine.loadIdxFiles(file(files.trainImages, trainImages!), file(files.trainLabels, trainLabels!), 'custom-train', 28, 28);
    let test;
    try {
      test = this.engine.loadIdxFiles(file(files.testImages, testImages!), file(files.testLabels, testLabels!), 'custom-test', 28, 28);
    } catch (err) {
      train.delete();
      throw err;
    }
    // A session still training on the previous upload keeps its own reference to the engine's sets.
    const previous = this.loading.get('custom');
    if (previous) void previous.then((old) => (old.train.delete(), old.test.delete()));
    const loaded: LoadedDataset = { name: 'custom', train, test, testPixels: testImages!.subarray(16), testLabels: testLabels!.subarray(8) };
    this.samples.set('custom', firstSamples(trainImages!, trainLabels!, SAMPLE_IMAGES, train.classes));
    this.loading.set('custom', Promise.resolve(loaded));
    return loaded;
  }
}
