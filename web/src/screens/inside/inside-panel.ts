// "Inside the network", after a finished run: for one image (a test image, a mistake or the
// student's drawing) every layer's feature maps; the learned convolution filters; and per layer
// the histograms of the weights and of their last gradients, after each epoch.
import * as Comlink from 'comlink';
import type { ConvFilters, LayerOutput, ParameterHistograms } from '../../engine/inspect-types';
import type { Mistake } from '../../engine/types';
import { getLocale, t, tf } from '../../i18n';
import { h } from '../../ui/dom';
import type { EngineClient } from '../../worker/engine-client';
import type { DatasetName, HistogramsAnswer, InspectSource, LayerOutputsAnswer } from '../../worker/protocol';
import { className } from '../data/class-names';
import { formatPercent } from '../train/format';
import { digitCanvas } from '../../ui/digit-canvas';
import { grayCanvas, histogramCanvas } from './canvas';
import { mapLayout, symmetricRange, valueRange } from './maps';
import { formatFixed, formatSignificant } from '../../ui/format';

/** At most this many maps per layer and kernels per conv layer are drawn. */
export const MAX_MAPS = 32;
export const MAX_KERNELS = 128;
/** Maps are drawn about this many CSS pixels wide. */
const MAP_PIXELS = 56;

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const number = (v: number) => (Math.abs(v) >= 0.01 || v === 0 ? formatFixed(v, 3) : formatSignificant(v, 2));

export class InsidePanel {
  readonly element: HTMLElement;
  private histograms: HistogramsAnswer[] = [];
  private shownEpoch: number | undefined;
  private filters: ConvFilters[] | undefined;
  private outputs: LayerOutputsAnswer | undefined;
  private mistakes: Mistake[] = [];
  private testCount = 0;
  private testIndex = 0;
  private nextId = 1;
  private pending: number | undefined;
  /** The test image the pending request and the shown outputs are about (undefined: a drawing). */
  private pendingIndex: number | undefined;
  private outputsIndex: number | undefined;

  constructor(
    private readonly engine: EngineClient,
    /** The drawing panel's current 28 × 28 input, if the student drew something. */
    private readonly drawing: () => Uint8Array | undefined,
    /** The dataset of the run, for its class names. */
    private readonly dataset: () => DatasetName,
  ) {
    this.element = h('section', { class: 'inside', 'data-testid': 'inside-panel', 'aria-labelledby': 'inside-title' });
    engine.on('histograms', ({ type: _type, ...histograms }) => this.addHistograms(histograms));
    this.render();
  }

  private addHistograms(histograms: HistogramsAnswer): void {
    this.histograms = [...this.histograms.filter((e) => e.epoch !== histograms.epoch), histograms].sort((a, b) => a.epoch - b.epoch);
    // While training the panel is not on the page: keep the epoch's histograms, draw them when it opens.
    if (this.element.isConnected) this.render();
  }

  /** A new run starts: forget the previous model's pictures. */
  reset(): void {
    this.histograms = [];
    this.shownEpoch = undefined;
    this.filters = undefined;
    this.outputs = undefined;
    this.pending = undefined;
    if (this.element.isConnected) this.render();
  }

  /** The run finished: ask for the model's filters and histograms and the first image's maps. */
  open(mistakes: Mistake[], testCount: number): void {
    this.mistakes = mistakes;
    this.testCount = testCount;
    // A failure is shown by the training screen (the worker sends it as an error event too).
    this.engine.api.inspectModel().then(({ histograms, filters }) => {
      this.addHistograms(histograms);
      this.filters = filters;
      this.render();
    }, () => undefined);
    this.inspect({ kind: 'test', index: this.testIndex });
  }

  private inspect(source: InspectSource): void {
    const id = this.nextId++;
    this.pending = id;
    this.pendingIndex = source.kind === 'test' ? source.index : undefined;
    this.engine.api.inspect(Comlink.transfer(source, source.kind === 'pixels' ? [source.pixels.buffer] : [])).then((outputs) => {
      if (id !== this.pending) return; // a newer image was asked for (or the run was reset)
      this.pending = undefined;
      this.outputs = outputs;
      this.outputsIndex = this.pendingIndex;
      this.render();
    }, () => undefined);
    this.render();
  }

  render(): void {
    this.element.replaceChildren(
      h('h3', { id: 'inside-title' }, t('inside.title')),
      h('p', { class: 'muted' }, t('inside.intro')),
      this.renderSource(),
      this.renderMaps(),
      this.renderFilters(),
      this.renderHistograms(),
    );
  }

