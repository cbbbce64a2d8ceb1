// "Inside the network", after a finished run: for one image (a test image, a mistake or the
// student's drawing) every layer's feature maps; the learned convolution filters; and per layer
// the histograms of the weights and of their last gradients, after each epoch. Drawn from the
// inside store (inside-store.ts).
import { useRef, useState } from 'preact/hooks';
import { t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import type { DatasetName } from '../../worker/protocol';
import { className, datasetText } from '../data/class-names';
import { FeatureMaps } from './feature-maps';
import { Filters } from './filters';
import { Histograms } from './histograms';
import type { InsideStore } from './inside-store';

export interface InsidePanelProps {
  store: InsideStore;
  /** The run's dataset, for its class names. */
  dataset: DatasetName;
  /** The drawing pad's current 28 × 28 input, if the student drew something. */
  drawing: () => Uint8Array | undefined;
}

export function InsidePanel({ store, dataset, drawing }: InsidePanelProps) {
  void pageLocale.value;
  return (
    <section class="inside" data-testid="inside-panel" aria-labelledby="inside-title">
      <h3 id="inside-title">{t('inside.title')}</h3>
      <p class="muted">{t('inside.intro')}</p>
      <SourcePicker store={store} dataset={dataset} drawing={drawing} />
      <FeatureMaps store={store} dataset={dataset} />
      <Filters store={store} />
      <Histograms store={store} />
    </section>
  );
}

/** Which image the feature maps are of: a test image by number or at random, a mistake, the drawing. */
function SourcePicker({ store, dataset, drawing }: InsidePanelProps) {
  void pageLocale.value;
  const index = useRef<HTMLInputElement>(null);
  const [noDrawing, setNoDrawing] = useState(false);
  const mistakes = store.mistakes.value;
  const name = (label: number) => className(dataset, label);
  const showDrawing = () => {
    const pixels = drawing();
    setNoDrawing(!pixels);
    if (pixels) store.showPixels(pixels);
  };
  return (
    <div class="inside-source">
      <label class="field" for="inside-index">
        <span>{t('inside.testIndex')}</span>
        <input
          ref={index}
          type="number"
          min={0}
          max={Math.max(0, store.testCount.value - 1)}
          step={1}
          value={store.testIndex.value}
          id="inside-index"
          data-testid="inside-index"
        />
      </label>
      <button type="button" data-testid="inside-show" onClick={() => store.showTest(Math.trunc(Number(index.current?.value ?? 0)))}>
        {t('inside.show')}
      </button>
      <button type="button" data-testid="inside-random" onClick={() => store.showRandomTest()}>
        {t('inside.random')}
      </button>
      <select
        data-testid="inside-mistake"
        aria-label={t('inside.mistake')}
        disabled={mistakes.length === 0}
        onChange={(event) => {
          const { value } = event.currentTarget;
          if (value !== '') store.showTest(Number(value));
        }}
      >
        <option value="">{t('inside.mistake')}</option>
        {mistakes.map((m) => (
          <option key={m.index} value={m.index}>
            {tf('inside.mistakeOption', { index: m.index, label: name(m.label), predicted: name(m.predicted) })}
          </option>
        ))}
      </select>
      <button type="button" data-testid="inside-drawing" title={noDrawing ? datasetText('inside.noDrawing', dataset) : undefined} onClick={showDrawing}>
        {t('inside.drawing')}
      </button>
    </div>
  );
}
