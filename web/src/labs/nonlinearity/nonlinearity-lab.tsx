// Lab: why non-linear activations (course: "¿Por qué necesitamos las funciones no lineales?").
// The same deep network with g(z) = z and with ReLU, trained side by side on points that no line
// separates. The linear one is W'x + b' with W' = W^[L]···W^[1]: the engine multiplies the
// trained matrices and checks the product against the network's own output.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tf, type MessageKey } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatFixed, formatSignificant, formatVector } from '../../ui/format';
import { Mount } from '../../ui/mount';
import type { LabContext, LabDefinition } from '../shared/lab';
import type { LabClient } from '../shared/lab-client';
import { LabPage, Note, Select, Slider, useNetworkSession, useWidget } from '../shared/lab-view';
import { networkConfig } from '../shared/network';
import { Plot2D } from '../shared/plot2d';
import type { NetworkSnapshot, PointSetKind } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const WINDOW = { x0: -1.5, x1: 1.5, y0: -1.5, y1: 1.5 };
const GRID = 41;
const PROBE_GRID = { x1Min: WINDOW.x0, x1Max: WINDOW.x1, x2Min: WINDOW.y0, x2Max: WINDOW.y1, columns: GRID, rows: GRID };
const OPENING = LAB_DEFAULTS.nonlinearity; // labs/defaults.json
const DATA_KINDS: PointSetKind[] = ['circles', 'spiral', 'blobs'];

/** One network (linear or ReLU) in the worker, and its panel: decision regions and what it learnt. */
function useNetworkPanel(client: LabClient, activation: 'linear' | 'relu') {
  const points = useRef<NetworkSnapshot['points']>(undefined);
  const network = useNetworkSession(
    client,
    () => ({ grid: PROBE_GRID, collapse: activation === 'linear' }),
    (snapshot) => {
      if (snapshot.points) points.current = snapshot.points;
    },
  );
  const plot = useWidget(() => new Plot2D(`lab-nonlinearity-${activation}-plot`, 300));
  const { snapshot } = network;
  useEffect(() => {
    if (snapshot) plot.draw(WINDOW, { field: { values: snapshot.grid ?? [], columns: GRID, rows: GRID }, boundary: true, points: points.current });
  }, [plot, snapshot]);
  const collapse = snapshot?.collapse;
  const panel = (
    <div class="lab-panel">
      <h3>{t(`labs.nonlinearity.${activation}` as MessageKey)}</h3>
      <Mount node={plot.element} />
      <div class="lab-readout" data-testid={`lab-nonlinearity-${activation}-text`}>
        {snapshot ? <p>{tf('labs.nonlinearity.status', { step: snapshot.step.steps, loss: formatFixed(snapshot.step.loss, 4), accuracy: formatFixed(snapshot.step.accuracy * 100, 1) })}</p> : null}
        {collapse ? (
          <p class="lab-update">
            {tf('labs.nonlinearity.collapse', { w: formatVector(collapse.weight, 4), b: formatFixed(collapse.bias, 4), difference: formatSignificant(collapse.max_difference, 2) })}
          </p>
        ) : null}
      </div>
    </div>
  );
  return { network, panel };
}

function NonlinearityLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  const [data, setData] = useState(OPENING.data.kind as PointSetKind);
  const [depth, setDepth] = useState(OPENING.depth);
  const [learningRate, setLearningRate] = useState(OPENING.learningRate);
  const linear = useNetworkPanel(client, 'linear');
  const relu = useNetworkPanel(client, 'relu');
  const both = [linear.network, relu.network];
  useEffect(() => {
    for (const [network, activation] of [[linear.network, 'linear'], [relu.network, 'relu']] as const) {
      const config = networkConfig({ hidden: Array(depth).fill(OPENING.units), activation, learningRate, batchSize: OPENING.batchSize, seed: OPENING.seed, optimizer: OPENING.optimizer });
      void network.create(config, { ...OPENING.data, kind: data });
    }
  }, [data, depth, learningRate]);
  const running = linear.network.running;
  return (
    <LabPage name="nonlinearity" ready={linear.network.snapshot !== undefined || relu.network.snapshot !== undefined} error={linear.network.error ?? relu.network.error}>
      <Note text="labs.nonlinearity.formula" />
      <div class="lab-controls">
        <Select label={t('labs.data')} value={data} options={DATA_KINDS.map((kind) => ({ value: kind, label: t(`labs.data.${kind}` as MessageKey) }))} testId="lab-nonlinearity-data" onChange={setData} />
        <Slider label={t('labs.hiddenLayers')} min={1} max={6} step={1} value={depth} testId="lab-nonlinearity-depth" onInput={setDepth} />
        <Slider label="α (Adam)" min={0.001} max={0.3} step={0.01} log value={learningRate} testId="lab-nonlinearity-alpha" format={(v) => formatSignificant(v, 3)} onInput={setLearningRate} />
        <button type="button" data-testid="lab-nonlinearity-step" onClick={() => both.forEach((network) => void network.step(10))}>
          {t('labs.step')}
        </button>
        <button type="button" data-testid="lab-nonlinearity-run" onClick={() => both.forEach((network) => (running ? network.stop() : network.run(10)))}>
          {t(running ? 'labs.pause' : 'labs.run')}
        </button>
      </div>
      <p class="lab-result" data-testid="lab-output">
        {tf('labs.nonlinearity.shape', { layers: depth, units: OPENING.units })}
      </p>
      <div class="lab-row">
        {linear.panel}
        {relu.panel}
      </div>
    </LabPage>
  );
}

export const nonlinearityLab: LabDefinition = { name: 'nonlinearity', View: NonlinearityLab };