  private renderSource(): HTMLElement {
    const index = h('input', { type: 'number', min: 0, max: Math.max(0, this.testCount - 1), step: 1, value: this.testIndex, id: 'inside-index', 'data-testid': 'inside-index' });
    const show = h('button', { type: 'button', 'data-testid': 'inside-show' }, t('inside.show'));
    show.addEventListener('click', () => {
      this.testIndex = Math.trunc(Number(index.value));
      this.inspect({ kind: 'test', index: this.testIndex });
    });
    const random = h('button', { type: 'button', 'data-testid': 'inside-random' }, t('inside.random'));
    random.addEventListener('click', () => {
      this.testIndex = Math.floor(Math.random() * Math.max(1, this.testCount));
      this.inspect({ kind: 'test', index: this.testIndex });
    });
    const mistake = h('select', { 'data-testid': 'inside-mistake', 'aria-label': t('inside.mistake'), disabled: this.mistakes.length === 0 });
    mistake.append(h('option', { value: '' }, t('inside.mistake')));
    for (const m of this.mistakes) mistake.append(h('option', { value: m.index }, tf('inside.mistakeOption', { index: m.index, label: className(this.dataset(), m.label), predicted: className(this.dataset(), m.predicted) })));
    mistake.addEventListener('change', () => {
      if (mistake.value === '') return;
      this.testIndex = Number(mistake.value);
      this.inspect({ kind: 'test', index: this.testIndex });
    });
    const drawn = h('button', { type: 'button', 'data-testid': 'inside-drawing' }, t('inside.drawing'));
    drawn.addEventListener('click', () => {
      const pixels = this.drawing();
      if (pixels) this.inspect({ kind: 'pixels', pixels: pixels.slice() });
      else drawn.title = t('inside.noDrawing');
    });
    return h(
      'div',
      { class: 'inside-source' },
      h('label', { class: 'field', for: 'inside-index' }, h('span', {}, t('inside.testIndex')), index),
      show,
      random,
      mistake,
      drawn,
    );
  }

  private renderImage(outputs: LayerOutputsAnswer): HTMLElement {
    const { probabilities } = outputs;
    const predicted = probabilities.indexOf(Math.max(...probabilities));
    const confidence = formatPercent(probabilities[predicted] ?? 0, getLocale());
    const name = (label: number) => className(this.dataset(), label);
    const caption =
      outputs.label !== undefined
        ? tf('inside.caption.test', { index: this.outputsIndex ?? this.testIndex, label: name(outputs.label), predicted: name(predicted), confidence })
        : tf('inside.caption.pixels', { predicted: name(predicted), confidence });
    return h('figure', { class: 'inside-image', 'data-testid': 'inside-image', 'data-predicted': predicted }, digitCanvas(outputs.pixels), h('figcaption', {}, caption));
  }

  private renderMaps(): HTMLElement {
    const block = h('div', { class: 'feature-maps', 'data-testid': 'feature-maps', 'data-state': this.pending !== undefined || !this.outputs ? 'loading' : 'ready' });
    block.append(h('h4', {}, t('inside.maps.title')));
    const { outputs } = this;
    if (!outputs) {
      block.append(h('p', { class: 'muted' }, t('inside.loading')));
      return block;
    }
    block.dataset['layers'] = String(outputs.layers.length);
    block.append(this.renderImage(outputs));
    for (const layer of outputs.layers) if (layer.kind !== 'flatten') block.append(this.renderLayer(layer));
    return block;
  }

  private renderLayer(layer: LayerOutput): HTMLElement {
    const { maps, height, width } = mapLayout(layer.shape);
    const range = valueRange(layer.values);
    const shown = Math.min(maps, MAX_MAPS);
    const scale = Math.max(1, Math.round(MAP_PIXELS / Math.max(height, width)));
    const style = height === 1 ? `width:${Math.min(width * 6, 480)}px;height:14px` : `width:${width * scale}px;height:${height * scale}px`;
    const canvases = Array.from({ length: shown }, (_, c) => {
      const canvas = grayCanvas(layer.values, c * height * width, height, width, range, `${c}`);
      canvas.style.cssText = style; // CSSOM: a style attribute would need 'unsafe-inline' in the CSP
      return canvas;
    });
    const caption = tf('inside.maps.caption', { layer: layer.layer, kind: layer.kind, shape: shapeText(layer.shape), low: number(range.low), high: number(range.high) });
    return h(
      'div',
      { class: 'layer-maps', 'data-layer': layer.layer, 'data-kind': layer.kind, 'data-maps': shown },
      h('p', {}, caption, shown < maps ? ` ${tf('inside.maps.more', { shown, total: maps })}` : ''),
      h('div', { class: 'maps' }, ...canvases),
    );
  }

