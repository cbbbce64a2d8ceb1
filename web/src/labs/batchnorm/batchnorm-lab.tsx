// Lab: batch normalisation (course: "Batch normalization"). The same deep network trained with
// and without batch norm between each hidden dense layer and its activation, J side by side, and
// the running mean and variance the engine keeps for a chosen unit (used in eval mode).
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatFixed, formatSignificant } from '../../ui/format';
import type { LineChartOptions } from '../../ui/line-chart';
import { LineChartView } from '../../ui/line-chart-view';
import type { LabContext, LabDefinition } from '../shared/lab';
import { LabPage, Note, Select, Slider, useNetworkSession } from '../shared/lab-view';
import { mergeSeries } from '../shared/merge-series';
import { networkConfig } from '../shared/network';
import type { NetworkSnapshot, PointsSource } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const OPENING = LAB_DEFAULTS.batchnorm; // labs/defaults.json
const UNITS = OPENING.units;
const DATA = OPENING.data as PointsSource;

/** A curve that restarts when its run does (a snapshot at step 0). */
interface Curve {
  x: number[];
  y: number[];
}

function lossOptions(): LineChartOptions {
  return {
    title: t('labs.batchnorm.lossChart'),
    xLabel: t('labs.steps'),
    yLabel: 'J',
    series: [
      { label: t('labs.batchnorm.without'), color: '#e03131', spanGaps: true },
      { label: t('labs.batchnorm.with'), color: '#1c7ed6', spanGaps: true },
    ],
    height: 240,
    testId: 'lab-batchnorm-loss',
  };
}

function runningOptions(layer: number, unit: number): LineChartOptions {
  return {
    title: tf('labs.batchnorm.runningChart', { layer: layer + 1, unit }),
    xLabel: t('labs.steps'),
    yLabel: 'μ, σ²',
    series: [
      { label: 'μ (running)', color: '#2f9e44' },
      { label: 'σ² (running)', color: '#7048e8' },
    ],
    height: 240,
    testId: 'lab-batchnorm-running',
  };
}

function BatchnormLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  const [activation, setActivation] = useState(OPENING.activation);
  const [depth, setDepth] = useState(OPENING.depth);
  const [learningRate, setLearningRate] = useState(OPENING.learningRate);
  const [chosenLayer, setLayer] = useState(0);
  const [unit, setUnit] = useState(0);
  const layer = Math.min(chosenLayer, depth - 1);
  const curves = useRef({ plain: { x: [], y: [] } as Curve, norm: { x: [], y: [] } as Curve, mean: [] as number[], variance: [] as number[], runningX: [] as number[] });
  const record = (key: 'plain' | 'norm') => (snapshot: NetworkSnapshot) => {
    const all = curves.current;
    const step = snapshot.step.steps;
    const restart = step === 0;
    all[key] = restart ? { x: [step], y: [snapshot.step.loss] } : { x: [...all[key].x, step], y: [...all[key].y, snapshot.step.loss] };
    const values = snapshot.batchNormRunning;
    if (key === 'norm') {
      if (restart) all.runningX = all.mean = all.variance = [];
      if (values) {
        all.runningX = [...all.runningX, step];
        all.mean = [...all.mean, values[unit]!];
        all.variance = [...all.variance, values[UNITS + unit]!];
      }
    }
  };
  const plain = useNetworkSession(client, () => ({}), record('plain'));
  const norm = useNetworkSession(client, () => ({ batchNorm: layer }), record('norm'));
  const both = [plain, norm];
  useEffect(() => {
    const settings = { hidden: Array(depth).fill(UNITS), activation, learningRate, batchSize: OPENING.batchSize, seed: OPENING.seed };
    void plain.create(networkConfig(settings), DATA);
    void norm.create(networkConfig({ ...settings, batchNorm: true }), DATA);
  }, [activation, depth, learningRate, layer, unit]);

  const { plain: plainCurve, norm: normCurve, runningX, mean, variance } = curves.current;
  const loss = mergeSeries([plainCurve, normCurve]);
  const running = norm.running;
  const line = (key: 'without' | 'with', snapshot?: NetworkSnapshot) =>
    snapshot ? <p>{tf('labs.batchnorm.status', { name: t(`labs.batchnorm.${key}`), step: snapshot.step.steps, loss: formatFixed(snapshot.step.loss, 4), accuracy: formatFixed(snapshot.step.accuracy * 100, 1) })}</p> : null;
  const values = norm.snapshot?.batchNormRunning;
  return (
    <LabPage name="batchnorm" ready={plain.snapshot !== undefined || norm.snapshot !== undefined} error={plain.error ?? norm.error}>
      <Note text="labs.batchnorm.formulas" />
      <div class="lab-controls">
        <Select label={t('labs.activation')} value={activation} options={['sigmoid', 'tanh', 'relu'].map((a) => ({ value: a, label: a }))} testId="lab-batchnorm-activation" onChange={setActivation} />
        <Slider label={t('labs.hiddenLayers')} min={1} max={10} step={1} value={depth} testId="lab-batchnorm-depth" onInput={setDepth} />
        <Slider label="α" min={0.001} max={3} step={0.01} log value={learningRate} testId="lab-batchnorm-alpha" format={(v) => formatSignificant(v, 3)} onInput={setLearningRate} />
        <Select
          label={t('labs.batchnorm.layer')}
          value={String(layer)}
          options={Array.from({ length: depth }, (_, l) => ({ value: String(l), label: String(l + 1) }))}
          testId="lab-batchnorm-layer"
          onChange={(value) => setLayer(Number(value))}
        />
        <Slider label={t('labs.batchnorm.unitLabel')} min={0} max={UNITS - 1} step={1} value={unit} testId="lab-batchnorm-unit" onInput={setUnit} />
        <button type="button" data-testid="lab-batchnorm-step" onClick={() => both.forEach((network) => void network.step(10))}>
          {t('labs.step')}
        </button>
        <button type="button" data-testid="lab-batchnorm-run" onClick={() => both.forEach((network) => (running ? network.stop() : network.run(10)))}>
          {t(running ? 'labs.pause' : 'labs.run')}
        </button>
      </div>
      <p class="muted">{tf('labs.batchnorm.setup', { units: UNITS })}</p>
      <div class="lab-row">
        <LineChartView options={lossOptions()} x={loss.x} ys={loss.ys} />
        <LineChartView options={runningOptions(layer, unit)} x={runningX} ys={[mean, variance]} />
      </div>
      <div class="lab-readout" data-testid="lab-output">
        {line('without', plain.snapshot)}
        {line('with', norm.snapshot)}
        {values ? <p class="lab-update">{tf('labs.batchnorm.unit', { layer: layer + 1, unit, mean: formatSignificant(values[unit]!, 4), variance: formatSignificant(values[UNITS + unit]!, 4) })}</p> : null}
      </div>
    </LabPage>
  );
}

export const batchnormLab: LabDefinition = { name: 'batchnorm', View: BatchnormLab };
