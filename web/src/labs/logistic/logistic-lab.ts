// Lab: logistic regression trained by gradient descent (course: "Logistic regression: Gradient
// descent"). ŷ = σ(W x + b) on 2-D points of two classes (generated, or clicked in); each step
// shows L(y, ŷ), dW, db and the update W = W − α dW, all read back from the engine.
import { t, tf } from '../../i18n';
import { h } from '../../ui/dom';
import { formatVector } from '../../ui/format';
import { LineChart } from '../../ui/line-chart';
import { button, fixed, numberField, select, significant, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import { NetworkSession, networkConfig } from '../shared/network';
import { Plot2D } from '../shared/plot2d';
import type { NetworkProbe, NetworkSnapshot } from '../../worker/protocol';

const WINDOW = { x0: -3, x1: 3, y0: -3, y1: 3 };
const GRID = 41;

export const logisticLab: LabDefinition = {
  name: 'logistic',
  create({ client }) {
    let learningRate = 0.5;
    let noise = 0.3;
    let seed = 1;
    let clickClass = 1;
    let points = { x: [] as number[], labels: [] as number[] };
    let previous: NetworkSnapshot | undefined;
    const losses: number[] = [];
    const stepsAxis: number[] = [];

    const plot = new Plot2D('lab-logistic-plot', 360);
    const lossChart = new LineChart({ title: 'J = 1/m Σ L(y, ŷ)', xLabel: t('labs.steps'), yLabel: 'J', series: [{ label: 'J', color: '#3552c8' }], height: 200, testId: 'lab-logistic-loss' });
    const readout = h('div', { class: 'lab-readout', 'data-testid': 'lab-output' });
    const probe = (): NetworkProbe => ({ grid: { x1Min: WINDOW.x0, x1Max: WINDOW.x1, x2Min: WINDOW.y0, x2Max: WINDOW.y1, columns: GRID, rows: GRID }, parameters: true });

    const show = (snapshot: NetworkSnapshot) => {
      if (snapshot.points) points = { x: [...snapshot.points.x], labels: [...snapshot.points.labels] };
      plot.draw(WINDOW, { field: { values: snapshot.grid ?? [], columns: GRID, rows: GRID }, boundary: true, points });
      if (snapshot.step.steps === 0) {
        losses.length = 0;
        stepsAxis.length = 0;
      }
      if (stepsAxis[stepsAxis.length - 1] !== snapshot.step.steps) {
        stepsAxis.push(snapshot.step.steps);
        losses.push(snapshot.step.loss);
        lossChart.setData(stepsAxis, [losses]);
      }
      const [w, b] = snapshot.parameters?.values ?? [[], []];
      const [dw, db] = snapshot.parameters?.gradients ?? [[], []];
      const before = previous?.parameters?.values[0];
      const vec = (v: number[] | undefined) => (v && v.length ? formatVector(v, 4) : '—');
      readout.replaceChildren(
        h('p', {}, tf('labs.logistic.status', { step: snapshot.step.steps, loss: fixed(snapshot.step.loss, 4), accuracy: fixed(snapshot.step.accuracy * 100, 1) })),
        h('p', {}, `W = ${vec(w)},  b = ${fixed(b?.[0] ?? 0, 4)}`),
        h('p', {}, `dW = ${vec(dw)},  db = ${significant(db?.[0] ?? 0, 4)}`),
        snapshot.step.steps > 0 && before && previous!.step.steps === snapshot.step.steps - 1
          ? h('p', { class: 'lab-update' }, `W = W − α dW:  ${vec(before)} − ${significant(learningRate)} · ${vec(dw)} = ${vec(w)}`)
          : '',
      );
      previous = snapshot;
      frame.ready();
    };
    const session = new NetworkSession(client, probe, show, (e) => frame.showError(e));
    const rebuild = () => {
      previous = undefined;
      runButton.textContent = t('labs.run');
      void session.create(networkConfig({ hidden: [], activation: 'relu', learningRate, batchSize: 100000, seed: 1, init: 'zeros' }), { kind: 'blobs', count: 60, noise, seed });
    };
    const restart = () => {
      // Same points, new weights (e.g. after α changed): create from the current points.
      previous = undefined;
      runButton.textContent = t('labs.run');
      void session.create(networkConfig({ hidden: [], activation: 'relu', learningRate, batchSize: 100000, seed: 1, init: 'zeros' }), { kind: 'given', ...points });
    };
    plot.onClick((x1, x2, shift) => {
      points.x.push(x1, x2);
      points.labels.push(shift ? 1 - clickClass : clickClass);
      void session.setPoints(points.x, points.labels);
    });

    const runButton = button(t('labs.run'), 'lab-logistic-run', () => {
      if (session.isRunning) session.stop();
      else void session.run(1);
      runButton.textContent = session.isRunning ? t('labs.pause') : t('labs.run');
    });
    const frame = new LabFrame(
      'logistic',
      note('labs.logistic.formulas'),
      h(
        'div',
        { class: 'lab-controls' },
        slider({ label: 'α', min: 0.001, max: 10, step: 0.01, log: true, value: learningRate, testId: 'lab-logistic-alpha', format: (v) => significant(v), onInput: (v) => ((learningRate = v), restart()) }),
        slider({ label: t('labs.noise'), min: 0, max: 1.5, step: 0.05, value: noise, testId: 'lab-logistic-noise', format: (v) => fixed(v, 2), onInput: (v) => ((noise = v), rebuild()) }),
        numberField({ label: t('labs.seed'), value: seed, step: 1, testId: 'lab-logistic-seed', onChange: (v) => ((seed = Math.trunc(v)), rebuild()) }),
        select({
          label: t('labs.logistic.clickClass'),
          value: String(clickClass),
          options: [{ value: '0', label: 'y = 0' }, { value: '1', label: 'y = 1' }],
          testId: 'lab-logistic-click-class',
          onChange: (v) => (clickClass = Number(v)),
        }),
        button(t('labs.step'), 'lab-logistic-step', () => void session.step(1)),
        runButton,
        button(t('labs.reset'), 'lab-logistic-reset', restart),
      ),
      note('labs.logistic.clickNote'),
      h('div', { class: 'lab-row' }, plot.element, readout),
      lossChart.element,
    );
    rebuild();
    return {
      element: frame.element,
      dispose() {
        session.dispose();
        lossChart.destroy();
      },
    };
  },
};
