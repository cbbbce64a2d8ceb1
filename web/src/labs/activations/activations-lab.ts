// Lab: activation functions (course: "¿Qué función de activación elegir?", "The dying ReLU
// problem"). Three parts: g(z) and g'(z) from the engine's activations; a deep network trained
// live with ‖dW^[l]‖ per layer (vanishing gradients); dead ReLU units per layer as α or b^[l] change.
import { t, tf } from '../../i18n';
import { h } from '../../ui/dom';
import { LineChart } from '../../ui/line-chart';
import { BarChart } from '../shared/bar-chart';
import { button, fixed, select, significant, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import { NetworkSession, networkConfig } from '../shared/network';
import type { LabResultOf, NetworkSnapshot, PointsSource } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const CURVES = ['sigmoid', 'tanh', 'relu', 'leaky_relu'] as const;
const CURVE_COLORS = ['#e03131', '#2f9e44', '#1c7ed6', '#f08c00'];
const DATA = LAB_DEFAULTS.activations.data as PointsSource;

export const activationsLab: LabDefinition = {
  name: 'activations',
  create({ client }) {
    // ---- g(z) and g'(z) ----
    let slope = 0.01;
    const series = CURVES.map((name, i) => ({ label: name, color: CURVE_COLORS[i]! }));
    const valueChart = new LineChart({ title: 'g(z)', xLabel: 'z', yLabel: 'g(z)', series, height: 220, testId: 'lab-activations-values' });
    const derivativeChart = new LineChart({ title: "g'(z)", xLabel: 'z', yLabel: "g'(z)", series, height: 220, testId: 'lab-activations-derivatives' });
    const maxima = h('p', { class: 'lab-result', 'data-testid': 'lab-output' });
    const showCurves = (result: LabResultOf<'activationCurves'>) => {
      const z = result.curves[0]!.z;
      valueChart.setData(z, result.curves.map((c) => c.value));
      derivativeChart.setData(z, result.curves.map((c) => c.derivative));
      maxima.textContent = tf('labs.activations.maxima', {
        values: result.curves.map((c, i) => `${CURVES[i]} ${fixed(Math.max(...c.derivative), 3)}`).join(', '),
        leaky: fixed(result.curves[3]!.value[0]!, 3),
      });
      frame.ready();
    };
    const updateCurves = () =>
      client.latest('activations-curves', { lab: 'activationCurves', names: [...CURVES], from: -5, to: 5, points: 201, slope }, showCurves, (e) => frame.showError(e));

    // ---- vanishing gradients ----
    const VANISHING = LAB_DEFAULTS.activations; // labs/defaults.json
    let { activation, depth } = VANISHING;
    const normsChart = new BarChart('lab-activations-norms', 360, 160);
    const normsText = h('p', { class: 'lab-result', 'data-testid': 'lab-activations-norms-text' });
    const showNorms = (snapshot: NetworkSnapshot) => {
      const norms = snapshot.gradientNorms ?? [];
      normsChart.draw({ values: norms, labels: norms.map((_, l) => String(l + 1)), log: true, title: '‖dW^[l]‖ (log)' });
      normsText.textContent = tf('labs.activations.normsLine', {
        step: snapshot.step.steps,
        loss: fixed(snapshot.step.loss, 4),
        first: significant(norms[0] ?? 0),
        last: significant(norms[norms.length - 1] ?? 0),
      });
    };
    const vanishing = new NetworkSession(client, () => ({ gradientNorms: true }), showNorms, (e) => frame.showError(e));
    const runButton = button(t('labs.run'), 'lab-activations-run', () => {
      if (vanishing.isRunning) vanishing.stop();
      else void vanishing.run(5);
      runButton.textContent = vanishing.isRunning ? t('labs.pause') : t('labs.run');
    });
    const rebuild = async () => {
      runButton.textContent = t('labs.run');
      await vanishing.create(networkConfig({ hidden: Array(depth).fill(VANISHING.units), activation, learningRate: VANISHING.learningRate, batchSize: VANISHING.batchSize, seed: VANISHING.seed }), DATA);
      await vanishing.step(1); // one step so that dW exists
    };

    // ---- dying ReLU ----
    let deadRate = 0.01;
    let deadBias = 0;
    const deadChart = new BarChart('lab-activations-dead', 360, 140);
    const deadText = h('p', { class: 'lab-result', 'data-testid': 'lab-activations-dead-text' });
    const showDead = (result: LabResultOf<'deadUnits'>) => {
      const before = result.before.map((s) => s.dead_fraction);
      const after = result.after.map((s) => s.dead_fraction);
      deadChart.draw({ values: after, labels: after.map((_, l) => String(l + 1)), range: [0, 1], color: '#c92a2a', title: t('labs.activations.deadChart') });
      deadText.textContent = tf('labs.activations.deadLine', {
        before: before.map((f) => `${Math.round(f * 100)} %`).join(', '),
        after: after.map((f) => `${Math.round(f * 100)} %`).join(', '),
        loss: fixed(result.step.loss, 4),
      });
    };
    const updateDead = () =>
      client.latest(
        'activations-dead',
        {
          lab: 'deadUnits',
          config: networkConfig({ hidden: [32, 32, 32], activation: 'relu', learningRate: deadRate, batchSize: 32, seed: 2, bias: deadBias }),
          points: { kind: 'blobs', count: 200, noise: 0.2, seed: 2 },
          steps: 200,
          bins: 10,
        },
        showDead,
        (e) => frame.showError(e),
      );

    const frame = new LabFrame(
      'activations',
      h('h3', {}, t('labs.activations.curves')),
      note('labs.activations.curvesNote'),
      h('div', { class: 'lab-controls' }, slider({ label: t('labs.activations.slope'), min: 0, max: 0.3, step: 0.01, value: slope, testId: 'lab-activations-slope', onInput: (v) => ((slope = v), updateCurves()) })),
      h('div', { class: 'lab-row' }, valueChart.element, derivativeChart.element),
      maxima,
      h('h3', {}, t('labs.activations.vanishing')),
      note('labs.activations.vanishingNote'),
      h(
        'div',
        { class: 'lab-controls' },
        select({
          label: t('labs.activation'),
          value: activation,
          options: ['sigmoid', 'tanh', 'relu'].map((a) => ({ value: a, label: a })),
          testId: 'lab-activations-activation',
          onChange: (value) => ((activation = value), void rebuild()),
        }),
        slider({ label: t('labs.hiddenLayers'), min: 2, max: 16, step: 1, value: depth, testId: 'lab-activations-depth', onInput: (v) => ((depth = v), void rebuild()) }),
        runButton,
      ),
      normsChart.element,
      normsText,
      h('h3', {}, t('labs.activations.dying')),
      note('labs.activations.dyingNote'),
      h(
        'div',
        { class: 'lab-controls' },
        slider({ label: 'α', min: 0.001, max: 10, step: 0.01, log: true, value: deadRate, testId: 'lab-activations-dead-rate', format: (v) => significant(v), onInput: (v) => ((deadRate = v), updateDead()) }),
        slider({ label: t('labs.activations.bias'), min: -5, max: 1, step: 0.1, value: deadBias, testId: 'lab-activations-dead-bias', format: (v) => fixed(v, 1), onInput: (v) => ((deadBias = v), updateDead()) }),
      ),
      deadChart.element,
      deadText,
    );
    updateCurves();
    void rebuild();
    updateDead();
    return {
      element: frame.element,
      dispose() {
        vanishing.dispose();
        valueChart.destroy();
        derivativeChart.destroy();
      },
    };
  },
};
