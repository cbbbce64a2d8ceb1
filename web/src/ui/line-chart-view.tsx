// A uPlot line chart as a component (the chart itself is a leaf widget): rebuilt when its labels
// change (options compared by value, plus the page's language), redrawn when its data changes.
import { useEffect, useLayoutEffect, useMemo } from 'preact/hooks';
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
  // Layout effects: the chart is labelled and drawn in the same commit as the DOM around it.
  useLayoutEffect(() => chart.relabel(options), [chart, labels, locale]);
  useLayoutEffect(() => chart.setData(x, ys), [chart, x, ys, labels, locale]);
  return <Mount node={chart.element} />;
}
