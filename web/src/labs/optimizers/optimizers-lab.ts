// Lab: optimisers on 2-D loss surfaces (course: momentum, RMSProp, Adam). The same start, every
// hyper-parameter editable; each path is the engine's own optimiser (engine/optim) stepping a
// two-element W whose gradient the surface gives.
import { t, tf, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { defaultsOf } from '../../engine/settings-registry';
import type { OptimizerConfig, TrainConfig } from '../../engine/types';
import { checkbox, numberField, select, significant, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import { PATH_COLORS, Plot2D } from '../shared/plot2d';
import type { LabResultOf, SurfaceName } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

export type Kind = 'sgd' | 'momentum' | 'rmsprop' | 'adam';
export const KINDS: Kind[] = ['sgd', 'momentum', 'rmsprop', 'adam'];

/** Starting settings per surface (labs/defaults.json, which the native test of the lecture's
 *  claim reads too), chosen so that each optimiser's character shows: on the bowl, plain gradient
 *  descent's α is close to its limit 2/50, so it zig-zags across w2 and crawls along w1, and
 *  momentum, RMSProp and Adam all end lower. */
export const OPTIMIZERS_DEFAULTS = LAB_DEFAULTS.optimizers as {
  surface: SurfaceName;
  beta: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  surfaces: Record<SurfaceName, { start: [number, number]; steps: number; learningRate: Record<Kind, number> }>;
};
const DEFAULTS = OPTIMIZERS_DEFAULTS.surfaces;

/** The optimiser the lab starts `kind` with on `surface`. */
export function defaultOptimizerConfig(surface: SurfaceName, kind: Kind): OptimizerConfig {
  const { beta, beta1, beta2, epsilon } = OPTIMIZERS_DEFAULTS;
  // The engine's defaults for every other field (its registry), the lab's own β, ε and α on top.
  return { ...defaultsOf<TrainConfig>('training').optimizer, kind, learning_rate: DEFAULTS[surface].learningRate[kind], beta, beta1, beta2, epsilon };
}

export const optimizersLab: LabDefinition = {
  name: 'optimizers',
  create({ client }) {
    let surface: SurfaceName = OPTIMIZERS_DEFAULTS.surface;
    let start: [number, number] = [...DEFAULTS[surface].start];
    let steps = DEFAULTS[surface].steps;
    const enabled: Record<Kind, boolean> = { sgd: true, momentum: true, rmsprop: true, adam: true };
    const configs: Record<Kind, OptimizerConfig> = {} as Record<Kind, OptimizerConfig>;
    const resetConfigs = () => {
      for (const kind of KINDS) configs[kind] = defaultOptimizerConfig(surface, kind);
    };
    resetConfigs();

    const plot = new Plot2D('lab-optimizers-plot', 420);
    const table = h('table', { class: 'lab-table', 'data-testid': 'lab-output' });
    const controls = h('div', { class: 'lab-controls' });
    const frame = new LabFrame(
      'optimizers',
      note('labs.optimizers.formulas'),
      controls,
      h('div', { class: 'lab-row' }, plot.element, table),
      note('labs.optimizers.readme'),
    );
    plot.onClick((w1, w2) => {
      start = [Number(w1.toFixed(3)), Number(w2.toFixed(3))];
      renderControls();
      update();
    });

    const hyper = (kind: Kind, field: keyof OptimizerConfig, label: string, min: number, max: number, log: boolean) =>
      slider({
        label,
        min,
        max,
        step: 0.001,
        log,
        value: configs[kind][field] as number,
        testId: `lab-optimizers-${kind}-${field}`,
        format: (v) => significant(v, 3),
        onInput: (value) => {
          (configs[kind][field] as number) = value;
          update();
        },
      });

    const renderControls = () => {
      controls.replaceChildren(
        select({
          label: t('labs.optimizers.surface'),
          value: surface,
          options: (['bowl', 'rosenbrock', 'saddle'] as SurfaceName[]).map((s) => ({ value: s, label: t(`labs.optimizers.surface.${s}` as MessageKey) })),
          testId: 'lab-optimizers-surface',
          onChange: (value) => {
            surface = value;
            start = [...DEFAULTS[surface].start];
            steps = DEFAULTS[surface].steps;
            resetConfigs();
            renderControls();
            update();
          },
        }),
        numberField({ label: 'w1₀', value: start[0], testId: 'lab-optimizers-start1', onChange: (v) => ((start = [v, start[1]]), update()) }),
        numberField({ label: 'w2₀', value: start[1], testId: 'lab-optimizers-start2', onChange: (v) => ((start = [start[0], v]), update()) }),
        slider({ label: t('labs.steps'), min: 1, max: 2000, step: 1, value: steps, testId: 'lab-optimizers-steps', onInput: (v) => ((steps = v), update()) }),
        ...KINDS.map((kind, i) =>
          h(
            'fieldset',
            { class: 'lab-group', style: `border-color: ${PATH_COLORS[i]}` },
            h('legend', {}, checkbox(t(`train.optimizer.${kind}` as MessageKey), enabled[kind], `lab-optimizers-${kind}`, (on) => ((enabled[kind] = on), update()))),
            hyper(kind, 'learning_rate', 'α', 1e-4, 1, true),
            kind === 'momentum' || kind === 'rmsprop' ? hyper(kind, 'beta', 'β', 0, 0.999, false) : null,
            kind === 'adam' ? hyper(kind, 'beta1', 'β1', 0, 0.999, false) : null,
            kind === 'adam' ? hyper(kind, 'beta2', 'β2', 0, 0.9999, false) : null,
            kind === 'rmsprop' || kind === 'adam' ? hyper(kind, 'epsilon', 'ε', 1e-10, 1e-1, true) : null,
          ),
        ),
      );
    };

    const show = (result: LabResultOf<'optimizers'>, kinds: Kind[]) => {
      const { grid } = result;
      plot.draw(
        { x0: grid.w1_min, x1: grid.w1_max, y0: grid.w2_min, y1: grid.w2_max },
        {
          contours: { values: grid.values, columns: grid.columns, rows: grid.rows, levels: 16 },
          paths: result.trajectories.map((path, i) => ({ ...path, color: PATH_COLORS[KINDS.indexOf(kinds[i]!)]!, label: kinds[i]! })),
          marks: [{ x: start[0], y: start[1], color: '#212529' }],
        },
      );
      table.replaceChildren(
        h('tr', {}, h('th', {}, t('labs.optimizers.optimizer')), h('th', {}, 'W = (w1, w2)'), h('th', {}, 'J(W)'), h('th', {}, t('labs.steps'))),
        ...result.trajectories.map((path, i) => {
          const last = path.w1.length - 1;
          return h(
            'tr',
            {},
            h('td', { style: `color: ${PATH_COLORS[KINDS.indexOf(kinds[i]!)]}` }, t(`train.optimizer.${kinds[i]!}` as MessageKey)),
            h('td', {}, `(${significant(path.w1[last]!, 4)}, ${significant(path.w2[last]!, 4)})`),
            h('td', {}, significant(path.loss[last]!, 3)),
            h('td', {}, path.diverged ? tf('labs.optimizers.diverged', { step: last }) : String(last)),
          );
        }),
      );
      frame.ready();
    };

    const update = () => {
      const kinds = KINDS.filter((kind) => enabled[kind]);
      client.latest(
        'optimizers',
        { lab: 'optimizers', surface, start, steps, optimizers: kinds.map((kind) => ({ ...configs[kind] })), gridSize: 80 },
        (result) => show(result, kinds),
        (error) => frame.showError(error),
      );
    };
    renderControls();
    update();
    return { element: frame.element, dispose() {} };
  },
};
