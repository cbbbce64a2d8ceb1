// Lab: batch, stochastic and mini-batch gradient descent (course: "Stochastic, Mini-batch y
// Batch"). The same network, points and seed trained with mini-batches of 1, 32, 256 and m;
// J after each epoch against epochs and against seconds, and the decay α = c1 / (t + c2).
import { t, tf } from '../../i18n';
import { h } from '../../ui/dom';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import { checkbox, fixed, numberField, significant, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import { mergeSeries } from '../shared/merge-series';
import type { LabResultOf } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

/** The lab's opening settings (labs/defaults.json, which the native test of the lecture's claim
 *  reads too). Mini-batch 100000 ≥ m is batch gradient descent. α = 0.5 keeps SGD (mini-batch 1)
 *  bouncing around the minimum (final J 0.043, measured) while mini-batches learn fast; c1 and c2
 *  start the decay at that α (c1/c2 = α) and take it about 9× lower over SGD's 15 × 1024 steps, so
 *  switching the decay on lets SGD settle (final J 0.011); with few steps per epoch the larger
 *  mini-batches hardly decay. */
export const GD_VARIANTS_DEFAULTS = LAB_DEFAULTS.gdVariants;
const { batchSizes: BATCHES, points: POINTS } = GD_VARIANTS_DEFAULTS;
const COLORS = ['#e03131', '#2f9e44', '#1c7ed6', '#7048e8'];

export const gdVariantsLab: LabDefinition = {
  name: 'gd-variants',
  create({ client }) {
    let { epochs, learningRate, decay, c1, c2, seed } = GD_VARIANTS_DEFAULTS;

    const label = (batch: number) => (batch >= POINTS ? `m = ${POINTS}` : `${batch}`);
    const options = (x: 'epoch' | 'time'): LineChartOptions => ({
      title: x === 'epoch' ? t('labs.gd.byEpoch') : t('labs.gd.byTime'),
      xLabel: x === 'epoch' ? t('labs.gd.epoch') : t('labs.gd.seconds'),
      yLabel: 'J',
      series: BATCHES.map((batch, i) => ({ label: tf('labs.gd.batch', { size: label(batch) }), color: COLORS[i]!, points: x === 'epoch', spanGaps: x === 'time' })),
      height: 240,
      integerX: x === 'epoch',
      testId: `lab-gd-${x}`,
    });
    const byEpoch = new LineChart(options('epoch'));
    const byTime = new LineChart(options('time'));
    const table = h('table', { class: 'lab-table', 'data-testid': 'lab-output' });

    const show = (result: LabResultOf<'gdVariants'>) => {
      byEpoch.setData(result.runs[0]!.loss.map((_, e) => e), result.runs.map((run) => run.loss));
      const merged = mergeSeries(result.runs.map((run) => ({ x: run.seconds, y: run.loss })));
      byTime.setData(merged.x, merged.ys);
      table.replaceChildren(
        h('tr', {}, h('th', {}, t('labs.gd.batchSize')), h('th', {}, t('labs.gd.finalLoss')), h('th', {}, t('labs.gd.seconds')), h('th', {}, t('labs.gd.finalRate'))),
        ...result.runs.map((run) =>
          h(
            'tr',
            {},
            h('td', {}, label(run.batchSize)),
            h('td', {}, fixed(run.loss[run.loss.length - 1]!, 4)),
            h('td', {}, fixed(run.seconds[run.seconds.length - 1]!, 3)),
            h('td', {}, significant(run.learningRate[run.learningRate.length - 1]!, 3)),
          ),
        ),
      );
      frame.ready();
    };
    const update = () =>
      client.latest(
        'gd-variants',
        {
          lab: 'gdVariants',
          points: { kind: 'circles', count: POINTS, noise: GD_VARIANTS_DEFAULTS.noise, seed },
          hidden: GD_VARIANTS_DEFAULTS.hidden,
          batchSizes: BATCHES,
          epochs,
          learningRate,
          schedule: { kind: decay ? 'inverse_time' : 'constant', c1, c2, gamma: 0.5, step_size: 1000 },
          seed,
        },
        show,
        (e) => frame.showError(e),
      );

    const frame = new LabFrame(
      'gd-variants',
      note('labs.gd-variants.formulas'),
      h(
        'div',
        { class: 'lab-controls' },
        slider({ label: t('labs.gd.epochs'), min: 1, max: 40, step: 1, value: epochs, testId: 'lab-gd-epochs', onInput: (v) => ((epochs = v), update()) }),
        slider({ label: 'α', min: 0.001, max: 1, step: 0.01, log: true, value: learningRate, testId: 'lab-gd-alpha', format: (v) => significant(v), onInput: (v) => ((learningRate = v), update()) }),
        checkbox(t('labs.gd.decay'), decay, 'lab-gd-decay', (on) => ((decay = on), update())),
        numberField({ label: 'c1', value: c1, testId: 'lab-gd-c1', onChange: (v) => ((c1 = v), update()) }),
        numberField({ label: 'c2', value: c2, testId: 'lab-gd-c2', onChange: (v) => ((c2 = v), update()) }),
        numberField({ label: t('labs.seed'), value: seed, step: 1, testId: 'lab-gd-seed', onChange: (v) => ((seed = Math.trunc(v)), update()) }),
      ),
      h('p', { class: 'muted' }, tf('labs.gd.setup', { m: POINTS })),
      h('div', { class: 'lab-row' }, byEpoch.element, byTime.element),
      table,
    );
    update();
    return {
      element: frame.element,
      dispose() {
        byEpoch.destroy();
        byTime.destroy();
      },
    };
  },
};
