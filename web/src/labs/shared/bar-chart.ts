// Bars on a canvas: a histogram of activations, a gradient norm or a dead fraction per layer.
// Values come from the engine; this only draws them (linear or log10 scale) with labels.
export interface BarChartData {
  values: ArrayLike<number>;
  /** One label under each bar (or none). */
  labels?: string[];
  /** Fixed [min, max] of the value axis; auto (0..max) when omitted. */
  range?: [number, number];
  log?: boolean;
  color?: string;
  title?: string;
}

export class BarChart {
  readonly element: HTMLCanvasElement;

  constructor(testId: string, private readonly width = 300, private readonly height = 140) {
    this.element = document.createElement('canvas');
    this.element.width = width;
    this.element.height = height;
    this.element.className = 'bar-chart';
    this.element.dataset['testid'] = testId;
  }

  draw(data: BarChartData): void {
    const context = this.element.getContext('2d');
    if (!context) return;
    const { width, height } = this;
    const top = data.title ? 16 : 4;
    const bottom = data.labels ? 16 : 4;
    context.clearRect(0, 0, width, height);
    context.font = '11px system-ui, sans-serif';
    context.fillStyle = '#495057';
    if (data.title) context.fillText(data.title, 4, 12);
    const values = Array.from(data.values, (v) => (data.log ? Math.log10(Math.max(v, 1e-30)) : v));
    const finite = values.filter(Number.isFinite);
    const [min, max] = data.range ?? (data.log ? [Math.min(...finite), Math.max(...finite)] : [0, Math.max(1e-12, ...finite)]);
    const span = max - min || 1;
    const barWidth = width / Math.max(1, values.length);
    context.fillStyle = data.color ?? '#3552c8';
    values.forEach((value, i) => {
      const fraction = Math.min(1, Math.max(0, (value - min) / span));
      const barHeight = Math.max(data.log ? 1 : 0, fraction * (height - top - bottom));
      context.fillRect(i * barWidth + 1, height - bottom - barHeight, Math.max(1, barWidth - 2), barHeight);
    });
    if (data.labels) {
      context.fillStyle = '#495057';
      data.labels.forEach((label, i) => context.fillText(label, i * barWidth + 2, height - 4));
    }
  }
}
