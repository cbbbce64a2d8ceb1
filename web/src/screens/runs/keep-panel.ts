// Keep the model: save it as the engine's file or as ONNX, load one back (either; checked by the engine), restore the
// last model kept in this browser, and train the current model for more epochs. Rendered from data.
import { getLocale, t, tf } from '../../i18n';
import type { KeptModel } from '../../storage/run-store';
import { h } from '../../ui/dom';
import { formatPercent } from '../train/format';
import { formatDate } from '../../report/report-html';

export interface KeepView {
  hasModel: boolean;
  running: boolean;
  /** A load or save in progress. */
  busy: 'saving' | 'loading' | undefined;
  /** What the current model is, once loaded from a file or the browser. */
  loaded: { source: string; epochs: number } | undefined;
  lastModel: KeptModel | undefined;
  continueEpochs: string;
  onSave(): void;
  onExportOnnx(): void;
  onExportPytorch(): void;
  onExportNotebook(): void;
  onLoad(file: File): void;
  onRestore(): void;
  onContinue(epochs: number): void;
  onContinueEpochs(value: string): void;
}

export function renderKeepPanel(view: KeepView): HTMLElement {
  const locale = getLocale();
  const idle = !view.running && view.busy === undefined;

  const save = h('button', { type: 'button', 'data-testid': 'save-model', disabled: !view.hasModel || !idle }, t('keep.save'));
  save.addEventListener('click', () => view.onSave());
  const onnx = h('button', { type: 'button', 'data-testid': 'export-onnx', disabled: !view.hasModel || !idle }, t('keep.exportOnnx'));
  onnx.addEventListener('click', () => view.onExportOnnx());
  const pytorch = h('button', { type: 'button', 'data-testid': 'export-pytorch', disabled: !view.hasModel || !idle }, t('keep.exportPytorch'));
  pytorch.addEventListener('click', () => view.onExportPytorch());
  const notebook = h('button', { type: 'button', 'data-testid': 'export-notebook', disabled: !view.hasModel || !idle }, t('keep.exportNotebook'));
  notebook.addEventListener('click', () => view.onExportNotebook());

  const file = h('input', { type: 'file', id: 'keep-load', accept: '.profundo,.onnx,application/octet-stream', 'data-testid': 'load-model', disabled: !idle });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen) view.onLoad(chosen);
    file.value = ''; // choosing the same file again loads it again
  });

  const restore = view.lastModel
    ? h('button', { type: 'button', 'data-testid': 'restore-model', disabled: !idle }, t('keep.restore'))
    : null;
  restore?.addEventListener('click', () => view.onRestore());

  const epochs = h('input', { type: 'number', min: '1', step: '1', id: 'keep-epochs', value: view.continueEpochs, 'data-testid': 'continue-epochs' });
  epochs.addEventListener('input', () => view.onContinueEpochs(epochs.value));
  const train = h('button', { type: 'button', 'data-testid': 'continue-training', disabled: !view.hasModel || !idle }, t('keep.continue'));
  train.addEventListener('click', () => view.onContinue(Number(epochs.value)));

  const status: string[] = [];
  if (view.busy === 'loading') status.push(t('keep.loading'));
  if (view.busy === 'saving') status.push(t('keep.saving'));
  if (view.loaded) status.push(tf('keep.loaded', { source: view.loaded.source, epochs: view.loaded.epochs }));
  const last = view.lastModel;

  return h(
    'div',
    { class: 'keep-panel', 'data-testid': 'keep-panel' },
    h('h3', {}, t('keep.title')),
    h('div', { class: 'buttons' }, save, onnx, pytorch, notebook, h('label', { class: 'file-button', for: 'keep-load' }, h('span', {}, t('keep.load')), file), restore),
    last
      ? h(
          'p',
          { class: 'muted', 'data-testid': 'last-model' },
          tf('keep.lastModel', { preset: last.preset, dataset: last.dataset, accuracy: formatPercent(last.testAccuracy, locale), date: formatDate(last.date, locale) }),
        )
      : null,
    h('div', { class: 'buttons' }, h('label', { class: 'field', for: 'keep-epochs' }, h('span', {}, t('keep.continueEpochs')), epochs), train),
    h('p', { class: 'muted keep-status', 'data-testid': 'keep-status', 'aria-live': 'polite' }, status.join(' · ')),
  );
}
