// Lab: optimisers on 2-D loss surfaces (course: momentum, RMSProp, Adam). The same start, every
// hyper-parameter editable; each path is the engine's own optimiser (engine/optim) stepping a
// two-element W whose gradient the surface gives.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tf, type MessageKey } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { defaultsOf } from '../../engine/settings-registry';
import type { OptimizerConfig, TrainConfig } from '../../engine/types';
import { formatSignificant, formatTuple } from '../../ui/format';
import { Mount } from '../../ui/mount';
import type { LabContext, LabDefinition } from '../shared/lab';
import { Checkbox, LabPage, Note, NumberInput, Select, Slider, useLabResult, useWidget } from '../shared/lab-view';
import { PATH_COLORS, Plot2D } from '../shared/plot2d';
import type { SurfaceName } from '../../worker/protocol';
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

const SURFACES: SurfaceName[] = ['bowl', 'rosenbrock', 'saddle'];
const ALL_ON: Record<Kind, boolean> = { sgd: true, momentum: true, rmsprop: true, adam: true };

function defaultConfigs(surface: SurfaceName): Record<Kind, OptimizerConfig> {
  return Object.fromEntries(KINDS.map((kind) => [kind, defaultOptimizerConfig(surface, kind)])) as Record<Kind, OptimizerConfig>;
}

const colorOf = (kind: Kind) => PATH_COLORS[KINDS.indexOf(kind)]!;
const significant = (value: number) => formatSignificant(value, 3);

function OptimizersLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  const [surface, setSurface] = useState<SurfaceName>(OPTIMIZERS_DEFAULTS.surface);
  const [start, setStart] = useState<[number, number]>(() => [...DEFAULTS[OPTIMIZERS_DEFAULTS.surface].start]);
  const [steps, setSteps] = useState(DEFAULTS[OPTIMIZERS_DEFAULTS.surface].steps);
  const [enabled, setEnabled] = useState(ALL_ON);
  const [configs, setConfigs] = useState(() => defaultConfigs(OPTIMIZERS_DEFAULTS.surface));
  const kinds = KINDS.filter((kind) => enabled[kind]);
  const { result, answered, error } = useLabResult(client, 'optimizers', { lab: 'optimizers', surface, start, steps, optimizers: kinds.map((kind) => configs[kind]), gridSize: 80 });
  const shownKinds = (answered?.optimizers.map((o) => o.kind) ?? []) as Kind[];

  const plot = useWidget(() => new Plot2D('lab-optimizers-plot', 420));
  // A click on the surface starts every path there (the listener is added once: it sets state only).
  const clickReady = useRef(false);
  if (!clickReady.current) {
    clickReady.current = true;
    plot.onClick((w1, w2) => setStart([Number(w1.toFixed(3)), Number(w2.toFixed(3))]));
  }
  useEffect(() => {
    if (!result || !answered) return;
    const { grid } = result;
    plot.draw(
      { x0: grid.w1_min, x1: grid.w1_max, y0: grid.w2_min, y1: grid.w2_max },
      {
        contours: { values: grid.values, columns: grid.columns, rows: grid.rows, levels: 16 },
        paths: result.trajectories.map((path, i) => ({ ...path, color: colorOf(shownKinds[i]!), label: shownKinds[i]! })),
        marks: [{ x: answered.start[0], y: answered.start[1], color: '#212529' }],
      },
    );
  }, [plot, result]);

  const chooseSurface = (value: SurfaceName) => {
    setSurface(value);
    setStart([...DEFAULTS[value].start]);
    setSteps(DEFAULTS[value].steps);
    setConfigs(defaultConfigs(value));
  };
  const hyper = (kind: Kind, field: 'learning_rate' | 'beta' | 'beta1' | 'beta2' | 'epsilon', label: string, min: number, max: number, log: boolean) => (
    <Slider
      label={label}
      min={min}
      max={max}
      step={0.001}
      log={log}
      value={configs[kind][field]}
      testId={`lab-optimizers-${kind}-${field}`}
      format={significant}
      onInput={(value) => setConfigs({ ...configs, [kind]: { ...configs[kind], [field]: value } })}
    />
  );
  return (
    <LabPage name="optimizers" ready={result !== undefined} error={error}>
      <Note text="labs.optimizers.formulas" />
      <div class="lab-controls">
        <Select
          label={t('labs.optimizers.surface')}
          value={surface}
          options={SURFACES.map((s) => ({ value: s, label: t(`labs.optimizers.surface.${s}` as MessageKey) }))}
          testId="lab-optimizers-surface"
          onChange={chooseSurface}
        />
        <NumberInput label="w1₀" value={start[0]} testId="lab-optimizers-start1" onChange={(v) => setStart([v, start[1]])} />
        <NumberInput label="w2₀" value={start[1]} testId="lab-optimizers-start2" onChange={(v) => setStart([start[0], v])} />
        <Slider label={t('labs.steps')} min={1} max={2000} step={1} value={steps} testId="lab-optimizers-steps" onInput={setSteps} />
        {KINDS.map((kind) => (
          <fieldset key={kind} class="lab-group" style={{ borderColor: colorOf(kind) }}>
            <legend>
              <Checkbox label={t(`train.optimizer.${kind}` as MessageKey)} checked={enabled[kind]} testId={`lab-optimizers-${kind}`} onChange={(on) => setEnabled({ ...enabled, [kind]: on })} />
            </legend>
            {hyper(kind, 'learning_rate', 'α', 1e-4, 1, true)}
            {kind === 'momentum' || kind === 'rmsprop' ? hyper(kind, 'beta', 'β', 0, 0.999, false) : null}
            {kind === 'adam' ? hyper(kind, 'beta1', 'β1', 0, 0.999, false) : null}
            {kind === 'adam' ? hyper(kind, 'beta2', 'β2', 0, 0.9999, false) : null}
            {kind === 'rmsprop' || kind === 'adam' ? hyper(kind, 'epsilon', 'ε', 1e-10, 1e-1, true) : null}
          </fieldset>
        ))}
      </div>
      <div class="lab-row">
        <Mount node={plot.element} />
        <table class="lab-table" data-testid="lab-output">
          {result ? (
            <>
              <tr>
                <th>{t('labs.optimizers.optimizer')}</th>
                <th>W = (w1, w2)</th>
                <th>J(W)</th>
                <th>{t('labs.steps')}</th>
              </tr>
              {result.trajectories.map((path, i) => {
                const kind = shownKinds[i]!;
                const last = path.w1.length - 1;
                return (
                  <tr key={kind}>
                    <td style={{ color: colorOf(kind) }}>{t(`train.optimizer.${kind}` as MessageKey)}</td>
                    <td>{formatTuple([formatSignificant(path.w1[last]!, 4), formatSignificant(path.w2[last]!, 4)])}</td>
                    <td>{significant(path.loss[last]!)}</td>
                    <td>{path.diverged ? tf('labs.optimizers.diverged', { step: last }) : String(last)}</td>
                  </tr>
                );
              })}
            </>
          ) : null}
        </table>
      </div>
      <Note text="labs.optimizers.readme" />
    </LabPage>
  );
}

export const optimizersLab: LabDefinition = { name: 'optimizers', View: OptimizersLab };
