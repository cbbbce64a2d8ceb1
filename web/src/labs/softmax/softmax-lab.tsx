// Lab: softmax and cross-entropy (course: "Clasificación múltiple: Softmax regression").
// The student edits z^[L]; the engine returns g(z^[L]), the hardmax and L(y, ŷ) = −log ŷ_c.
import { useEffect, useState } from 'preact/hooks';
import { t, tf, type Locale } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatFixed, formatSignificant } from '../../ui/format';
import { Mount } from '../../ui/mount';
import { BarChart } from '../shared/bar-chart';
import type { LabContext, LabDefinition } from '../shared/lab';
import { LabPage, Note, Select, useLabResult, useWidget } from '../shared/lab-view';
import { numberListProblemText, parseNumberList, type NumberListProblem } from '../shared/parse';
import LAB_DEFAULTS from '../defaults.json';

/** Refused logits, in the page's language, naming the field as its label does. */
export function badLogitsText(problem: NumberListProblem, locale?: Locale): string {
  return tf('labs.softmax.badLogits', { field: t('labs.softmax.logits', locale), problem: numberListProblemText(problem, locale) }, locale);
}

function SoftmaxLab({ client }: LabContext) {
  void pageLocale.value; // redrawn in the page's language
  // The lecture's example (labs/defaults.json): z = [3, −2, 6] → 0.047, 0.0003, 0.952.
  const [logits, setLogits] = useState<number[]>(() => [...LAB_DEFAULTS.softmax.logits]);
  const [typed, setTyped] = useState(() => LAB_DEFAULTS.softmax.logits.join(', ').replace(/-/g, '−'));
  const [chosenClass, setTrueClass] = useState(LAB_DEFAULTS.softmax.trueClass);
  const trueClass = Math.min(chosenClass, logits.length - 1);
  const { result, error } = useLabResult(client, 'softmax', { lab: 'softmax', logits, trueClass });
  // Kept as data, so that a language switch rewords it.
  const [badLogits, setBadLogits] = useState<NumberListProblem | undefined>(undefined);
  const chart = useWidget(() => new BarChart('lab-softmax-chart', 320, 140));
  const report = result?.report;
  useEffect(() => {
    if (report) chart.draw({ values: report.softmax, labels: report.softmax.map((_, j) => String(j)), range: [0, 1], title: 'ŷ = a^[L]' });
  }, [chart, report]);
  const onLogits = (text: string) => {
    setTyped(text);
    const parsed = parseNumberList(text, { min: 2, max: 10 });
    if (parsed.ok) setLogits(parsed.value);
    setBadLogits(parsed.ok ? undefined : parsed.problem);
  };
  return (
    <LabPage name="softmax" ready={result !== undefined} error={badLogits ? badLogitsText(badLogits) : error}>
      <Note text="labs.softmax.formula" />
      <div class="lab-controls">
        <label class="lab-control">
          <span>{t('labs.softmax.logits')}</span>
          <input type="text" value={typed} data-testid="lab-softmax-logits" class="lab-wide" onInput={(event) => onLogits(event.currentTarget.value)} />
        </label>
        <Select
          label={t('labs.softmax.trueClass')}
          value={String(trueClass)}
          options={logits.map((_, j) => ({ value: String(j), label: String(j) }))}
          testId="lab-softmax-class"
          onChange={(value) => setTrueClass(Number(value))}
        />
      </div>
      <div class="lab-row">
        <table class="lab-table" data-testid="lab-output">
          {report ? (
            <>
              <tr>
                <th>j</th>
                <th>z_j</th>
                <th>g_j(z) = softmax</th>
                <th>hardmax</th>
              </tr>
              {report.softmax.map((p, j) => (
                <tr key={j} class={j === trueClass ? 'lab-true' : undefined}>
                  <td>{String(j)}</td>
                  <td>{formatFixed(logits[j] ?? NaN, 2)}</td>
                  <td data-value={p}>{p < 0.001 ? formatSignificant(p, 1) : formatFixed(p, 3)}</td>
                  <td>{String(report.hardmax[j])}</td>
                </tr>
              ))}
            </>
          ) : null}
        </table>
        <Mount node={chart.element} />
      </div>
      <p class="lab-result" data-testid="lab-softmax-loss">
        {report ? tf('labs.softmax.loss', { c: trueClass, loss: formatFixed(report.loss, 4), predicted: report.predicted }) : ''}
      </p>
      <Note text="labs.softmax.hardmaxNote" />
    </LabPage>
  );
}

export const softmaxLab: LabDefinition = { name: 'softmax', View: SoftmaxLab };
