// Lab: input normalisation (course: "Normalización del input"). The same two-parameter model
// ŷ = w1 x1 + w2 x2 on raw inputs and on x = (x − μ)/σ: J's contours over (w1, w2) and the
// gradient-descent path from (0, 0) with the same α, all computed by the engine.
import { useEffect, useState } from 'preact/hooks';
import { t, tf, type MessageKey } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatFixed, formatSignificant } from '../../ui/format';
import { Mount } from '../../ui/mount';
import type { NormalizationLabReport } from '../../engine/labs-types';
import type { LabContext, LabDefinition } from '../shared/lab';
import { LabPage, Note, Slider, useLabResult, useWidget } from '../shared/lab-view';
import { Plot2D } from '../shared/plot2d';
import LAB_DEFAULTS from '../defaults.json';

const GRID = 60;

/** One input scale's contours and gradient-descent path (a canvas), with what the engine measured. */
function Panel({ name, report }: { name: 'raw' | 'normalized'; report: NormalizationLabReport | undefined }) {
  void pageLocale.value; // redrawn in the page's language
  const plot = useWidget(() => new Plot2D(`lab-normalization-${name}-plot`, 320));
  useEffect(() => {
    if (!report) return;
    plot.draw(
      { x0: report.w1_min, x1: report.w1_max, y0: report.w2_min, y1: report.w2_max },
      {
        contours: { values: report.grid, columns: GRID, rows: GRID, levels: 14 },
        paths: [{ w1: report.path_w1, w2: report.path_w2, color: '#e03131', label: 'GD' }],
        marks: [{ x: report.optimum[0]!, y: report.optimum[1]!, color: '#2f9e44' }],
      },
    );
  }, [plot, report]);
  const fixed = formatFixed;
  const last = report ? report.path_w1.length - 1 : 0;
  return (
    <div class="lab-panel">
      <h3>{t(`labs.normalization.${name}` as MessageKey)}</h3>
      <Mount node={plot.element} />
      {report ? (
        <div class="lab-readout">
          <p>{tf('labs.normalization.stats', { m1: fixed(report.mean[0]!, 2), m2: fixed(report.mean[1]!, 2), s1: fixed(report.stddev[0]!, 2), s2: fixed(report.stddev[1]!, 2) })}</p>
          <p>{tf('labs.normalization.optimum', { w1: fixed(report.optimum[0]!, 3), w2: fixed(report.optimum[1]!, 3) })}</p>
          <p>
            {report.diverged
              ? tf('labs.normalization.diverged', { step: last })
              : tf('labs.normalization.end', { steps: last, w1: fixed(report.path_w1[last]!, 3), w2: fixed(report.path_w2[last]!, 3), loss: formatSignificant(report.path_loss[last]!, 4) })}
          </p>
        </div>
      ) : null}
    </div>
  );
}

function NormalizationLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  const [learningRate, setLearningRate] = useState(LAB_DEFAULTS.normalization.learningRate); // labs/defaults.json
  const [steps, setSteps] = useState(LAB_DEFAULTS.normalization.steps);
  const { result, error } = useLabResult(client, 'normalization', { lab: 'normalization', learningRate, steps, gridSize: GRID, seed: LAB_DEFAULTS.normalization.seed });
  return (
    <LabPage name="normalization" ready={result !== undefined} error={error}>
      <Note text="labs.normalization.formulas" />
      <div class="lab-controls">
        <Slider label="α" min={0.001} max={1} step={0.01} log value={learningRate} testId="lab-normalization-alpha" format={(v) => formatSignificant(v, 3)} onInput={setLearningRate} />
        <Slider label={t('labs.steps')} min={1} max={1000} step={1} value={steps} testId="lab-normalization-steps" onInput={setSteps} />
      </div>
      <div class="lab-row" data-testid="lab-output">
        <Panel name="raw" report={result?.raw} />
        <Panel name="normalized" report={result?.normalized} />
      </div>
      <Note text="labs.normalization.readme" />
    </LabPage>
  );
}

export const normalizationLab: LabDefinition = { name: 'normalization', View: NormalizationLab };
