// The data tab: which dataset, a grid of its training images with their labels, a live preview of
// the training's own data augmentation (the engine's Augmenter on a few of them; its controls edit
// the training form's settings), and the student's own IDX files (checked by the engine, then
// trainable as dataset 'custom'). DataPanel holds the state (signals) and talks to the worker;
// DataTab draws it.
import { signal } from '@preact/signals';
import * as Comlink from 'comlink';
import type { AugmentConfig } from '../../engine/types';
import { t, tf, type MessageKey } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import type { DataManifest } from '../../ui/datasets-panel';
import { DigitCanvas, IMAGE_BYTES } from '../../ui/digit-canvas';
import type { EngineClient } from '../../worker/engine-client';
import type { AugmentPreviewAnswer, CustomDatasetAnswer, CustomDatasetFiles, DatasetName, DatasetSamplesAnswer, EngineError } from '../../worker/protocol';
import { AUGMENT_FIELDS, type AugmentField } from '../train/config-store';
import { className } from './class-names';
import { engineErrorSentence } from '../../i18n/engine-error';

/** Images in the sample grid and in the augmentation preview. */
export const GRID_IMAGES = 40;
export const PREVIEW_IMAGES = 8;

/** The training's augmentation, which the preview shows and its controls edit (the training form's store: ConfigStore). */
export interface AugmentationSetting {
  augmentation(): { on: boolean; config: AugmentConfig } | undefined;
  augmentText(field: AugmentField): string;
  setAugmentation(field: AugmentField, text: string): void;
  onChange(listener: () => void): void;
}

const UPLOADS = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
type UploadSlot = (typeof UPLOADS)[number];

type UploadState = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; train: number; test: number } | { state: 'failed'; error: EngineError };

export class DataPanel {
  readonly dataset = signal<DatasetName>('mnist');
  readonly available = signal<DatasetName[]>(['mnist']);
  readonly samples = signal<DatasetSamplesAnswer | undefined>(undefined);
  readonly preview = signal<AugmentPreviewAnswer | undefined>(undefined);
  /** The augmentation settings the shown (or asked-for) preview uses. */
  readonly previewed = signal<{ on: boolean; config: AugmentConfig } | undefined>(undefined);
  readonly seed = signal(1);
  readonly upload = signal<UploadState>({ state: 'idle' });
  private readonly files = new Map<UploadSlot, File>();
  private ready = false;

  constructor(
    private readonly engine: EngineClient,
    readonly training: AugmentationSetting,
  ) {
    // A changed strength in the training form (or here) rolls the preview again with it.
    training.onChange(() => {
      if (JSON.stringify(training.augmentation()) !== JSON.stringify(this.previewed.peek())) this.requestPreview();
    });
  }

  /** Datasets that `npm run data` prepared become choosable. */
  setManifest(manifest: DataManifest | undefined): void {
    const prepared = (manifest?.datasets ?? []).filter((d) => d.available).map((d) => d.id);
    const uploaded = this.upload.peek().state === 'ready';
    this.available.value = (['mnist', 'fashion-mnist', 'custom'] as const).filter((name) => name === 'mnist' || prepared.includes(name) || (name === 'custom' && uploaded));
  }

  /** The engine is ready: show the default dataset. */
  start(): void {
    this.ready = true;
    this.choose(this.dataset.peek(), true);
  }

  choose(dataset: DatasetName, force = false): void {
    if (dataset === this.dataset.peek() && !force) return;
    this.dataset.value = dataset;
    this.samples.value = undefined;
    if (this.ready) {
      // A failure is shown by the training screen (the worker sends it as an error event too).
      this.engine.api.samples(dataset, GRID_IMAGES).then(
        (samples) => samples.dataset === this.dataset.peek() && (this.samples.value = samples), // else another dataset was chosen meanwhile
        () => undefined,
      );
    }
    this.requestPreview();
  }

