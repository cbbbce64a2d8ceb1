// Lab: exponentially weighted averages (course: "Media Móvil Exponencial"). A noisy temperature
// series θ_t smoothed by V_t = β V_{t−1} + (1 − β) θ_t for three editable β, with or without the
// bias correction V_t / (1 − β^t). The series and every V_t come from the engine.
import { useEffect, useState } from 'preact/hooks';
import { t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import { formatFixed, formatSetting } from '../../ui/format';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import { Mount } from '../../ui/mount';
import { Checkbox, LabPage, Note, NumberInput, Slider, useLabResult, useWidget } from '../shared/lab-view';
import type { LabContext, LabDefinition } from '../shared/lab';
import LAB_DEFAULTS from '../defaults.json';

const COLORS = ['#e03131', '#2f9e44', '#1c7ed6'];
/** The first days, where the correction matters. */
const TABLE_DAYS = [0, 1, 2, 9];

function chartOptions(betas: readonly number[]): LineChartOptions {
  return {
    title: t('labs.ewa.chart'),
    xLabel: t('labs.ewa.day'),
    yLabel: '°C',
    series: [{ label: 'θ_t', color: '#adb5bd' }, ...betas.map((beta, i) => ({ label: `V_t (β = ${formatSetting(beta)})`, color: COLORS[i]! }))],
    height: 280,
    testId: 'lab-ewa-chart',
  };
}

function EwaLab({ client }: LabContext) {
  const locale = pageLocale.value;
  // labs/defaults.json: without bias correction at first, so the slow start shows.
  const { days } = LAB_DEFAULTS.ewa;
  const [betas, setBetas] = useState<number[]>(() => [...LAB_DEFAULTS.ewa.betas]);
  const [corrected, setCorrected] = useState(LAB_DEFAULTS.ewa.corrected);
  const [noise, setNoise] = useState(LAB_DEFAULTS.ewa.noise);
  const [seed, setSeed] = useState(LAB_DEFAULTS.ewa.seed);
  const { result, error } = useLabResult(client, 'ewa', { lab: 'ewa', days, noise, seed, betas });
  const chart = useWidget(() => new LineChart(chartOptions(betas)));
  useEffect(() => chart.relabel(chartOptions(betas)), [chart, betas, locale]);
  useEffect(() => {
    if (result) chart.setData(result.theta.map((_, i) => i + 1), [result.theta, ...result.series.map((s) => (corrected ? s.corrected : s.plain))]);
  }, [chart, result, corrected, betas, locale]);
  const fixed2 = (value: number) => formatFixed(value, 2);
  return (
    <LabPage name="ewa" ready={result !== undefined} error={error}>
      <Note text="labs.ewa.formula" />
      <div class="lab-controls">
        {betas.map((beta, i) => (
          <Slider
            key={i}
            label={`β${i + 1}`}
            min={0}
            max={0.99}
            step={0.01}
            value={beta}
            testId={`lab-ewa-beta${i + 1}`}
            format={fixed2}
            onInput={(value) => setBetas(betas.map((b, j) => (j === i ? value : b)))}
          />
        ))}
        <Slider label={t('labs.ewa.noise')} min={0} max={10} step={0.5} value={noise} testId="lab-ewa-noise" format={(v) => `${formatSetting(v)} °C`} onInput={setNoise} />
        <NumberInput label={t('labs.seed')} value={seed} step={1} testId="lab-ewa-seed" onChange={(v) => setSeed(Math.trunc(v))} />
        <Checkbox label={t('labs.ewa.correction')} checked={corrected} testId="lab-ewa-correction" onChange={setCorrected} />
      </div>
      <Mount node={chart.element} />
      {/* V_t and V_t / (1 − β^t) side by side. */}
      <table class="lab-table" data-testid="lab-output">
        {result ? (
          <>
            <tr>
              <th>t</th>
              <th>θ_t</th>
              {result.series.map((_, i) => (
                <th key={i}>{tf('labs.ewa.column', { beta: betas[i]! })}</th>
              ))}
            </tr>
            {TABLE_DAYS.map((i) => (
              <tr key={i}>
                <td>{String(i + 1)}</td>
                <td>{fixed2(result.theta[i]!)}</td>
                {result.series.map((s, j) => (
                  <td key={j}>{`${fixed2(s.plain[i]!)} / ${fixed2(s.corrected[i]!)}`}</td>
                ))}
              </tr>
            ))}
          </>
        ) : null}
      </table>
      <Note text="labs.ewa.correctionNote" />
    </LabPage>
  );
}

export const ewaLab: LabDefinition = { name: 'ewa', View: EwaLab };
