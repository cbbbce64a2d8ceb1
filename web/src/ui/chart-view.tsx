// A uPlot line chart (ui/line-chart.ts) as a leaf component: built once, rebuilt with new labels when
// the language changes (its data kept), and given new data when `x`/`ys` change (a new array).
import { useLayoutEffect, useRef } from 'preact/hooks';
import { LineChart, type LineChartOptions } from './line-chart';

export function ChartView({ options, x, ys }: { options: LineChartOptions; x: ArrayLike<number>; ys: ArrayLike<number | null>[] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<LineChart | undefined>(undefined);
  const labels = JSON.stringify([options.title, options.xLabel, options.yLabel, options.series.map((s) => s.label)]);
  const shownLabels = useRef(labels);
  useLayoutEffect(() => {
    const built = new LineChart(options);
    chart.current = built;
    host.current?.append(built.element);
    return () => {
      built.destroy();
      built.element.remove();
    };
  }, []);
  useLayoutEffect(() => {
    if (labels === shownLabels.current) return;
    shownLabels.current = labels;
    chart.current?.relabel(options);
  }, [labels]);
  useLayoutEffect(() => chart.current?.setData(x, ys), [x, ys]);
  return <div class="mount" ref={host} />;
}
