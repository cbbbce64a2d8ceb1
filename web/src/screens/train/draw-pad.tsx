// "Draw a digit": a canvas (mouse, pen and touch through pointer events) whose drawing the store
// (draw-store.ts) sends to the trained model while the student draws; the 10 probabilities as bars
// and the drawing as the network sees it. Words and bar labels follow the run's dataset.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { getLocale, t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { DigitCanvas } from '../../ui/digit-canvas';
import type { DatasetName } from '../../worker/protocol';
import { className, datasetText } from '../data/class-names';
import type { DrawStore, Ink } from './draw-store';
import { formatPercent } from './format';

const SIZE = 280;
const LINE_WIDTH = 20;

export function DrawPad({ store, dataset }: { store: DrawStore; dataset: DatasetName }) {
  void pageLocale.value;
  return (
    <div class="draw-panel" data-testid="draw-panel">
      <h3>{datasetText('draw.title', dataset)}</h3>
      <p class="muted">{datasetText('draw.hint', dataset)}</p>
      <div class="draw-row">
        <div>
          <DrawingCanvas store={store} />
          <div class="buttons">
            <button type="button" data-testid="draw-clear" onClick={() => store.clear()}>
              {t('draw.clear')}
            </button>
          </div>
        </div>
        <Prediction store={store} dataset={dataset} />
        <SeenInput store={store} />
      </div>
    </div>
  );
}

type Point = { x: number; y: number };

/** The leaf widget: a canvas painted by the student's strokes, blanked whenever the store clears. */
function DrawingCanvas({ store }: { store: DrawStore }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const clears = store.clears.value;
  useLayoutEffect(() => {
    const context = ref.current?.getContext('2d', { willReadFrequently: true });
    if (!context) return;
    context.fillStyle = '#000';
    context.fillRect(0, 0, SIZE, SIZE);
  }, [clears]);

  useLayoutEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d', { willReadFrequently: true });
    if (!canvas || !context) return;
    let last: Point | undefined;
    const readInk = (): Ink => {
      const { data } = context.getImageData(0, 0, SIZE, SIZE);
      const pixels = new Uint8Array(SIZE * SIZE);
      for (let i = 0; i < pixels.length; i++) pixels[i] = data[4 * i]!;
      return { pixels, width: SIZE, height: SIZE };
    };
    const point = (event: PointerEvent): Point => {
      const rect = canvas.getBoundingClientRect();
      return { x: ((event.clientX - rect.left) * SIZE) / rect.width, y: ((event.clientY - rect.top) * SIZE) / rect.height };
    };
    const stroke = (from: Point, to: Point) => {
      context.strokeStyle = '#fff';
      context.lineWidth = LINE_WIDTH;
      context.lineCap = 'round';
      context.lineJoin = 'round';
      context.beginPath();
      context.moveTo(from.x, from.y);
      context.lineTo(to.x + 0.01, to.y); // a zero-length path draws nothing
      context.stroke();
      store.drew(readInk);
    };
    const down = (event: PointerEvent) => {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      last = point(event);
      stroke(last, last);
    };
    const move = (event: PointerEvent) => {
      if (!last) return;
      const p = point(event);
      stroke(last, p);
      last = p;
    };
    const end = () => {
      if (!last) return;
      last = undefined;
      store.drew(readInk);
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    return () => {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', end);
      canvas.removeEventListener('pointercancel', end);
    };
  }, [store]);

  return <canvas ref={ref} width={SIZE} height={SIZE} class="draw-canvas" data-testid="draw-canvas" />;
}

/** The probabilities as bars, the most likely class in bold; data-busy and data-digit for tests. */
function Prediction({ store, dataset }: { store: DrawStore; dataset: DatasetName }) {
  void pageLocale.value;
  const probabilities = store.probabilities.value;
  const busy = String(store.busy.value);
  if (!probabilities) {
    return (
      <div class="prediction" data-testid="prediction" data-busy={busy} aria-live="polite">
        <p class="muted">{datasetText('draw.empty', dataset)}</p>
      </div>
    );
  }
  const locale = getLocale();
  const best = probabilities.reduce((bi, p, i, all) => (p > all[bi]! ? i : bi), 0);
  return (
    <div class="prediction" data-testid="prediction" data-busy={busy} data-digit={best} data-sum={probabilities.reduce((a, b) => a + b, 0)} aria-live="polite">
      <p class="prediction-text">{tf('draw.prediction', { digit: className(dataset, best), confidence: formatPercent(probabilities[best]!, locale) })}</p>
      <ol class="bars" start={0}>
        {probabilities.map((p, digit) => (
          <li key={digit} class={digit === best ? 'best' : undefined} data-digit={digit} data-probability={p}>
            <span class="bar-label">{className(dataset, digit)}</span>
            <span class="bar">
              <span class="bar-fill" style={{ width: `${(p * 100).toFixed(1)}%` }} />
            </span>
            <span class="bar-value">{formatPercent(p, locale)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The drawing made MNIST-like: what the model was given. */
function SeenInput({ store }: { store: DrawStore }) {
  void pageLocale.value;
  const input = store.input.value;
  return (
    <div class="draw-input">
      {input && (
        <>
          <p class="muted">{t('draw.input')}</p>
          <DigitCanvas pixels={input} />
        </>
      )}
    </div>
  );
}