  reroll(): void {
    this.seed.value++;
    this.requestPreview();
  }

  chooseFile(slot: UploadSlot, file: File | undefined): void {
    if (file) this.files.set(slot, file);
    else this.files.delete(slot);
  }

  private requestPreview(): void {
    const augmentation = this.training.augmentation();
    this.previewed.value = augmentation;
    this.preview.value = undefined;
    if (!this.ready || !augmentation) return;
    const [dataset, seed] = [this.dataset.peek(), this.seed.peek()];
    this.engine.api.augmentPreview(dataset, PREVIEW_IMAGES, { ...augmentation.config }, seed).then(
      (preview) => {
        // Else the dataset, the roll or the settings changed since.
        if (dataset === this.dataset.peek() && seed === this.seed.peek() && augmentation === this.previewed.peek()) this.preview.value = preview;
      },
      () => undefined,
    );
  }

  async sendUpload(): Promise<void> {
    const missing = UPLOADS.filter((slot) => !this.files.has(slot));
    if (missing.length > 0) {
      const names = missing.map((slot) => t(`data.upload.${slot}` as MessageKey)).join(', ');
      this.upload.value = { state: 'failed', error: { code: 'dataset', message: tf('data.upload.missing', { files: names }) } };
      return;
    }
    this.upload.value = { state: 'loading' };
    const read = async (slot: UploadSlot) => {
      const file = this.files.get(slot)!;
      return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
    };
    const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(UPLOADS.map(read));
    const files: CustomDatasetFiles = { trainImages: trainImages!, trainLabels: trainLabels!, testImages: testImages!, testLabels: testLabels! };
    const answer = await this.engine.api
      .loadCustomDataset(Comlink.transfer(files, UPLOADS.map((slot) => files[slot].bytes.buffer)))
      .catch((error: EngineError): CustomDatasetAnswer => ({ train: 0, test: 0, error }));
    if (answer.error) {
      this.upload.value = { state: 'failed', error: answer.error };
      return;
    }
    this.upload.value = { state: 'ready', train: answer.train, test: answer.test };
    if (!this.available.peek().includes('custom')) this.available.value = [...this.available.peek(), 'custom'];
    this.choose('custom', true);
  }
}

