// Lab: logistic regression trained by gradient descent (course: "Logistic regression: Gradient
// descent"). ŷ = σ(W x + b) on 2-D points of two classes (generated, or clicked in); each step
// shows L(y, ŷ), dW, db and the update W = W − α dW, all read back from the engine.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatFixed, formatSignificant, formatVector } from '../../ui/format';
import { LineChartView } from '../../ui/line-chart-view';
import { Mount } from '../../ui/mount';
import type { LabContext, LabDefinition } from '../shared/lab';
import { LabPage, Note, NumberInput, Select, Slider, useNetworkSession, useWidget } from '../shared/lab-view';
import { networkConfig } from '../shared/network';
import { Plot2D } from '../shared/plot2d';
import type { NetworkSnapshot, PointsSource } from '../../worker/protocol';

const WINDOW = { x0: -3, x1: 3, y0: -3, y1: 3 };
const GRID = 41;
const PROBE = { grid: { x1Min: WINDOW.x0, x1Max: WINDOW.x1, x2Min: WINDOW.y0, x2Max: WINDOW.y1, columns: GRID, rows: GRID }, parameters: true };

/** What one snapshot adds to the lab's history: its points, J per step, the step before it (for the update line). */
interface Trace {
  points: { x: number[]; labels: number[] };
  steps: number[];
  losses: number[];
  previous: NetworkSnapshot | undefined;
  current: NetworkSnapshot | undefined;
}

function LogisticLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  const [learningRate, setLearningRate] = useState(0.5);
  const [noise, setNoise] = useState(0.3);
  const [seed, setSeed] = useState(1);
  const [clickClass, setClickClass] = useState(1);
  const trace = useRef<Trace>({ points: { x: [], labels: [] }, steps: [], losses: [], previous: undefined, current: undefined });
  const network = useNetworkSession(client, () => PROBE, (snapshot) => {
    const history = trace.current;
    if (snapshot.points) history.points = { x: [...snapshot.points.x], labels: [...snapshot.points.labels] };
    if (snapshot.step.steps === 0) {
      history.steps = [];
      history.losses = [];
    }
    if (history.steps.at(-1) !== snapshot.step.steps) {
      history.steps = [...history.steps, snapshot.step.steps];
      history.losses = [...history.losses, snapshot.step.loss];
    }
    history.previous = history.current;
    history.current = snapshot;
  });
  const config = () => networkConfig({ hidden: [], activation: 'relu', learningRate, batchSize: 100000, seed: 1, init: 'zeros' });
  const create = (points: PointsSource) => {
    trace.current.current = undefined;
    void network.create(config(), points);
  };
  // New points when the noise or seed change; the same points, new weights when α does (or on reset).
  useEffect(() => create({ kind: 'blobs', count: 60, noise, seed }), [noise, seed]);
  const restart = () => create({ kind: 'given', ...trace.current.points });
  const firstAlpha = useRef(true);
  useEffect(() => {
    if (firstAlpha.current) firstAlpha.current = false;
    else restart();
  }, [learningRate]);

  const plot = useWidget(() => new Plot2D('lab-logistic-plot', 360));
  const clicks = useRef({ clickClass, network });
  clicks.current = { clickClass, network };
  useEffect(() => {
    plot.onClick((x1, x2, shift) => {
      const { points } = trace.current;
      points.x.push(x1, x2);
      points.labels.push(shift ? 1 - clicks.current.clickClass : clicks.current.clickClass);
      void clicks.current.network.setPoints(points.x, points.labels);
    });
  }, [plot]);
  const { snapshot } = network;
  useEffect(() => {
    if (snapshot) plot.draw(WINDOW, { field: { values: snapshot.grid ?? [], columns: GRID, rows: GRID }, boundary: true, points: trace.current.points });
  }, [plot, snapshot]);

  const { previous, steps, losses } = trace.current;
  const [w, b] = snapshot?.parameters?.values ?? [[], []];
  const [dw, db] = snapshot?.parameters?.gradients ?? [[], []];
  const before = previous?.parameters?.values[0];
  const vec = (v: number[] | undefined) => (v && v.length ? formatVector(v, 4) : '—');
  const showsUpdate = snapshot && snapshot.step.steps > 0 && before && previous.step.steps === snapshot.step.steps - 1;
  return (
    <LabPage name="logistic" ready={snapshot !== undefined} error={network.error}>
      <Note text="labs.logistic.formulas" />
      <div class="lab-controls">
        <Slider label="α" min={0.001} max={10} step={0.01} log value={learningRate} testId="lab-logistic-alpha" format={(v) => formatSignificant(v, 3)} onInput={setLearningRate} />
        <Slider label={t('labs.noise')} min={0} max={1.5} step={0.05} value={noise} testId="lab-logistic-noise" format={(v) => formatFixed(v, 2)} onInput={setNoise} />
        <NumberInput label={t('labs.seed')} value={seed} step={1} testId="lab-logistic-seed" onChange={(v) => setSeed(Math.trunc(v))} />
        <Select
          label={t('labs.logistic.clickClass')}
          value={String(clickClass)}
          options={[
            { value: '0', label: 'y = 0' },
            { value: '1', label: 'y = 1' },
          ]}
          testId="lab-logistic-click-class"
          onChange={(v) => setClickClass(Number(v))}
        />
        <button type="button" data-testid="lab-logistic-step" onClick={() => void network.step(1)}>
          {t('labs.step')}
        </button>
        <button type="button" data-testid="lab-logistic-run" onClick={() => (network.running ? network.stop() : network.run(1))}>
          {t(network.running ? 'labs.pause' : 'labs.run')}
        </button>
        <button type="button" data-testid="lab-logistic-reset" onClick={restart}>
          {t('labs.reset')}
        </button>
      </div>
      <Note text="labs.logistic.clickNote" />
      <div class="lab-row">
        <Mount node={plot.element} />
        <div class="lab-readout" data-testid="lab-output">
          {snapshot ? (
            <>
              <p>{tf('labs.logistic.status', { step: snapshot.step.steps, loss: formatFixed(snapshot.step.loss, 4), accuracy: formatFixed(snapshot.step.accuracy * 100, 1) })}</p>
              <p>{`W = ${vec(w)},  b = ${formatFixed(b?.[0] ?? 0, 4)}`}</p>
              <p>{`dW = ${vec(dw)},  db = ${formatSignificant(db?.[0] ?? 0, 4)}`}</p>
              {showsUpdate ? <p class="lab-update">{`W = W − α dW:  ${vec(before)} − ${formatSignificant(learningRate, 3)} · ${vec(dw)} = ${vec(w)}`}</p> : null}
            </>
          ) : null}
        </div>
      </div>
      <LineChartView options={{ title: 'J = 1/m Σ L(y, ŷ)', xLabel: t('labs.steps'), yLabel: 'J', series: [{ label: 'J', color: '#3552c8' }], height: 200, testId: 'lab-logistic-loss' }} x={steps} ys={[losses]} />
    </LabPage>
  );
}

export const logisticLab: LabDefinition = { name: 'logistic', View: LogisticLab };
