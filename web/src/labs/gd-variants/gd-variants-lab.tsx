// Lab: batch, stochastic and mini-batch gradient descent (course: "Stochastic, Mini-batch y
// Batch"). The same network, points and seed trained with mini-batches of 1, 32, 256 and m;
// J after each epoch against epochs and against seconds, and the decay α = c1 / (t + c2).
import { useMemo, useState } from 'preact/hooks';
import { t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatFixed, formatSignificant } from '../../ui/format';
import type { LineChartOptions } from '../../ui/line-chart';
import { LineChartView } from '../../ui/line-chart-view';
import type { LabContext, LabDefinition } from '../shared/lab';
import { Checkbox, LabPage, Note, NumberInput, Slider, useLabResult } from '../shared/lab-view';
import { mergeSeries } from '../shared/merge-series';
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

const batchLabel = (batch: number) => (batch >= POINTS ? `m = ${POINTS}` : `${batch}`);

function chartOptions(x: 'epoch' | 'time'): LineChartOptions {
  return {
    title: x === 'epoch' ? t('labs.gd.byEpoch') : t('labs.gd.byTime'),
    xLabel: x === 'epoch' ? t('labs.gd.epoch') : t('labs.gd.seconds'),
    yLabel: 'J',
    series: BATCHES.map((batch, i) => ({ label: tf('labs.gd.batch', { size: batchLabel(batch) }), color: COLORS[i]!, points: x === 'epoch', spanGaps: x === 'time' })),
    height: 240,
    integerX: x === 'epoch',
    testId: `lab-gd-${x}`,
  };
}

function GdVariantsLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  const [epochs, setEpochs] = useState(GD_VARIANTS_DEFAULTS.epochs);
  const [learningRate, setLearningRate] = useState(GD_VARIANTS_DEFAULTS.learningRate);
  const [decay, setDecay] = useState(GD_VARIANTS_DEFAULTS.decay);
  const [c1, setC1] = useState(GD_VARIANTS_DEFAULTS.c1);
  const [c2, setC2] = useState(GD_VARIANTS_DEFAULTS.c2);
  const [seed, setSeed] = useState(GD_VARIANTS_DEFAULTS.seed);
  const { result, error } = useLabResult(client, 'gd-variants', {
    lab: 'gdVariants',
    points: { kind: 'circles', count: POINTS, noise: GD_VARIANTS_DEFAULTS.noise, seed },
    hidden: GD_VARIANTS_DEFAULTS.hidden,
    batchSizes: BATCHES,
    epochs,
    learningRate,
    schedule: { kind: decay ? 'inverse_time' : 'constant', c1, c2, gamma: 0.5, step_size: 1000 },
    seed,
  });
  const runs = result?.runs ?? [];
  const byTime = useMemo(() => mergeSeries(runs.map((run) => ({ x: run.seconds, y: run.loss }))), [result]);
  const byEpoch = useMemo(() => ({ x: runs[0]?.loss.map((_, e) => e) ?? [], ys: runs.map((run) => run.loss) }), [result]);
  return (
    <LabPage name="gd-variants" ready={result !== undefined} error={error}>
      <Note text="labs.gd-variants.formulas" />
      <div class="lab-controls">
        <Slider label={t('labs.gd.epochs')} min={1} max={40} step={1} value={epochs} testId="lab-gd-epochs" onInput={setEpochs} />
        <Slider label="α" min={0.001} max={1} step={0.01} log value={learningRate} testId="lab-gd-alpha" format={(v) => formatSignificant(v, 3)} onInput={setLearningRate} />
        <Checkbox label={t('labs.gd.decay')} checked={decay} testId="lab-gd-decay" onChange={setDecay} />
        <NumberInput label="c1" value={c1} testId="lab-gd-c1" onChange={setC1} />
        <NumberInput label="c2" value={c2} testId="lab-gd-c2" onChange={setC2} />
        <NumberInput label={t('labs.seed')} value={seed} step={1} testId="lab-gd-seed" onChange={(v) => setSeed(Math.trunc(v))} />
      </div>
      <p class="muted">{tf('labs.gd.setup', { m: POINTS })}</p>
      <div class="lab-row">
        <LineChartView options={chartOptions('epoch')} x={byEpoch.x} ys={byEpoch.ys} />
        <LineChartView options={chartOptions('time')} x={byTime.x} ys={byTime.ys} />
      </div>
      <table class="lab-table" data-testid="lab-output">
        {result ? (
          <>
            <tr>
              <th>{t('labs.gd.batchSize')}</th>
              <th>{t('labs.gd.finalLoss')}</th>
              <th>{t('labs.gd.seconds')}</th>
              <th>{t('labs.gd.finalRate')}</th>
            </tr>
            {runs.map((run) => (
              <tr key={run.batchSize}>
                <td>{batchLabel(run.batchSize)}</td>
                <td>{formatFixed(run.loss.at(-1)!, 4)}</td>
                <td>{formatFixed(run.seconds.at(-1)!, 3)}</td>
                <td>{formatSignificant(run.learningRate.at(-1)!, 3)}</td>
              </tr>
            ))}
          </>
        ) : null}
      </table>
    </LabPage>
  );
}

export const gdVariantsLab: LabDefinition = { name: 'gd-variants', View: GdVariantsLab };
