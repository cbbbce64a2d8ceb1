// Lab: input normalisation (course: "Normalización del input"). The same two-parameter model
// ŷ = w1 x1 + w2 x2 on raw inputs and on x = (x − μ)/σ: J's contours over (w1, w2) and the
// gradient-descent path from (0, 0) with the same α, all computed by the engine.
import { t, tf, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { fixed, significant, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import { Plot2D } from '../shared/plot2d';
import type { NormalizationLabReport } from '../../engine/labs-types';
import type { LabResultOf } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const GRID = 60;

export const normalizationLab: LabDefinition = {
  name: 'normalization',
  create({ client }) {
    let { learningRate, steps } = LAB_DEFAULTS.normalization; // labs/defaults.json
    const output = h('div', { class: 'lab-row', 'data-testid': 'lab-output' });

    const panel = (name: 'raw' | 'normalized') => {
      const plot = new Plot2D(`lab-normalization-${name}-plot`, 320);
      const text = h('div', { class: 'lab-readout' });
      const show = (report: NormalizationLabReport) => {
        plot.draw(
          { x0: report.w1_min, x1: report.w1_max, y0: report.w2_min, y1: report.w2_max },
          {
            contours: { values: report.grid, columns: GRID, rows: GRID, levels: 14 },
            paths: [{ w1: report.path_w1, w2: report.path_w2, color: '#e03131', label: 'GD' }],
            marks: [{ x: report.optimum[0]!, y: report.optimum[1]!, color: '#2f9e44' }],
          },
        );
        const last = report.path_w1.length - 1;
        text.replaceChildren(
          h('p', {}, tf('labs.normalization.stats', { m1: fixed(report.mean[0]!, 2), m2: fixed(report.mean[1]!, 2), s1: fixed(report.stddev[0]!, 2), s2: fixed(report.stddev[1]!, 2) })),
          h('p', {}, tf('labs.normalization.optimum', { w1: fixed(report.optimum[0]!, 3), w2: fixed(report.optimum[1]!, 3) })),
          h(
            'p',
            {},
            report.diverged
              ? tf('labs.normalization.diverged', { step: last })
              : tf('labs.normalization.end', { steps: last, w1: fixed(report.path_w1[last]!, 3), w2: fixed(report.path_w2[last]!, 3), loss: significant(report.path_loss[last]!, 4) }),
          ),
        );
      };
      return { element: h('div', { class: 'lab-panel' }, h('h3', {}, t(`labs.normalization.${name}` as MessageKey)), plot.element, text), show };
    };
    const raw = panel('raw');
    const normalized = panel('normalized');
    output.append(raw.element, normalized.element);

    const show = (result: LabResultOf<'normalization'>) => {
      raw.show(result.raw);
      normalized.show(result.normalized);
      frame.ready();
    };
    const update = () => client.latest('normalization', { lab: 'normalization', learningRate, steps, gridSize: GRID, seed: LAB_DEFAULTS.normalization.seed }, show, (e) => frame.showError(e));

    const frame = new LabFrame(
      'normalization',
      note('labs.normalization.formulas'),
      h(
        'div',
        { class: 'lab-controls' },
        slider({ label: 'α', min: 0.001, max: 1, step: 0.01, log: true, value: learningRate, testId: 'lab-normalization-alpha', format: (v) => significant(v), onInput: (v) => ((learningRate = v), update()) }),
        slider({ label: t('labs.steps'), min: 1, max: 1000, step: 1, value: steps, testId: 'lab-normalization-steps', onInput: (v) => ((steps = v), update()) }),
      ),
      output,
      note('labs.normalization.readme'),
    );
    update();
    return { element: frame.element, dispose() {} };
  },
};