export function DataTab({ panel }: { panel: DataPanel }) {
  void pageLocale.value;
  return (
    <section class="card data-panel" data-testid="data-panel" aria-labelledby="data-title">
      <h2 id="data-title">{t('data.title')}</h2>
      <label class="field" for="data-dataset">
        <span>{t('data.dataset')}</span>
        <select id="data-dataset" data-testid="data-dataset" value={panel.dataset.value} onChange={(event) => panel.choose(event.currentTarget.value as DatasetName)}>
          {panel.available.value.map((name) => (
            <option key={name} value={name}>
              {t(`data.dataset.${name}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <SampleGrid panel={panel} />
      <AugmentPreview panel={panel} />
      <Upload panel={panel} />
    </section>
  );
}

function SampleGrid({ panel }: { panel: DataPanel }) {
  void pageLocale.value;
  const samples = panel.samples.value;
  return (
    <div>
      <h3>{t('data.samples.title')}</h3>
      {samples && <p class="muted">{tf('data.samples.caption', { count: samples.labels.length })}</p>}
      <div class="sample-grid" data-testid="sample-grid" data-state={samples ? 'ready' : 'loading'} data-dataset={panel.dataset.value}>
        {samples?.labels.map((label, i) => {
          const name = className(samples.dataset, label);
          return (
            <figure key={i} data-label={label}>
              <DigitCanvas pixels={samples.pixels} offset={i * IMAGE_BYTES} title={name} />
              <figcaption>{name}</figcaption>
            </figure>
          );
        })}
      </div>
      {!samples && <p class="muted">{t('data.loading')}</p>}
    </div>
  );
}

function AugmentPreview({ panel }: { panel: DataPanel }) {
  void pageLocale.value;
  const preview = panel.preview.value;
  const previewed = panel.previewed.value;
  const on = previewed?.on ?? false;
  const row = (pixels: Uint8Array, kind: string) => (
    <div class="gallery" data-kind={kind}>
      {preview!.labels.map((_, i) => (
        <DigitCanvas key={i} pixels={pixels} offset={i * IMAGE_BYTES} />
      ))}
    </div>
  );
  return (
    <div>
      <h3>{t('data.augment.title')}</h3>
      <p class="muted">{t('data.augment.intro')}</p>
      <p class="muted" data-testid="augment-training" data-on={String(on)}>
        {t(on ? 'data.augment.trainingOn' : 'data.augment.trainingOff')}
      </p>
      <div class="augment-controls">
        {AUGMENT_FIELDS.map((field) => (
          <label key={field} class="field" for={`augment-${field}`}>
            <span>{t(`data.augment.${field}` as MessageKey)}</span>
            <input
              id={`augment-${field}`}
              data-testid={`augment-${field}`}
              type="number"
              step={field === 'max_zoom' ? 0.05 : 1}
              min={0}
              value={panel.training.augmentText(field)}
              onChange={(event) => panel.training.setAugmentation(field, event.currentTarget.value)}
            />
          </label>
        ))}
        <button type="button" data-testid="augment-reroll" onClick={() => panel.reroll()}>
          {t('data.augment.reroll')}
        </button>
      </div>
      <div
        class="augment-preview"
        data-testid="augment-preview"
        data-state={preview ? (preview.error ? 'error' : 'ready') : 'loading'}
        data-seed={panel.seed.value}
        data-augment={preview ? JSON.stringify(previewed?.config) : undefined}
      >
        {preview?.error && (
          <p class="error" data-testid="augment-error" role="alert">
            {preview.error.message}
          </p>
        )}
        {preview && !preview.error && (
          <>
            <p class="muted">{t('data.augment.originals')}</p>
            {row(preview.originals, 'originals')}
            <p class="muted">{t('data.augment.augmented')}</p>
            {row(preview.augmented, 'augmented')}
          </>
        )}
      </div>
    </div>
  );
}

function Upload({ panel }: { panel: DataPanel }) {
  void pageLocale.value;
  const upload = panel.upload.value;
  return (
    <div class="upload">
      <h3>{t('data.upload.title')}</h3>
      <p class="muted">{t('data.upload.intro')}</p>
      <div class="upload-files">
        {UPLOADS.map((slot) => (
          <label key={slot} class="field" for={`upload-${slot}`}>
            <span>{t(`data.upload.${slot}` as MessageKey)}</span>
            <input
              id={`upload-${slot}`}
              type="file"
              data-testid={`upload-${slot}`}
              accept=".gz,.idx,.idx1-ubyte,.idx3-ubyte,application/gzip,application/octet-stream"
              onChange={(event) => panel.chooseFile(slot, event.currentTarget.files?.[0])}
            />
          </label>
        ))}
      </div>
      <button type="button" data-testid="upload-load" disabled={upload.state === 'loading'} onClick={() => void panel.sendUpload()}>
        {t('data.upload.load')}
      </button>
      {upload.state === 'ready' && (
        <p class="ok" data-testid="upload-status" data-state="ready">
          {tf('data.upload.ready', { train: upload.train, test: upload.test })}
        </p>
      )}
      {upload.state === 'loading' && (
        <p class="muted" data-testid="upload-status" data-state="loading">
          {t('data.upload.loading')}
        </p>
      )}
      {upload.state === 'failed' && (
        <div class="error" data-testid="data-error" role="alert">
          <strong>{`${t('data.upload.failed')}: ${engineErrorSentence(upload.error)}`}</strong>
          <pre>{upload.error.message}</pre>
        </div>
      )}
    </div>
  );
}
