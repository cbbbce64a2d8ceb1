// Lab: weight initialisation (course: "Inicialización de los pesos"). x ~ N(0, 1) through a deep
// dense network before any training; the histogram of every a^[l] for small random, Xavier and
// He initialisation, with tanh or ReLU. The statistics come from the engine's own forward pass.
import { t, tf, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { BarChart } from '../shared/bar-chart';
import { numberField, select, significant, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import type { LabResultOf } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const INITS = ['normal_small', 'xavier_normal', 'he_normal'] as const;

export const initializationLab: LabDefinition = {
  name: 'initialization',
  create({ client }) {
    const { width, samples, bins } = LAB_DEFAULTS.initialization; // labs/defaults.json
    let { init, activation, layers, seed } = LAB_DEFAULTS.initialization;
    const grid = h('div', { class: 'lab-histograms' });
    const table = h('table', { class: 'lab-table', 'data-testid': 'lab-output' });

    const show = (result: LabResultOf<'initialization'>) => {
      grid.replaceChildren(
        ...result.layers.map((layer, l) => {
          const chart = new BarChart(`lab-initialization-histogram-${l + 1}`, 180, 110);
          chart.draw({ values: layer.histogram, range: [0, Math.max(...layer.histogram)], title: `a^[${l + 1}]  σ = ${significant(layer.stddev, 2)}` });
          return h('figure', {}, chart.element, h('figcaption', { class: 'muted' }, `[${significant(layer.min, 2)}, ${significant(layer.max, 2)}]`));
        }),
      );
      table.replaceChildren(
        h('tr', {}, h('th', {}, 'l'), h('th', {}, t('labs.initialization.mean')), h('th', {}, 'σ(a^[l])')),
        ...result.layers.map((layer, l) => h('tr', {}, h('td', {}, String(l + 1)), h('td', {}, significant(layer.mean, 3)), h('td', {}, significant(layer.stddev, 3)))),
      );
      frame.ready();
    };
    const update = () =>
      client.latest(
        'initialization',
        { lab: 'initialization', config: { init, activation, layers, width, samples, bins, seed } },
        show,
        (e) => frame.showError(e),
      );

    const frame = new LabFrame(
      'initialization',
      note('labs.initialization.formulas'),
      h(
        'div',
        { class: 'lab-controls' },
        select({
          label: t('labs.initialization.init'),
          value: init,
          options: INITS.map((name) => ({ value: name, label: t(`labs.initialization.${name}` as MessageKey) })),
          testId: 'lab-initialization-init',
          onChange: (v) => ((init = v), update()),
        }),
        select({
          label: t('labs.activation'),
          value: activation,
          options: ['tanh', 'relu'].map((a) => ({ value: a, label: a })),
          testId: 'lab-initialization-activation',
          onChange: (v) => ((activation = v), update()),
        }),
        slider({ label: t('labs.hiddenLayers'), min: 1, max: 20, step: 1, value: layers, testId: 'lab-initialization-layers', onInput: (v) => ((layers = v), update()) }),
        numberField({ label: t('labs.seed'), value: seed, step: 1, testId: 'lab-initialization-seed', onChange: (v) => ((seed = Math.trunc(v)), update()) }),
      ),
      h('p', { class: 'muted' }, tf('labs.initialization.setup', { width: 100, samples: 500 })),
      h('div', { class: 'lab-row' }, grid, table),
    );
    update();
    return { element: frame.element, dispose() {} };
  },
};
