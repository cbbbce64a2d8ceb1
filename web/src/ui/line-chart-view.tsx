// A uPlot line chart as a component (the chart itself is a leaf widget): rebuilt when its labels
// change (options compared by value, plus the page's language), redrawn when its data changes.
import { useEffect, useMemo } from 'preact/hooks';
import { pageLocale } from '../shell/page-locale';
import { LineChart, type LineChartOptions } from './line-chart';
import { Mount } from './mount';

export interface LineChartViewProps {
  options: LineChartOptions;
  x: ArrayLike<number>;
  ys: ArrayLike<number | null>[];
}

export function LineChartView({ options, x, ys }: LineChartViewProps) {
  const locale = pageLocale.value;
  const chart = useMemo(() => new LineChart(options), []);
  useEffect(() => () => chart.destroy(), [chart]);
  const labels = JSON.stringify(options); // functions (formatY) follow the language
  useEffect(() => chart.relabel(options), [chart, labels, locale]);
  useEffect(() => chart.setData(x, ys), [chart, x, ys, labels, locale]);
  return <Mount node={chart.element} />;
}
