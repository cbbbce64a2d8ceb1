// A canvas for 2-D lab views: a window [x0, x1] × [y0, y1] on which layers are drawn in order —
// a probability field (decision regions), contour lines, points of two classes, paths. Clicks are
// reported in window coordinates. It redraws everything from what it was last given.
import { contourLevels, contourSegments } from './contours';

export const CLASS_COLORS = ['#d9480f', '#1c7ed6'] as const;
export const PATH_COLORS = ['#e03131', '#2f9e44', '#7048e8', '#f08c00', '#0c8599'] as const;

export interface Window2D {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface Plot2DLayers {
  /** ŷ in [0, 1] on a [rows, columns] grid over the window: blended between the class colours. */
  field?: { values: ArrayLike<number>; columns: number; rows: number };
  /** Contour lines of a grid over the window. */
  contours?: { values: ArrayLike<number>; columns: number; rows: number; levels?: number };
  /** The ŷ = 0.5 line of `field` (the decision boundary). */
  boundary?: boolean;
  points?: { x: ArrayLike<number>; labels: ArrayLike<number> };
  paths?: { w1: ArrayLike<number>; w2: ArrayLike<number>; color: string; label: string }[];
  /** A marked point (an optimum, a start). */
  marks?: { x: number; y: number; color: string }[];
}

export class Plot2D {
  readonly element: HTMLCanvasElement;
  private window: Window2D = { x0: -1, x1: 1, y0: -1, y1: 1 };
  private layers: Plot2DLayers = {};

  constructor(testId: string, private readonly size = 360) {
    this.element = document.createElement('canvas');
    this.element.width = size;
    this.element.height = size;
    this.element.className = 'plot2d';
    this.element.dataset['testid'] = testId;
  }

  /** Calls back with the window coordinates of a click (and whether shift was held). */
  onClick(handler: (x: number, y: number, shift: boolean) => void): void {
    this.element.addEventListener('click', (event) => {
      const box = this.element.getBoundingClientRect();
      const px = ((event.clientX - box.left) / box.width) * this.size;
      const py = ((event.clientY - box.top) / box.height) * this.size;
      const { x0, x1, y0, y1 } = this.window;
      handler(x0 + (px / this.size) * (x1 - x0), y1 - (py / this.size) * (y1 - y0), event.shiftKey);
    });
  }

  draw(window: Window2D, layers: Plot2DLayers): void {
    this.window = window;
    this.layers = layers;
    const context = this.element.getContext('2d');
    if (!context) return; // no 2-D canvas (tests without one): nothing to draw
    const { size } = this;
    context.clearRect(0, 0, size, size);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, size, size);
    if (layers.field) this.drawField(context, layers.field);
    if (layers.contours) this.drawContours(context, layers.contours, '#868e96', layers.contours.levels ?? 14);
    if (layers.field && layers.boundary) this.drawContours(context, layers.field, '#212529', 0, [0.5]);
    if (layers.points) this.drawPoints(context, layers.points);
    for (const path of layers.paths ?? []) this.drawPath(context, path);
    for (const mark of layers.marks ?? []) {
      const [px, py] = this.toPixel(mark.x, mark.y);
      context.fillStyle = mark.color;
      context.beginPath();
      context.arc(px, py, 5, 0, 2 * Math.PI);
      context.fill();
    }
  }

  private toPixel(x: number, y: number): [number, number] {
    const { x0, x1, y0, y1 } = this.window;
    return [((x - x0) / (x1 - x0)) * this.size, (1 - (y - y0) / (y1 - y0)) * this.size];
  }

  private drawField(context: CanvasRenderingContext2D, field: NonNullable<Plot2DLayers['field']>): void {
    const { columns, rows, values } = field;
    const cellW = this.size / (columns - 1);
    const cellH = this.size / (rows - 1);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const p = Math.min(1, Math.max(0, values[r * columns + c]!));
        // ŷ = 0 → class 0's colour, ŷ = 1 → class 1's; pale so that points stay readable.
        const red = Math.round(255 - p * (255 - 208) - (1 - p) * (255 - 250));
        const green = Math.round(255 - p * (255 - 231) - (1 - p) * (255 - 218));
        const blue = Math.round(255 - p * (255 - 245) - (1 - p) * (255 - 200));
        context.fillStyle = `rgb(${red},${green},${blue})`;
        context.fillRect((c - 0.5) * cellW, this.size - (r + 0.5) * cellH, cellW + 1, cellH + 1);
      }
    }
  }

  private drawContours(
    context: CanvasRenderingContext2D,
    grid: { values: ArrayLike<number>; columns: number; rows: number },
    color: string,
    count: number,
    fixedLevels?: number[],
  ): void {
    const levels = fixedLevels ?? contourLevels(grid.values, count);
    const scaleX = this.size / (grid.columns - 1);
    const scaleY = this.size / (grid.rows - 1);
    context.strokeStyle = color;
    context.lineWidth = fixedLevels ? 2 : 1;
    context.beginPath();
    for (const level of levels) {
      for (const [a, b, c, d] of contourSegments(grid.values, grid.columns, grid.rows, level)) {
        context.moveTo(a * scaleX, this.size - b * scaleY);
        context.lineTo(c * scaleX, this.size - d * scaleY);
      }
    }
    context.stroke();
  }

  private drawPoints(context: CanvasRenderingContext2D, points: NonNullable<Plot2DLayers['points']>): void {
    for (let i = 0; i < points.labels.length; i++) {
      const [px, py] = this.toPixel(points.x[2 * i]!, points.x[2 * i + 1]!);
      context.fillStyle = CLASS_COLORS[points.labels[i]! > 0.5 ? 1 : 0];
      context.strokeStyle = '#ffffff';
      context.beginPath();
      context.arc(px, py, 3.5, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    }
  }

  private drawPath(context: CanvasRenderingContext2D, path: NonNullable<Plot2DLayers['paths']>[number]): void {
    context.strokeStyle = path.color;
    context.fillStyle = path.color;
    context.lineWidth = 1.5;
    context.beginPath();
    for (let i = 0; i < path.w1.length; i++) {
      const [px, py] = this.toPixel(path.w1[i]!, path.w2[i]!);
      if (i === 0) context.moveTo(px, py);
      else context.lineTo(px, py);
    }
    context.stroke();
    const last = path.w1.length - 1;
    if (last >= 0) {
      const [px, py] = this.toPixel(path.w1[last]!, path.w2[last]!);
      context.beginPath();
      context.arc(px, py, 3, 0, 2 * Math.PI);
      context.fill();
    }
  }
}
