// Keep the model: save it as the engine's file or as ONNX, export the run as a PyTorch project or
// a notebook, load a model back (either format; checked by the engine), restore the last model
// kept in this browser, and train the current model for more epochs.
import { getLocale, t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatDate } from '../../report/report-html';
import { formatPercent } from '../train/format';
import type { RunsStore } from './runs-store';

export function KeepPanel({ store }: { store: RunsStore }) {
  void pageLocale.value; // redrawn in the page's language
  void store.version.value; // the last model
  const locale = getLocale();
  const busy = store.busy.value;
  const idle = !store.running.value && busy === undefined;
  const canUse = store.hasModel.value && idle;
  const last = store.history.lastModel;
  const loaded = store.loaded.value;
  const status: string[] = [];
  if (busy === 'loading') status.push(t('keep.loading'));
  if (busy === 'saving') status.push(t('keep.saving'));
  if (loaded) status.push(tf('keep.loaded', { source: loaded.source, epochs: loaded.epochs }));
  return (
    <div class="keep-panel" data-testid="keep-panel">
      <h3>{t('keep.title')}</h3>
      <div class="buttons">
        <button type="button" data-testid="save-model" disabled={!canUse} onClick={() => store.save('download')}>
          {t('keep.save')}
        </button>
        <button type="button" data-testid="export-onnx" disabled={!canUse} onClick={() => store.save('onnx')}>
          {t('keep.exportOnnx')}
        </button>
        <button type="button" data-testid="export-pytorch" disabled={!canUse} onClick={() => void store.exportRun('pytorch')}>
          {t('keep.exportPytorch')}
        </button>
        <button type="button" data-testid="export-notebook" disabled={!canUse} onClick={() => void store.exportRun('notebook')}>
          {t('keep.exportNotebook')}
        </button>
        <label class="file-button" for="keep-load">
          <span>{t('keep.load')}</span>
          <input
            type="file"
            id="keep-load"
            accept=".profundo,.onnx,application/octet-stream"
            data-testid="load-model"
            disabled={!idle}
            onChange={(event) => {
              const input = event.currentTarget;
              const chosen = input.files?.[0];
              if (chosen) void store.load(chosen);
              input.value = ''; // choosing the same file again loads it again
            }}
          />
        </label>
        {last ? (
          <button type="button" data-testid="restore-model" disabled={!idle} onClick={() => store.restore()}>
            {t('keep.restore')}
          </button>
        ) : null}
      </div>
      {last ? (
        <p class="muted" data-testid="last-model">
          {tf('keep.lastModel', { preset: last.preset, dataset: last.dataset, accuracy: formatPercent(last.testAccuracy, locale), date: formatDate(last.date, locale) })}
        </p>
      ) : null}
      <div class="buttons">
        <label class="field" for="keep-epochs">
          <span>{t('keep.continueEpochs')}</span>
          <input type="number" min="1" step="1" id="keep-epochs" data-testid="continue-epochs" value={store.continueEpochs.value} onInput={(event) => (store.continueEpochs.value = event.currentTarget.value)} />
        </label>
        <button type="button" data-testid="continue-training" disabled={!canUse} onClick={() => store.continueTraining(Number(store.continueEpochs.value))}>
          {t('keep.continue')}
        </button>
      </div>
      <p class="muted keep-status" data-testid="keep-status" aria-live="polite">
        {status.join(' · ')}
      </p>
    </div>
  );
}
