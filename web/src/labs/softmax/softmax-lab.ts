// Lab: softmax and cross-entropy (course: "Clasificación múltiple: Softmax regression").
// The student edits z^[L]; the engine returns g(z^[L]), the hardmax and L(y, ŷ) = −log ŷ_c.
import { t, tf } from '../../i18n';
import { h } from '../../ui/dom';
import { BarChart } from '../shared/bar-chart';
import { fixed, select, significant } from '../shared/controls';
import { LabFrame, note, type LabDefinition } from '../shared/lab';
import { parseNumberList } from '../shared/parse';
import type { LabResultOf } from '../../worker/protocol';
import LAB_DEFAULTS from '../defaults.json';

export const softmaxLab: LabDefinition = {
  name: 'softmax',
  create({ client }) {
    // The lecture's example (labs/defaults.json): z = [3, −2, 6] → 0.047, 0.0003, 0.952.
    let logits = [...LAB_DEFAULTS.softmax.logits];
    let trueClass = LAB_DEFAULTS.softmax.trueClass;
    const logitsInput = h('input', { type: 'text', value: logits.join(', ').replace(/-/g, '−'), 'data-testid': 'lab-softmax-logits', class: 'lab-wide' });
    const classHolder = h('span', {});
    const table = h('table', { class: 'lab-table', 'data-testid': 'lab-output' });
    const lossLine = h('p', { class: 'lab-result', 'data-testid': 'lab-softmax-loss' });
    const chart = new BarChart('lab-softmax-chart', 320, 140);
    const frame = new LabFrame(
      'softmax',
      note('labs.softmax.formula'),
      h('div', { class: 'lab-controls' }, h('label', { class: 'lab-control' }, h('span', {}, t('labs.softmax.logits')), logitsInput), classHolder),
      h('div', { class: 'lab-row' }, table, chart.element),
      lossLine,
      note('labs.softmax.hardmaxNote'),
    );

    const renderClassSelect = () => {
      trueClass = Math.min(trueClass, logits.length - 1);
      classHolder.replaceChildren(
        select({
          label: t('labs.softmax.trueClass'),
          value: String(trueClass),
          options: logits.map((_, j) => ({ value: String(j), label: String(j) })),
          testId: 'lab-softmax-class',
          onChange: (value) => {
            trueClass = Number(value);
            update();
          },
        }),
      );
    };

    const show = (result: LabResultOf<'softmax'>) => {
      const { report } = result;
      table.replaceChildren(
        h('tr', {}, h('th', {}, 'j'), h('th', {}, 'z_j'), h('th', {}, 'g_j(z) = softmax'), h('th', {}, 'hardmax')),
        ...logits.map((z, j) =>
          h(
            'tr',
            { class: j === trueClass ? 'lab-true' : undefined },
            h('td', {}, String(j)),
            h('td', {}, fixed(z, 2)),
            h('td', { 'data-value': report.softmax[j] }, report.softmax[j]! < 0.001 ? significant(report.softmax[j]!, 1) : fixed(report.softmax[j]!, 3)),
            h('td', {}, String(report.hardmax[j])),
          ),
        ),
      );
      chart.draw({ values: report.softmax, labels: logits.map((_, j) => String(j)), range: [0, 1], title: 'ŷ = a^[L]' });
      lossLine.textContent = tf('labs.softmax.loss', { c: trueClass, loss: fixed(report.loss, 4), predicted: report.predicted });
      frame.ready();
    };

    const update = () => {
      client.latest('softmax', { lab: 'softmax', logits, trueClass }, show, (error) => frame.showError(error));
    };

    logitsInput.addEventListener('input', () => {
      const parsed = parseNumberList(logitsInput.value, { min: 2, max: 10 });
      if (!parsed.ok) {
        frame.showError(tf('labs.softmax.badLogits', { error: parsed.error }));
        return;
      }
      const resized = parsed.value.length !== logits.length;
      logits = parsed.value;
      if (resized) renderClassSelect();
      update();
    });
    renderClassSelect();
    update();
    return { element: frame.element, dispose() {} };
  },
};
