// Lab: why non-linear activations (course: "¿Por qué necesitamos las funciones no lineales?").
// The same deep network with g(z) = z and with ReLU, trained side by side on points that no line
// separates. The linear one is W'x + b' with W' = W^[L]···W^[1]: the engine multiplies the
// trained matrices and checks the product against the network's own output.
import { t, tf, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { formatVector } from '../../ui/format';
import { button, fixed, select, significant, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import { NetworkSession, networkConfig } from '../shared/network';
import { Plot2D } from '../shared/plot2d';
import type { NetworkSnapshot, PointSetKind } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const WINDOW = { x0: -1.5, x1: 1.5, y0: -1.5, y1: 1.5 };
const GRID = 41;

export const nonlinearityLab: LabDefinition = {
  name: 'nonlinearity',
  create({ client }) {
    const OPENING = LAB_DEFAULTS.nonlinearity; // labs/defaults.json
    let data = OPENING.data.kind as PointSetKind;
    let { depth, learningRate } = OPENING;
    const grid = { x1Min: WINDOW.x0, x1Max: WINDOW.x1, x2Min: WINDOW.y0, x2Max: WINDOW.y1, columns: GRID, rows: GRID };

    const panel = (activation: 'linear' | 'relu') => {
      const plot = new Plot2D(`lab-nonlinearity-${activation}-plot`, 300);
      const text = h('div', { class: 'lab-readout', 'data-testid': `lab-nonlinearity-${activation}-text` });
      let points: NetworkSnapshot['points'];
      const show = (snapshot: NetworkSnapshot) => {
        if (snapshot.points) points = snapshot.points;
        plot.draw(WINDOW, { field: { values: snapshot.grid ?? [], columns: GRID, rows: GRID }, boundary: true, points });
        const lines = [tf('labs.nonlinearity.status', { step: snapshot.step.steps, loss: fixed(snapshot.step.loss, 4), accuracy: fixed(snapshot.step.accuracy * 100, 1) })];
        const collapse = snapshot.collapse;
        text.replaceChildren(
          ...lines.map((line) => h('p', {}, line)),
          collapse
            ? h(
                'p',
                { class: 'lab-update' },
                tf('labs.nonlinearity.collapse', {
                  w: formatVector(collapse.weight, 4),
                  b: fixed(collapse.bias, 4),
                  difference: significant(collapse.max_difference, 2),
                }),
              )
            : '',
        );
        frame.ready();
      };
      const session = new NetworkSession(client, () => ({ grid, collapse: activation === 'linear' }), show, (e) => frame.showError(e));
      const element = h('div', { class: 'lab-panel' }, h('h3', {}, t(`labs.nonlinearity.${activation}` as MessageKey)), plot.element, text);
      return { session, element, activation };
    };
    const panels = [panel('linear'), panel('relu')];
    const output = h('p', { class: 'lab-result', 'data-testid': 'lab-output' });

    const rebuild = async () => {
      runButton.textContent = t('labs.run');
      output.textContent = tf('labs.nonlinearity.shape', { layers: depth, units: OPENING.units });
      await Promise.all(
        panels.map((p) =>
          p.session.create(networkConfig({
              hidden: Array(depth).fill(OPENING.units),
              activation: p.activation,
              learningRate,
              batchSize: OPENING.batchSize,
              seed: OPENING.seed,
              optimizer: OPENING.optimizer,
            }),
            { ...OPENING.data, kind: data },
          ),
        ),
      );
    };
    const runButton = button(t('labs.run'), 'lab-nonlinearity-run', () => {
      const running = panels[0]!.session.isRunning;
      for (const p of panels) {
        if (running) p.session.stop();
        else void p.session.run(10, () => false);
      }
      runButton.textContent = running ? t('labs.run') : t('labs.pause');
    });

    const frame = new LabFrame(
      'nonlinearity',
      note('labs.nonlinearity.formula'),
      h(
        'div',
        { class: 'lab-controls' },
        select({
          label: t('labs.data'),
          value: data,
          options: (['circles', 'spiral', 'blobs'] as PointSetKind[]).map((kind) => ({ value: kind, label: t(`labs.data.${kind}` as MessageKey) })),
          testId: 'lab-nonlinearity-data',
          onChange: (value) => ((data = value), void rebuild()),
        }),
        slider({ label: t('labs.hiddenLayers'), min: 1, max: 6, step: 1, value: depth, testId: 'lab-nonlinearity-depth', onInput: (v) => ((depth = v), void rebuild()) }),
        slider({ label: 'α (Adam)', min: 0.001, max: 0.3, step: 0.01, log: true, value: learningRate, testId: 'lab-nonlinearity-alpha', format: (v) => significant(v), onInput: (v) => ((learningRate = v), void rebuild()) }),
        button(t('labs.step'), 'lab-nonlinearity-step', () => panels.forEach((p) => void p.session.step(10))),
        runButton,
      ),
      output,
      h('div', { class: 'lab-row' }, ...panels.map((p) => p.element)),
    );
    void rebuild();
    return {
      element: frame.element,
      dispose() {
        for (const p of panels) p.session.dispose();
      },
    };
  },
};
