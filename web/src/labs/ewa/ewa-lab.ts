// Lab: exponentially weighted averages (course: "Media Móvil Exponencial"). A noisy temperature
// series θ_t smoothed by V_t = β V_{t−1} + (1 − β) θ_t for three editable β, with or without the
// bias correction V_t / (1 − β^t). The series and every V_t come from the engine.
import { t, tf } from '../../i18n';
import { h } from '../../ui/dom';
import { formatSetting } from '../../ui/format';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import { checkbox, fixed, numberField, slider } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import type { LabResultOf } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

const COLORS = ['#e03131', '#2f9e44', '#1c7ed6'];

export const ewaLab: LabDefinition = {
  name: 'ewa',
  create({ client }) {
    // labs/defaults.json: without bias correction at first, so the slow start shows.
    const { days } = LAB_DEFAULTS.ewa;
    const betas = [...LAB_DEFAULTS.ewa.betas]; // the sliders change this copy
    let { corrected, noise, seed } = LAB_DEFAULTS.ewa;
    let last: LabResultOf<'ewa'> | undefined;

    const chartOptions = (): LineChartOptions => ({
      title: t('labs.ewa.chart'),
      xLabel: t('labs.ewa.day'),
      yLabel: '°C',
      series: [{ label: 'θ_t', color: '#adb5bd' }, ...betas.map((beta, i) => ({ label: `V_t (β = ${formatSetting(beta)})`, color: COLORS[i]! }))],
      height: 280,
      testId: 'lab-ewa-chart',
    });
    const chart = new LineChart(chartOptions());
    const table = h('table', { class: 'lab-table', 'data-testid': 'lab-output' });

    const betaControls = betas.map((beta, i) =>
      slider({
        label: `β${i + 1}`,
        min: 0,
        max: 0.99,
        step: 0.01,
        value: beta,
        testId: `lab-ewa-beta${i + 1}`,
        format: (v) => fixed(v, 2),
        onInput: (value) => {
          betas[i] = value;
          chart.relabel(chartOptions());
          update();
        },
      }),
    );
    const frame = new LabFrame(
      'ewa',
      note('labs.ewa.formula'),
      h(
        'div',
        { class: 'lab-controls' },
        ...betaControls,
        slider({ label: t('labs.ewa.noise'), min: 0, max: 10, step: 0.5, value: noise, testId: 'lab-ewa-noise', format: (v) => `${v} °C`, onInput: (v) => ((noise = v), update()) }),
        numberField({ label: t('labs.seed'), value: seed, step: 1, testId: 'lab-ewa-seed', onChange: (v) => ((seed = Math.trunc(v)), update()) }),
        checkbox(t('labs.ewa.correction'), corrected, 'lab-ewa-correction', (checked) => {
          corrected = checked;
          if (last) show(last);
        }),
      ),
      chart.element,
      table,
      note('labs.ewa.correctionNote'),
    );

    const show = (result: LabResultOf<'ewa'>) => {
      last = result;
      const x = result.theta.map((_, i) => i + 1);
      chart.setData(x, [result.theta, ...result.series.map((s) => (corrected ? s.corrected : s.plain))]);
      // The first days, where the correction matters: V_t and V_t / (1 − β^t) side by side.
      table.replaceChildren(
        h('tr', {}, h('th', {}, 't'), h('th', {}, 'θ_t'), ...betas.map((beta) => h('th', {}, tf('labs.ewa.column', { beta })))),
        ...[0, 1, 2, 9].map((i) =>
          h(
            'tr',
            {},
            h('td', {}, String(i + 1)),
            h('td', {}, fixed(result.theta[i]!, 2)),
            ...result.series.map((s) => h('td', {}, `${fixed(s.plain[i]!, 2)} / ${fixed(s.corrected[i]!, 2)}`)),
          ),
        ),
      );
      frame.ready();
    };
    const update = () => client.latest('ewa', { lab: 'ewa', days, noise, seed, betas: [...betas] }, show, (error) => frame.showError(error));
    update();
    return { element: frame.element, dispose: () => chart.destroy() };
  },
};
