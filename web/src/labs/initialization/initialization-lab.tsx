// Lab: weight initialisation (course: "Inicialización de los pesos"). x ~ N(0, 1) through a deep
// dense network before any training; the histogram of every a^[l] for small random, Xavier and
// He initialisation, with tanh or ReLU. The statistics come from the engine's own forward pass.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t, tf, type MessageKey } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatSignificant } from '../../ui/format';
import { BarChart } from '../shared/bar-chart';
import type { LabContext, LabDefinition } from '../shared/lab';
import { LabPage, Note, NumberInput, Select, Slider, useLabResult } from '../shared/lab-view';
import LAB_DEFAULTS from '../defaults.json';

const INITS = ['normal_small', 'xavier_normal', 'he_normal'] as const;

/** One layer's histogram (a canvas: a leaf widget, drawn after each render). */
function LayerHistogram({ index, histogram, stddev }: { index: number; histogram: number[]; stddev: number }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const chart = new BarChart(`lab-initialization-histogram-${index}`, 180, 110);
    chart.draw({ values: histogram, range: [0, Math.max(...histogram)], title: `a^[${index}]  σ = ${formatSignificant(stddev, 2)}` });
    host.current?.replaceChildren(chart.element);
  }, [index, histogram, stddev]);
  return <div class="mount" ref={host} />;
}

function InitializationLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  const { width, samples, bins } = LAB_DEFAULTS.initialization; // labs/defaults.json
  const [init, setInit] = useState(LAB_DEFAULTS.initialization.init);
  const [activation, setActivation] = useState(LAB_DEFAULTS.initialization.activation);
  const [layers, setLayers] = useState(LAB_DEFAULTS.initialization.layers);
  const [seed, setSeed] = useState(LAB_DEFAULTS.initialization.seed);
  const { result, error } = useLabResult(client, 'initialization', { lab: 'initialization', config: { init, activation, layers, width, samples, bins, seed } });
  const significant = (value: number) => formatSignificant(value, 3);
  return (
    <LabPage name="initialization" ready={result !== undefined} error={error}>
      <Note text="labs.initialization.formulas" />
      <div class="lab-controls">
        <Select
          label={t('labs.initialization.init')}
          value={init}
          options={INITS.map((name) => ({ value: name, label: t(`labs.initialization.${name}` as MessageKey) }))}
          testId="lab-initialization-init"
          onChange={setInit}
        />
        <Select label={t('labs.activation')} value={activation} options={['tanh', 'relu'].map((a) => ({ value: a, label: a }))} testId="lab-initialization-activation" onChange={setActivation} />
        <Slider label={t('labs.hiddenLayers')} min={1} max={20} step={1} value={layers} testId="lab-initialization-layers" onInput={setLayers} />
        <NumberInput label={t('labs.seed')} value={seed} step={1} testId="lab-initialization-seed" onChange={(v) => setSeed(Math.trunc(v))} />
      </div>
      <p class="muted">{tf('labs.initialization.setup', { width, samples })}</p>
      <div class="lab-row">
        <div class="lab-histograms">
          {result?.layers.map((layer, l) => (
            <figure key={l}>
              <LayerHistogram index={l + 1} histogram={layer.histogram} stddev={layer.stddev} />
              <figcaption class="muted">{`[${formatSignificant(layer.min, 2)}, ${formatSignificant(layer.max, 2)}]`}</figcaption>
            </figure>
          ))}
        </div>
        <table class="lab-table" data-testid="lab-output">
          {result ? (
            <>
              <tr>
                <th>l</th>
                <th>{t('labs.initialization.mean')}</th>
                <th>σ(a^[l])</th>
              </tr>
              {result.layers.map((layer, l) => (
                <tr key={l}>
                  <td>{String(l + 1)}</td>
                  <td>{significant(layer.mean)}</td>
                  <td>{significant(layer.stddev)}</td>
                </tr>
              ))}
            </>
          ) : null}
        </table>
      </div>
    </LabPage>
  );
}

export const initializationLab: LabDefinition = { name: 'initialization', View: InitializationLab };
