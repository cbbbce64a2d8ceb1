// The data panel: which dataset, a grid of its training images with their labels, a live preview
// of the training's own data augmentation (the engine's Augmenter on a few of them; its controls
// edit the training form's settings), and the student's own IDX files (checked by the engine, then
// trainable as dataset 'custom').
import * as Comlink from 'comlink';
import type { AugmentConfig } from '../../engine/types';
import { t, tf, type MessageKey } from '../../i18n';
import type { DataManifest } from '../../ui/datasets-panel';
import { h } from '../../ui/dom';
import type { EngineClient } from '../../worker/engine-client';
import type { AugmentPreviewAnswer, CustomDatasetAnswer, CustomDatasetFiles, DatasetName, DatasetSamplesAnswer, EngineError } from '../../worker/protocol';
import { digitCanvas } from '../../ui/digit-canvas';
import { AUGMENT_FIELDS, type AugmentField } from '../train/config-panel';
import { className } from './class-names';

/** Images in the sample grid and in the augmentation preview. */
export const GRID_IMAGES = 40;
export const PREVIEW_IMAGES = 8;

/** The training's augmentation, which the preview shows and its controls edit (the training form: ConfigPanel). */
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
  readonly element: HTMLElement;
  private dataset: DatasetName = 'mnist';
  private available: DatasetName[] = ['mnist'];
  private samples: DatasetSamplesAnswer | undefined;
  private preview: AugmentPreviewAnswer | undefined;
  /** The augmentation the shown (or asked-for) preview used. */
  private previewed: string | undefined;
  private previewedConfig: AugmentConfig | undefined;
  private seed = 1;
  private upload: UploadState = { state: 'idle' };
  private readonly files = new Map<UploadSlot, File>();
  /** Built once, so the chosen files stay shown across re-renders. */
  private readonly fileInputs: Record<UploadSlot, HTMLInputElement>;
  private ready = false;

  constructor(
    private readonly engine: EngineClient,
    private readonly training: AugmentationSetting,
  ) {
    // A changed strength in the training form (or here) rolls the preview again with it.
    training.onChange(() => {
      if (JSON.stringify(training.augmentation()) !== this.previewed) this.requestPreview();
    });
    this.element = h('section', { class: 'card data-panel', 'data-testid': 'data-panel', 'aria-labelledby': 'data-title' });
    this.fileInputs = Object.fromEntries(
      UPLOADS.map((slot) => {
        const input = h('input', { id: `upload-${slot}`, type: 'file', 'data-testid': `upload-${slot}`, accept: '.gz,.idx,.idx1-ubyte,.idx3-ubyte,application/gzip,application/octet-stream' });
        input.addEventListener('change', () => {
          const file = input.files?.[0];
          if (file) this.files.set(slot, file);
          else this.files.delete(slot);
        });
        return [slot, input];
      }),
    ) as Record<UploadSlot, HTMLInputElement>;
    this.render();
  }

  private showSamples(samples: DatasetSamplesAnswer): void {
    if (samples.dataset !== this.dataset) return; // another dataset was chosen meanwhile
    this.samples = samples;
    this.render();
  }

  private showPreview(preview: AugmentPreviewAnswer): void {
    if (preview.dataset !== this.dataset || preview.seed !== this.seed) return;
    this.preview = preview;
    this.render();
  }

  private uploaded(answer: CustomDatasetAnswer): void {
    if (answer.error) {
      this.upload = { state: 'failed', error: answer.error };
      this.render();
      return;
    }
    this.upload = { state: 'ready', train: answer.train, test: answer.test };
    if (!this.available.includes('custom')) this.available.push('custom');
    this.choose('custom', true);
  }

  /** Datasets that `npm run data` prepared become choosable. */
  setManifest(manifest: DataManifest | undefined): void {
    const prepared = (manifest?.datasets ?? []).filter((d) => d.available).map((d) => d.id);
    this.available = (['mnist', 'fashion-mnist', 'custom'] as const).filter((name) => name === 'mnist' || prepared.includes(name) || (name === 'custom' && this.upload.state === 'ready'));
    this.render();
  }

  /** The engine is ready: show the default dataset. */
  start(): void {
    this.ready = true;
    this.choose(this.dataset, true);
  }

  private choose(dataset: DatasetName, force = false): void {
    if (dataset === this.dataset && !force) return;
    this.dataset = dataset;
    this.samples = undefined;
    this.preview = undefined;
    this.render();
    if (!this.ready) return;
    // A failure is shown by the training screen (the worker sends it as an error event too).
    this.engine.api.samples(dataset, GRID_IMAGES).then((samples) => this.showSamples(samples), () => undefined);
    this.requestPreview();
  }

  private requestPreview(): void {
    const augmentation = this.training.augmentation();
    const asked = (this.previewed = JSON.stringify(augmentation));
    this.previewedConfig = augmentation?.config;
    this.preview = undefined;
    this.render();
    if (!this.ready || !augmentation) return;
    this.engine.api.augmentPreview(this.dataset, PREVIEW_IMAGES, { ...augmentation.config }, this.seed).then(
      (preview) => asked === this.previewed && this.showPreview(preview), // else the settings changed since
      () => undefined,
    );
  }

  private async sendUpload(): Promise<void> {
    const missing = UPLOADS.filter((slot) => !this.files.has(slot));
    if (missing.length > 0) {
      const names = missing.map((slot) => t(`data.upload.${slot}` as MessageKey)).join(', ');
      this.upload = { state: 'failed', error: { code: 'dataset', message: tf('data.upload.missing', { files: names }) } };
      this.render();
      return;
    }
    this.upload = { state: 'loading' };
    this.render();
    const read = async (slot: UploadSlot) => {
      const file = this.files.get(slot)!;
      return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
    };
    const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(UPLOADS.map(read));
    const files: CustomDatasetFiles = { trainImages: trainImages!, trainLabels: trainLabels!, testImages: testImages!, testLabels: testLabels! };
    const answer = await this.engine.api
      .loadCustomDataset(Comlink.transfer(files, UPLOADS.map((slot) => files[slot].bytes.buffer)))
      .catch((error: EngineError): CustomDatasetAnswer => ({ train: 0, test: 0, error }));
    this.uploaded(answer);
  }

  render(): void {
    this.element.replaceChildren(
      h('h2', { id: 'data-title' }, t('data.title')),
      this.renderChooser(),
      this.renderGrid(),
      this.renderPreview(),
      this.renderUpload(),
    );
  }

  private renderChooser(): HTMLElement {
    const select = h('select', { id: 'data-dataset', 'data-testid': 'data-dataset' });
    for (const name of this.available) select.append(h('option', { value: name, selected: name === this.dataset }, t(`data.dataset.${name}` as MessageKey)));
    select.addEventListener('change', () => this.choose(select.value as DatasetName));
    return h('label', { class: 'field', for: 'data-dataset' }, h('span', {}, t('data.dataset')), select);
  }

  private renderGrid(): HTMLElement {
    const { samples } = this;
    const grid = h('div', { class: 'sample-grid', 'data-testid': 'sample-grid', 'data-state': samples ? 'ready' : 'loading', 'data-dataset': this.dataset });
    if (!samples) return h('div', {}, h('h3', {}, t('data.samples.title')), grid, h('p', { class: 'muted' }, t('data.loading')));
    samples.labels.forEach((label, i) => {
      const name = className(samples.dataset, label);
      grid.append(h('figure', { 'data-label': label }, digitCanvas(samples.pixels, i * 784, name), h('figcaption', {}, name)));
    });
    return h('div', {}, h('h3', {}, t('data.samples.title')), h('p', { class: 'muted' }, tf('data.samples.caption', { count: samples.labels.length })), grid);
  }

  private renderPreview(): HTMLElement {
    const { preview } = this;
    const controls = h('div', { class: 'augment-controls' });
    for (const field of AUGMENT_FIELDS) {
      const id = `augment-${field}`;
      const input = h('input', { id, 'data-testid': id, type: 'number', step: field === 'max_zoom' ? 0.05 : 1, min: 0, value: this.training.augmentText(field) });
      input.addEventListener('change', () => this.training.setAugmentation(field, input.value));
      controls.append(h('label', { class: 'field', for: id }, h('span', {}, t(`data.augment.${field}` as MessageKey)), input));
    }
    const reroll = h('button', { type: 'button', 'data-testid': 'augment-reroll' }, t('data.augment.reroll'));
    reroll.addEventListener('click', () => {
      this.seed += 1;
      this.requestPreview();
    });
    controls.append(reroll);
    const block = h('div', { class: 'augment-preview', 'data-testid': 'augment-preview', 'data-state': preview ? (preview.error ? 'error' : 'ready') : 'loading', 'data-seed': this.seed, 'data-augment': preview ? JSON.stringify(this.previewedConfig) : undefined });
    if (preview?.error) block.append(h('p', { class: 'error', 'data-testid': 'augment-error', role: 'alert' }, preview.error.message));
    else if (preview) {
      const row = (pixels: Uint8Array, kind: string) =>
        h('div', { class: 'gallery', 'data-kind': kind }, ...preview.labels.map((_, i) => digitCanvas(pixels, i * 784)));
      block.append(h('p', { class: 'muted' }, t('data.augment.originals')), row(preview.originals, 'originals'), h('p', { class: 'muted' }, t('data.augment.augmented')), row(preview.augmented, 'augmented'));
    }
    const on = this.training.augmentation()?.on ?? false;
    const state = h('p', { class: 'muted', 'data-testid': 'augment-training', 'data-on': String(on) }, t(on ? 'data.augment.trainingOn' : 'data.augment.trainingOff'));
    return h('div', {}, h('h3', {}, t('data.augment.title')), h('p', { class: 'muted' }, t('data.augment.intro')), state, controls, block);
  }

  private renderUpload(): HTMLElement {
    const inputs = UPLOADS.map((slot) =>
      h('label', { class: 'field', for: `upload-${slot}` }, h('span', {}, t(`data.upload.${slot}` as MessageKey)), this.fileInputs[slot]),
    );
    const load = h('button', { type: 'button', 'data-testid': 'upload-load', disabled: this.upload.state === 'loading' }, t('data.upload.load'));
    load.addEventListener('click', () => void this.sendUpload());
    const { upload } = this;
    const status =
      upload.state === 'ready'
        ? h('p', { class: 'ok', 'data-testid': 'upload-status', 'data-state': 'ready' }, tf('data.upload.ready', { train: upload.train, test: upload.test }))
        : upload.state === 'loading'
          ? h('p', { class: 'muted', 'data-testid': 'upload-status', 'data-state': 'loading' }, t('data.upload.loading'))
          : undefined;
    const error =
      upload.state === 'failed'
        ? h('div', { class: 'error', 'data-testid': 'data-error', role: 'alert' }, h('strong', {}, t('data.upload.failed')), h('pre', {}, upload.error.message))
        : undefined;
    return h('div', { class: 'upload' }, h('h3', {}, t('data.upload.title')), h('p', { class: 'muted' }, t('data.upload.intro')), h('div', { class: 'upload-files' }, ...inputs), load, status, error);
  }
}
