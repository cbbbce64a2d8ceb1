// A small line chart on uPlot, shared by the screens: x values and one array per series, redrawn
// with setData(). It follows its container's width, and is rebuilt when its labels change (locale).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatNumber } from './format';

export interface LineSeries {
  label: string;
  color: string;
  /** Show a dot on each point (for short series such as one value per epoch). */
  points?: boolean;
  /** Draw across missing (null) values, e.g. runs with different steps on one chart. */
  spanGaps?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  height?: number;
  /** Fixed y range, e.g. [0, 100] for percentages; auto when omitted. */
  yRange?: [number, number];
  /** Formats y values in the legend and axis. */
  formatY?: (value: number) => string;
  /** The x values are whole numbers (e.g. epochs): no ticks in between. */
  integerX?: boolean;
  testId?: string;
}

export class LineChart {
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private data: uPlot.AlignedData;
  private readonly resizeObserver: ResizeObserver | undefined;

  constructor(private options: LineChartOptions) {
    this.element = document.createElement('figure');
    this.element.className = 'chart';
    if (options.testId) this.element.dataset['testid'] = options.testId;
    this.data = [[], ...options.series.map(() => [])];
    this.build();
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.fit());
      this.resizeObserver.observe(this.element);
    }
  }

  /** New labels (e.g. after a language change); keeps the data. */
  relabel(options: LineChartOptions): void {
    this.options = options;
    this.build();
  }

  setData(x: ArrayLike<number>, ys: ArrayLike<number | null>[]): void {
    this.data = [x as number[], ...(ys as (number | null)[][])];
    this.plot?.setData(this.data);
  }

  destroy(): void {
    this.resizeObserver?.disconnect();
    this.plot?.destroy();
  }

  private width(): number {
    return Math.max(240, Math.floor(this.element.clientWidth || 480));
  }

  private fit(): void {
    if (!this.plot) return;
    const width = this.width();
    if (width !== this.plot.width) this.plot.setSize({ width, height: this.plot.height });
  }

  private build(): void {
    this.plot?.destroy();
    const { options } = this;
    const style = getComputedStyle(document.documentElement);
    const fg = style.getPropertyValue('--muted').trim() || '#6b6b70';
    const grid = style.getPropertyValue('--border').trim() || '#e2e2e0';
    // In the page's language (uPlot's own default follows the browser's).
    const number = (v: number) => formatNumber(v, { maximumSignificantDigits: 6 });
    const formatY = options.formatY ?? number;
    const axis = (label: string): uPlot.Axis => ({ label, stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } });
    this.plot = new uPlot(
      {
        title: options.title,
        width: this.width(),
        height: options.height ?? 220,
        scales: {
          x: { time: false },
          y: options.yRange ? { range: options.yRange } : {},
        },
        axes: [
          { ...axis(options.xLabel), values: (_u, ticks) => ticks.map(number), ...(options.integerX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] } : {}) },
          { ...axis(options.yLabel), size: 64, values: (_u, ticks) => ticks.map(formatY) },
        ],
        series: [
          { label: options.xLabel, value: (_u: uPlot, v: number | null) => (v === null ? '–' : number(v)) },
          ...options.series.map(
            (s): uPlot.Series => ({
              label: s.label,
              stroke: s.color,
              width: 1.5,
              points: { show: s.points ?? false },
              spanGaps: s.spanGaps ?? false,
              value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatY(v)),
            }),
          ),
        ],
        legend: { live: true },
      },
      this.data,
      this.element,
    );
  }
}