  private renderFilters(): HTMLElement {
    const block = h('div', { class: 'filters', 'data-testid': 'filters', 'data-state': this.filters ? 'ready' : 'loading' });
    block.append(h('h4', {}, t('inside.filters.title')));
    if (!this.filters) block.append(h('p', { class: 'muted' }, t('inside.loading')));
    else if (this.filters.length === 0) block.append(h('p', { class: 'muted' }, t('inside.filters.none')));
    for (const filters of this.filters ?? []) {
      const [count = 0, channels = 0, kh = 0, kw = 0] = filters.shape;
      const range = symmetricRange(filters.weights);
      const perFilter = Math.min(channels, Math.max(1, Math.floor(MAX_KERNELS / count)));
      // One row per filter (its kernels side by side); single-channel filters simply in rows of 16.
      const columns = perFilter > 1 ? perFilter : Math.min(count, 16);
      const grid = h('div', { class: 'filter-grid', style: `grid-template-columns: repeat(${columns}, auto)` });
      const scale = Math.max(1, Math.round(32 / Math.max(kh, kw)));
      for (let k = 0; k < count && k * perFilter < MAX_KERNELS; k++)
        for (let c = 0; c < perFilter; c++) {
          const canvas = grayCanvas(filters.weights, (k * channels + c) * kh * kw, kh, kw, range, `${k}.${c}`);
          canvas.style.cssText = `width:${kw * scale}px;height:${kh * scale}px`;
          grid.append(canvas);
        }
      block.append(
        h(
          'div',
          { class: 'layer-filters', 'data-layer': filters.layer, 'data-kernels': grid.childElementCount },
          h('p', {}, tf('inside.filters.caption', { layer: filters.layer, count, channels, size: `${kh} × ${kw}`, bound: number(range.high) })),
          grid,
        ),
      );
    }
    return block;
  }

  private renderHistograms(): HTMLElement {
    const block = h('div', { class: 'histograms', 'data-testid': 'histograms' });
    block.append(h('h4', {}, t('inside.hist.title')), h('p', { class: 'muted' }, t('inside.hist.intro')));
    const { histograms } = this;
    if (histograms.length === 0) {
      block.append(h('p', { class: 'muted' }, t('inside.loading')));
      return block;
    }
    const position = this.shownEpoch === undefined ? histograms.length - 1 : Math.min(this.shownEpoch, histograms.length - 1);
    const shown = histograms[position]!;
    block.dataset['epoch'] = String(shown.epoch);
    block.dataset['epochs'] = String(histograms.length);
    const slider = h('input', { type: 'range', min: 0, max: histograms.length - 1, step: 1, value: position, id: 'histogram-epoch', 'data-testid': 'histogram-epoch', disabled: histograms.length < 2 });
    slider.addEventListener('input', () => {
      this.shownEpoch = Number(slider.value);
      // Only this block changes: the feature maps and filters stay as they are.
      const next = this.renderHistograms();
      block.replaceWith(next);
      next.querySelector<HTMLInputElement>('#histogram-epoch')?.focus();
    });
    block.append(h('label', { class: 'field', for: 'histogram-epoch' }, h('span', {}, tf('inside.hist.epoch', { epoch: shown.epoch })), slider));
    const table = h('div', { class: 'histogram-table' });
    for (const parameter of shown.parameters) table.append(this.renderParameter(parameter));
    block.append(table);
    return block;
  }

  private renderParameter(p: ParameterHistograms): HTMLElement {
    const name = tf('inside.hist.parameter', { layer: p.layer, kind: p.layer_kind, name: p.name, shape: shapeText(p.shape) });
    const cell = (kind: 'values' | 'gradients', color: string) => {
      const histogram = p[kind];
      const label = `${name}: ${t(`inside.hist.${kind}`)}`;
      return h(
        'figure',
        { 'data-kind': kind, 'data-count': histogram.finite + histogram.non_finite },
        histogramCanvas(histogram, color, label),
        h(
          'figcaption',
          {},
          `${t(`inside.hist.${kind}`)}: ${number(histogram.low)} … ${number(histogram.high)}`,
          histogram.non_finite > 0 ? ` · ${tf('inside.hist.nonFinite', { count: histogram.non_finite })}` : '',
        ),
      );
    };
    return h('div', { class: 'histogram-row', 'data-layer': p.layer, 'data-name': p.name }, h('p', {}, name), cell('values', '#3552c8'), cell('gradients', '#d9730d'));
  }
}
