// Lab: activation functions (course: "¿Qué función de activación elegir?", "The dying ReLU
// problem"). Three parts: g(z) and g'(z) from the engine's activations; a deep network trained
// live with ‖dW^[l]‖ per layer (vanishing gradients); dead ReLU units per layer as α or b^[l] change.
import { useEffect, useState } from 'preact/hooks';
import { t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatFixed, formatSignificant } from '../../ui/format';
import { LineChartView } from '../../ui/line-chart-view';
import { Mount } from '../../ui/mount';
import { BarChart } from '../shared/bar-chart';
import type { LabContext, LabDefinition } from '../shared/lab';
import { LabPage, Note, Select, Slider, useLabResult, useNetworkSession, useWidget } from '../shared/lab-view';
import { networkConfig } from '../shared/network';
import type { PointsSource } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const CURVES = ['sigmoid', 'tanh', 'relu', 'leaky_relu'] as const;
const CURVE_COLORS = ['#e03131', '#2f9e44', '#1c7ed6', '#f08c00'];
const SERIES = CURVES.map((name, i) => ({ label: name, color: CURVE_COLORS[i]! }));
const VANISHING = LAB_DEFAULTS.activations; // labs/defaults.json
const DATA = VANISHING.data as PointsSource;

function ActivationsLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  // ---- g(z) and g'(z) ----
  const [slope, setSlope] = useState(0.01);
  const curves = useLabResult(client, 'activations-curves', { lab: 'activationCurves', names: [...CURVES], from: -5, to: 5, points: 201, slope });
  const shown = curves.result?.curves;
  const z = shown?.[0]?.z ?? [];

  // ---- vanishing gradients ----
  const [activation, setActivation] = useState(VANISHING.activation);
  const [depth, setDepth] = useState(VANISHING.depth);
  const vanishing = useNetworkSession(client, () => ({ gradientNorms: true }));
  useEffect(() => {
    const config = networkConfig({ hidden: Array(depth).fill(VANISHING.units), activation, learningRate: VANISHING.learningRate, batchSize: VANISHING.batchSize, seed: VANISHING.seed });
    void vanishing.create(config, DATA).then(() => vanishing.step(1)); // one step so that dW exists
  }, [activation, depth]);
  const norms = vanishing.snapshot?.gradientNorms ?? [];
  const normsChart = useWidget(() => new BarChart('lab-activations-norms', 360, 160));
  useEffect(() => {
    if (vanishing.snapshot) normsChart.draw({ values: norms, labels: norms.map((_, l) => String(l + 1)), log: true, title: '‖dW^[l]‖ (log)' });
  }, [normsChart, vanishing.snapshot]);

  // ---- dying ReLU ----
  const [deadRate, setDeadRate] = useState(0.01);
  const [deadBias, setDeadBias] = useState(0);
  const dead = useLabResult(client, 'activations-dead', {
    lab: 'deadUnits',
    config: networkConfig({ hidden: [32, 32, 32], activation: 'relu', learningRate: deadRate, batchSize: 32, seed: 2, bias: deadBias }),
    points: { kind: 'blobs', count: 200, noise: 0.2, seed: 2 },
    steps: 200,
    bins: 10,
  });
  const deadChart = useWidget(() => new BarChart('lab-activations-dead', 360, 140));
  const after = dead.result?.after.map((s) => s.dead_fraction);
  useEffect(() => {
    if (after) deadChart.draw({ values: after, labels: after.map((_, l) => String(l + 1)), range: [0, 1], color: '#c92a2a', title: t('labs.activations.deadChart') });
  }, [deadChart, dead.result, pageLocale.value]);
  const percents = (fractions: number[]) => fractions.map((f) => `${Math.round(f * 100)} %`).join(', ');

  return (
    <LabPage name="activations" ready={curves.result !== undefined} error={curves.error ?? vanishing.error ?? dead.error}>
      <h3>{t('labs.activations.curves')}</h3>
      <Note text="labs.activations.curvesNote" />
      <div class="lab-controls">
        <Slider label={t('labs.activations.slope')} min={0} max={0.3} step={0.01} value={slope} testId="lab-activations-slope" onInput={setSlope} />
      </div>
      <div class="lab-row">
        <LineChartView options={{ title: 'g(z)', xLabel: 'z', yLabel: 'g(z)', series: SERIES, height: 220, testId: 'lab-activations-values' }} x={z} ys={shown?.map((c) => c.value) ?? []} />
        <LineChartView options={{ title: "g'(z)", xLabel: 'z', yLabel: "g'(z)", series: SERIES, height: 220, testId: 'lab-activations-derivatives' }} x={z} ys={shown?.map((c) => c.derivative) ?? []} />
      </div>
      <p class="lab-result" data-testid="lab-output">
        {shown
          ? tf('labs.activations.maxima', {
              values: shown.map((c, i) => `${CURVES[i]} ${formatFixed(Math.max(...c.derivative), 3)}`).join(', '),
              leaky: formatFixed(shown[3]!.value[0]!, 3),
            })
          : ''}
      </p>
      <h3>{t('labs.activations.vanishing')}</h3>
      <Note text="labs.activations.vanishingNote" />
      <div class="lab-controls">
        <Select label={t('labs.activation')} value={activation} options={['sigmoid', 'tanh', 'relu'].map((a) => ({ value: a, label: a }))} testId="lab-activations-activation" onChange={setActivation} />
        <Slider label={t('labs.hiddenLayers')} min={2} max={16} step={1} value={depth} testId="lab-activations-depth" onInput={setDepth} />
        <button type="button" data-testid="lab-activations-run" onClick={() => (vanishing.running ? vanishing.stop() : vanishing.run(5))}>
          {t(vanishing.running ? 'labs.pause' : 'labs.run')}
        </button>
      </div>
      <Mount node={normsChart.element} />
      <p class="lab-result" data-testid="lab-activations-norms-text">
        {vanishing.snapshot
          ? tf('labs.activations.normsLine', {
              step: vanishing.snapshot.step.steps,
              loss: formatFixed(vanishing.snapshot.step.loss, 4),
              first: formatSignificant(norms[0] ?? 0, 3),
              last: formatSignificant(norms.at(-1) ?? 0, 3),
            })
          : ''}
      </p>
      <h3>{t('labs.activations.dying')}</h3>
      <Note text="labs.activations.dyingNote" />
      <div class="lab-controls">
        <Slider label="α" min={0.001} max={10} step={0.01} log value={deadRate} testId="lab-activations-dead-rate" format={(v) => formatSignificant(v, 3)} onInput={setDeadRate} />
        <Slider label={t('labs.activations.bias')} min={-5} max={1} step={0.1} value={deadBias} testId="lab-activations-dead-bias" format={(v) => formatFixed(v, 1)} onInput={setDeadBias} />
      </div>
      <Mount node={deadChart.element} />
      <p class="lab-result" data-testid="lab-activations-dead-text">
        {dead.result ? tf('labs.activations.deadLine', { before: percents(dead.result.before.map((s) => s.dead_fraction)), after: percents(after!), loss: formatFixed(dead.result.step.loss, 4) }) : ''}
      </p>
    </LabPage>
  );
}

export const activationsLab: LabDefinition = { name: 'activations', View: ActivationsLab };
