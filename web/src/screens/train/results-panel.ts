// After a finished run: the bias/variance reading, the test confusion matrix (click a cell to see
// its images), per-class accuracy and the most confidently wrong test images. Rendered from data.
import { getLocale, t, tf, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import type { CellImages, EngineEventOf } from '../../worker/protocol';
import { diagnose, HIGH_BIAS_POINTS, HIGH_VARIANCE_POINTS } from './diagnosis';
import { formatPercent } from './format';

const IMAGE_BYTES = 28 * 28;

/** A 28×28 grey image (white on black) as a canvas, shown enlarged with crisp pixels. */
export function digitCanvas(pixels: Uint8Array, offset = 0, title?: string): HTMLCanvasElement {
  const canvas = h('canvas', { width: 28, height: 28, class: 'digit', title });
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(28, 28);
    for (let i = 0; i < IMAGE_BYTES; i++) {
      const v = pixels[offset + i] ?? 0;
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v;
      image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }
  return canvas;
}

export interface ResultsView {
  results: EngineEventOf<'results'>;
  /** The last epoch's metrics (train on TRAIN_EVAL_SAMPLES images, dev on all). */
  lastEpoch: EngineEventOf<'epoch'> | undefined;
  trainSample: number;
  selected: { label: number; predicted: number } | undefined;
  cell: CellImages | undefined;
  onSelect(label: number, predicted: number): void;
}

export function renderResultsPanel(view: ResultsView): HTMLElement {
  return h(
    'div',
    { class: 'results', 'data-testid': 'results' },
    h('h3', {}, t('results.title')),
    view.lastEpoch ? renderDiagnosis(view.lastEpoch, view.trainSample) : null,
    renderConfusion(view),
    renderCellImages(view),
    renderMistakes(view.results),
  );
}

function renderDiagnosis(epoch: EngineEventOf<'epoch'>, sample: number): HTMLElement {
  const locale = getLocale();
  const trainError = 1 - epoch.trainAccuracy;
  const devError = 1 - epoch.devAccuracy;
  const diagnosis = diagnose(trainError * 100, devError * 100);
  const advice: MessageKey[] = [];
  if (diagnosis.highBias) advice.push('results.diagnosis.tryBias');
  if (diagnosis.highVariance) advice.push('results.diagnosis.tryVariance');
  if (advice.length === 0) advice.push('results.diagnosis.tryFine');
  return h(
    'div',
    { class: 'diagnosis', 'data-testid': 'diagnosis', 'data-reading': diagnosis.reading },
    h('h4', {}, t('results.diagnosis.title')),
    h('p', {}, tf('results.diagnosis.errors', { train: formatPercent(trainError, locale), dev: formatPercent(devError, locale), sample })),
    h('p', { class: 'reading' }, h('strong', {}, t(`results.diagnosis.${diagnosis.reading}` as MessageKey))),
    h('ul', {}, ...advice.map((key) => h('li', {}, t(key)))),
    h('p', { class: 'muted' }, tf('results.diagnosis.thresholds', { bias: HIGH_BIAS_POINTS, variance: HIGH_VARIANCE_POINTS })),
  );
}

function renderConfusion(view: ResultsView): HTMLElement {
  const locale = getLocale();
  const { classes, confusion, perClassAccuracy } = view.results;
  const digits = Array.from({ length: classes }, (_, i) => i);
  const max = Math.max(1, ...confusion.filter((_, i) => i % (classes + 1) !== 0));
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, `${t('results.confusion.true')} \\ ${t('results.confusion.predicted')}`),
    ...digits.map((d) => h('th', { scope: 'col' }, String(d))),
    h('th', { scope: 'col' }, t('results.confusion.accuracy')),
  );
  const rows = digits.map((label) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(label)),
      ...digits.map((predicted) => {
        const count = confusion[label * classes + predicted] ?? 0;
        const diagonal = label === predicted;
        const selected = view.selected?.label === label && view.selected.predicted === predicted;
        const button = h(
          'button',
          {
            type: 'button',
            class: `cell${diagonal ? ' diagonal' : ''}${selected ? ' selected' : ''}`,
            'data-testid': 'confusion-cell',
            'data-true': label,
            'data-predicted': predicted,
            'data-count': count,
            'aria-pressed': selected ? 'true' : 'false',
            disabled: count === 0,
            // Off-diagonal cells shaded by how many mistakes they hold.
            style: !diagonal && count > 0 ? `background: rgba(217, 115, 13, ${(0.15 + 0.85 * (count / max)).toFixed(2)})` : undefined,
          },
          String(count),
        );
        button.addEventListener('click', () => view.onSelect(label, predicted));
        return h('td', {}, button);
      }),
      h('td', { class: 'per-class', 'data-testid': 'per-class-accuracy', 'data-class': label }, formatPercent(perClassAccuracy[label] ?? 0, locale)),
    ),
  );
  return h(
    'table',
    { class: 'confusion', 'data-testid': 'confusion' },
    h('caption', {}, h('strong', {}, t('results.confusion.title')), ' ', t('results.confusion.caption')),
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
}

function renderCellImages(view: ResultsView): HTMLElement | null {
  const { cell, selected } = view;
  if (!selected) return null;
  const block = h('div', { class: 'cell-images', 'data-testid': 'cell-images' });
  if (!cell || cell.label !== selected.label || cell.predicted !== selected.predicted) {
    block.dataset['state'] = 'loading';
    return block;
  }
  block.dataset['state'] = 'ready';
  block.dataset['count'] = String(cell.indices.length);
  const params = { label: cell.label, predicted: cell.predicted, total: cell.total, shown: cell.indices.length };
  block.append(h('p', {}, tf(cell.total > 0 ? 'results.cell.caption' : 'results.cell.empty', params)));
  block.append(h('div', { class: 'gallery' }, ...cell.indices.map((index, i) => digitCanvas(cell.pixels, i * IMAGE_BYTES, `#${index}`))));
  return block;
}

function renderMistakes(results: EngineEventOf<'results'>): HTMLElement {
  const locale = getLocale();
  const figures = results.mistakes.map((m, i) =>
    h(
      'figure',
      { 'data-index': m.index },
      digitCanvas(results.mistakePixels, i * IMAGE_BYTES, `#${m.index}`),
      h('figcaption', {}, tf('results.mistakes.caption', { predicted: m.predicted, confidence: formatPercent(m.confidence, locale), label: m.label })),
    ),
  );
  return h(
    'div',
    { class: 'mistakes', 'data-testid': 'mistakes' },
    h('h4', {}, t('results.mistakes.title')),
    figures.length ? h('div', { class: 'gallery' }, ...figures) : h('p', { class: 'muted' }, t('results.mistakes.none')),
  );
}
