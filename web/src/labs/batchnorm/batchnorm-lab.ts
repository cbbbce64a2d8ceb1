// Lab: batch normalisation (course: "Batch normalization"). The same deep network trained with
// and without batch norm between each hidden dense layer and its activation, J side by side, and
// the running mean and variance the engine keeps for a chosen unit (used in eval mode).
import { t, tf } from '../../i18n';
import { h } from '../../ui/dom';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import { button, fixed, select, significant, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import { mergeSeries } from '../shared/merge-series';
import { NetworkSession, networkConfig } from '../shared/network';
import type { NetworkSnapshot, PointsSource } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const OPENING = LAB_DEFAULTS.batchnorm; // labs/defaults.json
const UNITS = OPENING.units;
const DATA = OPENING.data as PointsSource;

export const batchnormLab: LabDefinition = {
  name: 'batchnorm',
  create({ client }) {
    let { activation, depth, learningRate } = OPENING;
    let layer = 0;
    let unit = 0;
    const curves = { plain: { x: [] as number[], y: [] as number[] }, norm: { x: [] as number[], y: [] as number[] } };
    const running = { x: [] as number[], mean: [] as number[], variance: [] as number[] };
    const latest: { plain?: NetworkSnapshot; norm?: NetworkSnapshot } = {};

    const lossOptions = (): LineChartOptions => ({
      title: t('labs.batchnorm.lossChart'),
      xLabel: t('labs.steps'),
      yLabel: 'J',
      series: [
        { label: t('labs.batchnorm.without'), color: '#e03131', spanGaps: true },
        { label: t('labs.batchnorm.with'), color: '#1c7ed6', spanGaps: true },
      ],
      height: 240,
      testId: 'lab-batchnorm-loss',
    });
    const runningOptions = (): LineChartOptions => ({
      title: tf('labs.batchnorm.runningChart', { layer: layer + 1, unit }),
      xLabel: t('labs.steps'),
      yLabel: 'μ, σ²',
      series: [
        { label: 'μ (running)', color: '#2f9e44' },
        { label: 'σ² (running)', color: '#7048e8' },
      ],
      height: 240,
      testId: 'lab-batchnorm-running',
    });
    const lossChart = new LineChart(lossOptions());
    const runningChart = new LineChart(runningOptions());
    const readout = h('div', { class: 'lab-readout', 'data-testid': 'lab-output' });

    const redraw = () => {
      const merged = mergeSeries([curves.plain, curves.norm]);
      lossChart.setData(merged.x, merged.ys);
      runningChart.setData(running.x, [running.mean, running.variance]);
      const line = (key: 'without' | 'with', snapshot?: NetworkSnapshot) =>
        snapshot ? h('p', {}, tf('labs.batchnorm.status', { name: t(`labs.batchnorm.${key}`), step: snapshot.step.steps, loss: fixed(snapshot.step.loss, 4), accuracy: fixed(snapshot.step.accuracy * 100, 1) })) : '';
      const values = latest.norm?.batchNormRunning;
      readout.replaceChildren(
        line('without', latest.plain),
        line('with', latest.norm),
        values ? h('p', { class: 'lab-update' }, tf('labs.batchnorm.unit', { layer: layer + 1, unit, mean: significant(values[unit]!, 4), variance: significant(values[UNITS + unit]!, 4) })) : '',
      );
      frame.ready();
    };
    const record = (key: 'plain' | 'norm') => (snapshot: NetworkSnapshot) => {
      const curve = curves[key];
      if (snapshot.step.steps === 0) {
        curve.x.length = 0;
        curve.y.length = 0;
        if (key === 'norm') running.x.length = running.mean.length = running.variance.length = 0;
      }
      curve.x.push(snapshot.step.steps);
      curve.y.push(snapshot.step.loss);
      latest[key] = snapshot;
      const values = snapshot.batchNormRunning;
      if (key === 'norm' && values) {
        running.x.push(snapshot.step.steps);
        running.mean.push(values[unit]!);
        running.variance.push(values[UNITS + unit]!);
      }
      redraw();
    };
    const plain = new NetworkSession(client, () => ({}), record('plain'), (e) => frame.showError(e));
    const norm = new NetworkSession(client, () => ({ batchNorm: layer }), record('norm'), (e) => frame.showError(e));
    const sessions = [plain, norm];

    const rebuild = async () => {
      runButton.textContent = t('labs.run');
      const settings = { hidden: Array(depth).fill(UNITS), activation, learningRate, batchSize: OPENING.batchSize, seed: OPENING.seed };
      await Promise.all([plain.create(networkConfig(settings), DATA), norm.create(networkConfig({ ...settings, batchNorm: true }), DATA)]);
    };
    const runButton = button(t('labs.run'), 'lab-batchnorm-run', () => {
      const running = norm.isRunning;
      for (const session of sessions) {
        if (running) session.stop();
        else void session.run(10);
      }
      runButton.textContent = running ? t('labs.run') : t('labs.pause');
    });
    const layerHolder = h('span', {});
    const renderLayerSelect = () => {
      layer = Math.min(layer, depth - 1);
      layerHolder.replaceChildren(
        select({
          label: t('labs.batchnorm.layer'),
          value: String(layer),
          options: Array.from({ length: depth }, (_, l) => ({ value: String(l), label: String(l + 1) })),
          testId: 'lab-batchnorm-layer',
          onChange: (value) => {
            layer = Number(value);
            runningChart.relabel(runningOptions());
            void rebuild();
          },
        }),
      );
    };

    const frame = new LabFrame(
      'batchnorm',
      note('labs.batchnorm.formulas'),
      h(
        'div',
        { class: 'lab-controls' },
        select({
          label: t('labs.activation'),
          value: activation,
          options: ['sigmoid', 'tanh', 'relu'].map((a) => ({ value: a, label: a })),
          testId: 'lab-batchnorm-activation',
          onChange: (value) => ((activation = value), void rebuild()),
        }),
        slider({
          label: t('labs.hiddenLayers'),
          min: 1,
          max: 10,
          step: 1,
          value: depth,
          testId: 'lab-batchnorm-depth',
          onInput: (v) => {
            depth = v;
            renderLayerSelect();
            void rebuild();
          },
        }),
        slider({ label: 'α', min: 0.001, max: 3, step: 0.01, log: true, value: learningRate, testId: 'lab-batchnorm-alpha', format: (v) => significant(v), onInput: (v) => ((learningRate = v), void rebuild()) }),
        layerHolder,
        slider({
          label: t('labs.batchnorm.unitLabel'),
          min: 0,
          max: UNITS - 1,
          step: 1,
          value: unit,
          testId: 'lab-batchnorm-unit',
          onInput: (v) => {
            unit = v;
            runningChart.relabel(runningOptions());
            void rebuild();
          },
        }),
        button(t('labs.step'), 'lab-batchnorm-step', () => sessions.forEach((s) => void s.step(10))),
        runButton,
      ),
      h('p', { class: 'muted' }, tf('labs.batchnorm.setup', { units: UNITS })),
      h('div', { class: 'lab-row' }, lossChart.element, runningChart.element),
      readout,
    );
    renderLayerSelect();
    void rebuild();
    return {
      element: frame.element,
      dispose() {
        for (const session of sessions) session.dispose();
        lossChart.destroy();
        runningChart.destroy();
      },
    };
  },
};
