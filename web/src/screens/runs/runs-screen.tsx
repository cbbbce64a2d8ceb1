// "Keep your work": the model panel, the run history and, for the runs ticked, their curves and
// settings side by side. Components over the runs store; the two charts are uPlot leaf widgets.
import { useEffect, useLayoutEffect, useMemo } from 'preact/hooks';
import { getLocale, optimizerName, t, tf } from '../../i18n';
import { pageLocale } from '../../shell/page-locale';
import type { RunRecord } from '../../storage/run-record';
import { formatFixed, formatNumber, formatSetting } from '../../ui/format';
import { LineChart, type LineChartOptions } from '../../ui/line-chart';
import { Mount } from '../../ui/mount';
import { formatLoss, formatPercent } from '../train/format';
import { devAccuracyCurves, lossCurves, runColor } from './compare';
import { ColumnHeads, HistoryPanel } from './history-panel';
import { KeepPanel } from './keep-panel';
import type { RunsStore } from './runs-store';

export function RunsScreen({ store }: { store: RunsStore }) {
  void pageLocale.value;
  return (
    <section class="card runs-screen" aria-labelledby="runs-title">
      <h2 id="runs-title">{t('runs.screenTitle')}</h2>
      <KeepPanel store={store} />
      <HistoryPanel store={store} />
      <Comparison store={store} />
    </section>
  );
}

const runLabel = (run: RunRecord) => `#${run.id} ${run.settings.preset}`;

function lossChartOptions(runs: readonly RunRecord[]): LineChartOptions {
  return {
    title: t('runs.compare.loss'),
    xLabel: t('train.chart.step'),
    yLabel: t('train.chart.lossAxis'),
    series: runs.map((run, i) => ({ label: runLabel(run), color: runColor(i), spanGaps: true })),
    formatY: (v) => formatLoss(v, getLocale()),
    testId: 'compare-loss-chart',
  };
}

function accuracyChartOptions(runs: readonly RunRecord[]): LineChartOptions {
  return {
    title: t('runs.compare.accuracy'),
    xLabel: t('train.progress.epoch'),
    yLabel: t('train.chart.accuracyAxis'),
    series: runs.map((run, i) => ({ label: runLabel(run), color: runColor(i), points: true, spanGaps: true })),
    formatY: (v) => `${formatFixed(v, 1)} %`,
    integerX: true,
    testId: 'compare-accuracy-chart',
  };
}

/** Points drawn per run, for tests and curious readers of the DOM. */
const pointCounts = (ys: (number | null)[][]) => ys.map((y) => y.filter((v) => v !== null).length).join(',');

/** The compared runs' loss and dev-accuracy curves (redrawn when the comparison or the language changes). */
function ComparisonCharts({ runs }: { runs: readonly RunRecord[] }) {
  const locale = pageLocale.value;
  const charts = useMemo(() => ({ loss: new LineChart(lossChartOptions([])), accuracy: new LineChart(accuracyChartOptions([])) }), []);
  useEffect(() => () => (charts.loss.destroy(), charts.accuracy.destroy()), [charts]);
  // In the same commit as the comparison itself: a reader who sees it sees its curves and legends.
  useLayoutEffect(() => {
    charts.loss.relabel(lossChartOptions(runs));
    charts.accuracy.relabel(accuracyChartOptions(runs));
    const loss = lossCurves(runs);
    charts.loss.setData(loss.x, loss.ys);
    const accuracy = devAccuracyCurves(runs);
    charts.accuracy.setData(accuracy.x, accuracy.ys);
    charts.loss.element.dataset['points'] = pointCounts(loss.ys);
    charts.accuracy.element.dataset['points'] = pointCounts(accuracy.ys);
  }, [charts, runs, locale]);
  return (
    <div class="charts">
      <Mount node={charts.loss.element} />
      <Mount node={charts.accuracy.element} />
    </div>
  );
}

const COMPARED_COLUMNS = ['runs.run', 'train.preset', 'train.dataset', 'train.epochs', 'train.optimizer', 'train.learningRate', 'train.batchSize', 'train.seed', 'train.test.title'] as const;

function Comparison({ store }: { store: RunsStore }) {
  void pageLocale.value; // redrawn in the page's language
  const runs = store.compared.value;
  if (runs.length === 0) return null;
  const locale = getLocale();
  const whole = (value: number) => formatNumber(value, { maximumFractionDigits: 0 });
  return (
    <div class="comparison" data-testid="comparison" data-count={runs.length}>
      <h3>{tf('runs.compare.title', { count: runs.length })}</h3>
      <ComparisonCharts runs={runs} />
      <div class="table-scroll">
        <table class="runs">
          <thead>
            <ColumnHeads keys={COMPARED_COLUMNS} />
          </thead>
          <tbody>
            {runs.map((run, i) => (
              <tr key={run.id} data-run-id={run.id}>
                <td>
                  <span class="swatch" style={{ background: runColor(i) }} /> #{run.id}
                </td>
                <td>{run.settings.preset}</td>
                <td>{run.settings.dataset}</td>
                <td>{whole(run.settings.epochs)}</td>
                <td>{optimizerName(run.settings.optimizer)}</td>
                <td>{formatSetting(run.settings.learningRate)}</td>
                <td>{whole(run.settings.batchSize)}</td>
                <td>{String(run.settings.seed)}</td>
                <td>{formatPercent(run.testAccuracy, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
