// "Draw a digit": a canvas (mouse, pen and touch through pointer events) whose drawing is made
// MNIST-like (digit-preprocess.ts) and sent to the worker's trained model while the student draws
// (throttled: one request in flight, at most every PREDICT_INTERVAL_MS). Shows the 10 probabilities.
import * as Comlink from 'comlink';
import { getLocale, t, tf } from '../../i18n';
import { h } from '../../ui/dom';
import type { EngineClient } from '../../worker/engine-client';
import type { DatasetName } from '../../worker/protocol';
import { className, datasetText } from '../data/class-names';
import { preprocessDigit } from './digit-preprocess';
import { formatPercent } from './format';
import { digitCanvas } from '../../ui/digit-canvas';

const SIZE = 280;
const LINE_WIDTH = 20;
export const PREDICT_INTERVAL_MS = 80;

export class DrawPanel {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly output: HTMLElement;
  private readonly preview: HTMLElement;
  private drawing = false;
  private last: { x: number; y: number } | undefined;
  private nextId = 1;
  private inFlight: number | undefined;
  private pending = false;
  private lastSent = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private probabilities: number[] | undefined;
  private input: Uint8Array | undefined;

  /** What the model sees of the current drawing (28 × 28, a copy), if anything is drawn. */
  get drawnInput(): Uint8Array | undefined {
    return this.input?.slice();
  }

  constructor(
    private readonly engine: EngineClient,
    /** The trained model's dataset: its words ("Draw a digit") and class names. */
    private readonly dataset: () => DatasetName,
  ) {
    this.canvas = h('canvas', { width: SIZE, height: SIZE, class: 'draw-canvas', 'data-testid': 'draw-canvas' });
    this.context = this.canvas.getContext('2d', { willReadFrequently: true })!;
    this.output = h('div', { class: 'prediction', 'data-testid': 'prediction', 'aria-live': 'polite' });
    this.preview = h('div', { class: 'draw-input' });
    this.element = h('div', { class: 'draw-panel', 'data-testid': 'draw-panel' });
    this.blank();
    this.canvas.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      this.canvas.setPointerCapture(event.pointerId);
      this.drawing = true;
      this.last = this.point(event);
      this.stroke(this.last, this.last);
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (!this.drawing) return;
      const p = this.point(event);
      this.stroke(this.last ?? p, p);
      this.last = p;
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = undefined;
      this.schedule();
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
    this.render();
  }

  private answered(id: number, probabilities: number[] | undefined): void {
    if (id !== this.inFlight) return; // an answer for a cleared drawing
    this.inFlight = undefined;
    if (probabilities) this.probabilities = probabilities;
    this.renderOutput();
    if (this.pending) this.schedule();
    this.updateBusy();
  }

  /** Language changed. */
  render(): void {
    const clear = h('button', { type: 'button', 'data-testid': 'draw-clear' }, t('draw.clear'));
    clear.addEventListener('click', () => this.clear());
    this.element.replaceChildren(
      h('h3', {}, datasetText('draw.title', this.dataset())),
      h('p', { class: 'muted' }, datasetText('draw.hint', this.dataset())),
      h('div', { class: 'draw-row' }, h('div', {}, this.canvas, h('div', { class: 'buttons' }, clear)), this.output, this.preview),
    );
    this.renderOutput();
  }

  clear(): void {
    this.blank();
    this.probabilities = undefined;
    this.input = undefined;
    this.pending = false;
    this.inFlight = undefined; // a late answer for the old drawing is ignored
    this.renderOutput();
    this.updateBusy();
  }

  private blank(): void {
    this.context.fillStyle = '#000';
    this.context.fillRect(0, 0, SIZE, SIZE);
  }

  private point(event: PointerEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) * SIZE) / rect.width, y: ((event.clientY - rect.top) * SIZE) / rect.height };
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const c = this.context;
    c.strokeStyle = '#fff';
    c.lineWidth = LINE_WIDTH;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x + 0.01, to.y); // a zero-length path draws nothing
    c.stroke();
    this.schedule();
  }

  /** data-busy on the output: a prediction is on its way or waiting for its turn (for tests). */
  private updateBusy(): void {
    this.output.dataset['busy'] = String(this.inFlight !== undefined || this.pending || this.timer !== undefined);
  }

  /** Sends the drawing now if allowed, else once the interval has passed or the answer is in. */
  private schedule(): void {
    this.sendOrWait();
    this.updateBusy();
  }

  private sendOrWait(): void {
    this.pending = true;
    if (this.inFlight !== undefined || this.timer !== undefined) return;
    const wait = this.lastSent + PREDICT_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    this.pending = false;
    const { data } = this.context.getImageData(0, 0, SIZE, SIZE);
    const ink = new Uint8Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i]!;
    const pixels = preprocessDigit(ink, SIZE, SIZE);
    if (!pixels) return;
    this.input = pixels.slice();
    const id = this.nextId++;
    this.inFlight = id;
    this.lastSent = performance.now();
    // A failure is shown by the training screen (the worker sends it as an error event too).
    this.engine.api.predict(Comlink.transfer(pixels, [pixels.buffer])).then(
      (probabilities) => this.answered(id, probabilities),
      () => this.answered(id, undefined),
    );
  }

  private renderOutput(): void {
    const { probabilities } = this;
    this.preview.replaceChildren(...(this.input ? [h('p', { class: 'muted' }, t('draw.input')), digitCanvas(this.input)] : []));
    if (!probabilities) {
      delete this.output.dataset['digit'];
      this.output.replaceChildren(h('p', { class: 'muted' }, datasetText('draw.empty', this.dataset())));
      return;
    }
    const locale = getLocale();
    const best = probabilities.reduce((bi, p, i, all) => (p > all[bi]! ? i : bi), 0);
    this.output.dataset['digit'] = String(best);
    this.output.dataset['sum'] = String(probabilities.reduce((a, b) => a + b, 0));
    this.output.replaceChildren(
      h('p', { class: 'prediction-text' }, tf('draw.prediction', { digit: className(this.dataset(), best), confidence: formatPercent(probabilities[best]!, locale) })),
      h(
        'ol',
        { class: 'bars', start: 0 },
        ...probabilities.map((p, digit) =>
          h(
            'li',
            { class: digit === best ? 'best' : undefined, 'data-digit': digit, 'data-probability': p },
            h('span', { class: 'bar-label' }, className(this.dataset(), digit)),
            h('span', { class: 'bar' }, h('span', { class: 'bar-fill', style: `width: ${(p * 100).toFixed(1)}%` })),
            h('span', { class: 'bar-value' }, formatPercent(p, locale)),
          ),
        ),
      ),
    );
  }
}
