// After a finished run: the bias/variance reading, the test confusion matrix (click a cell to see
// its images), per-class accuracy and the most confidently wrong test images. Labels follow the
// dataset (Fashion-MNIST's class names).
import { pageLocale } from '../../shell/page-locale';
import { getLocale, t, tf, type MessageKey } from '../../i18n';
import { DigitCanvas, IMAGE_BYTES } from '../../ui/digit-canvas';
import type { CellImages, DatasetName, EngineEventOf } from '../../worker/protocol';
import { className, datasetText } from '../data/class-names';
import { diagnose, HIGH_BIAS_POINTS, HIGH_VARIANCE_POINTS, HUMAN_ERROR_PERCENT } from './diagnosis';
import { formatPercent } from './format';

export interface ResultsView {
  results: EngineEventOf<'results'>;
  dataset: DatasetName;
  /** The last epoch's metrics (train on TRAIN_EVAL_SAMPLES images, dev on all). */
  lastEpoch: EngineEventOf<'epoch'> | undefined;
  trainSample: number;
  selected: { label: number; predicted: number } | undefined;
  cell: CellImages | undefined;
  onSelect(label: number, predicted: number): void;
}

export function ResultsPanel(view: ResultsView) {
  void pageLocale.value;
  return (
    <div class="results" data-testid="results">
      <h3>{t('results.title')}</h3>
      {view.lastEpoch && <Diagnosis epoch={view.lastEpoch} sample={view.trainSample} />}
      <Confusion {...view} />
      <CellGallery {...view} />
      <Mistakes results={view.results} dataset={view.dataset} />
    </div>
  );
}

function Diagnosis({ epoch, sample }: { epoch: EngineEventOf<'epoch'>; sample: number }) {
  void pageLocale.value;
  const locale = getLocale();
  const trainError = 1 - epoch.trainAccuracy;
  const devError = 1 - epoch.devAccuracy;
  const diagnosis = diagnose(trainError * 100, devError * 100);
  const advice: MessageKey[] = [];
  if (diagnosis.highBias) advice.push('results.diagnosis.tryBias');
  if (diagnosis.highVariance) advice.push('results.diagnosis.tryVariance');
  if (advice.length === 0) advice.push('results.diagnosis.tryFine');
  return (
    <div class="diagnosis" data-testid="diagnosis" data-reading={diagnosis.reading}>
      <h4>{t('results.diagnosis.title')}</h4>
      <p>{tf('results.diagnosis.errors', { train: formatPercent(trainError, locale), dev: formatPercent(devError, locale), sample, human: HUMAN_ERROR_PERCENT })}</p>
      <p class="reading">
        <strong>{t(`results.diagnosis.${diagnosis.reading}` as MessageKey)}</strong>
      </p>
      <ul>
        {advice.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>
      <p class="muted">{tf('results.diagnosis.thresholds', { bias: HIGH_BIAS_POINTS, variance: HIGH_VARIANCE_POINTS })}</p>
    </div>
  );
}

function Confusion({ results, dataset, selected, onSelect }: ResultsView) {
  void pageLocale.value;
  const locale = getLocale();
  const { classes, confusion, perClassAccuracy } = results;
  const labels = Array.from({ length: classes }, (_, i) => i);
  const max = Math.max(1, ...confusion.filter((_, i) => i % (classes + 1) !== 0));
  const name = (label: number) => className(dataset, label);
  return (
    <table class="confusion" data-testid="confusion">
      <caption>
        <strong>{t('results.confusion.title')}</strong> {datasetText('results.confusion.caption', dataset)}
      </caption>
      <thead>
        <tr>
          <th scope="col">{`${t('results.confusion.true')} \\ ${t('results.confusion.predicted')}`}</th>
          {labels.map((d) => (
            <th key={d} scope="col" title={name(d)}>
              {String(d)}
            </th>
          ))}
          <th scope="col">{t('results.confusion.accuracy')}</th>
        </tr>
      </thead>
      <tbody>
        {labels.map((label) => (
          <tr key={label}>
            <th scope="row" title={name(label)}>
              {dataset === 'fashion-mnist' ? `${label} ${name(label)}` : String(label)}
            </th>
            {labels.map((predicted) => {
              const count = confusion[label * classes + predicted] ?? 0;
              const diagonal = label === predicted;
              const isSelected = selected?.label === label && selected.predicted === predicted;
              // Off-diagonal cells shaded by how many mistakes they hold.
              const shade = !diagonal && count > 0 ? { background: `rgba(217, 115, 13, ${(0.15 + 0.85 * (count / max)).toFixed(2)})` } : undefined;
              return (
                <td key={predicted}>
                  <button
                    type="button"
                    class={`cell${diagonal ? ' diagonal' : ''}${isSelected ? ' selected' : ''}`}
                    data-testid="confusion-cell"
                    data-true={label}
                    data-predicted={predicted}
                    data-count={count}
                    aria-pressed={isSelected ? 'true' : 'false'}
                    disabled={count === 0}
                    style={shade}
                    onClick={() => onSelect(label, predicted)}
                  >
                    {String(count)}
                  </button>
                </td>
              );
            })}
            <td class="per-class" data-testid="per-class-accuracy" data-class={label}>
              {formatPercent(perClassAccuracy[label] ?? 0, locale)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CellGallery({ cell, selected, dataset }: ResultsView) {
  void pageLocale.value;
  if (!selected) return null;
  if (!cell || cell.label !== selected.label || cell.predicted !== selected.predicted) return <div class="cell-images" data-testid="cell-images" data-state="loading" />;
  const params = { label: className(dataset, cell.label), predicted: className(dataset, cell.predicted), total: cell.total, shown: cell.indices.length };
  return (
    <div class="cell-images" data-testid="cell-images" data-state="ready" data-count={cell.indices.length}>
      <p>{tf(cell.total > 0 ? 'results.cell.caption' : 'results.cell.empty', params)}</p>
      <div class="gallery">
        {cell.indices.map((index, i) => (
          <DigitCanvas key={index} pixels={cell.pixels} offset={i * IMAGE_BYTES} title={`#${index}`} />
        ))}
      </div>
    </div>
  );
}

function Mistakes({ results, dataset }: { results: EngineEventOf<'results'>; dataset: DatasetName }) {
  void pageLocale.value;
  const locale = getLocale();
  return (
    <div class="mistakes" data-testid="mistakes">
      <h4>{t('results.mistakes.title')}</h4>
      {results.mistakes.length ? (
        <div class="gallery">
          {results.mistakes.map((m, i) => (
            <figure key={m.index} data-index={m.index}>
              <DigitCanvas pixels={results.mistakePixels} offset={i * IMAGE_BYTES} title={`#${m.index}`} />
              <figcaption>{tf('results.mistakes.caption', { predicted: className(dataset, m.predicted), confidence: formatPercent(m.confidence, locale), label: className(dataset, m.label) })}</figcaption>
            </figure>
          ))}
        </div>
      ) : (
        <p class="muted">{t('results.mistakes.none')}</p>
      )}
    </div>
  );
}
