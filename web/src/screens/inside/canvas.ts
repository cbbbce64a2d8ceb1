// Small canvases for "inside the network": grey maps and histogram bars (see maps.ts).
import type { Histogram } from '../../engine/inspect-types';
import { h } from '../../ui/dom';
import { histogramBars, toGrayRgba, type Range } from './maps';

/** values[offset, offset + height·width) as a grey image, drawn `scale` times larger (pixelated by CSS). */
export function grayCanvas(values: ArrayLike<number>, offset: number, height: number, width: number, range: Range, title?: string): HTMLCanvasElement {
  const canvas = h('canvas', { width, height, class: 'map', title });
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(width, height);
    image.data.set(toGrayRgba(values, offset, height * width, range));
    context.putImageData(image, 0, 0);
  }
  return canvas;
}

export function histogramCanvas(histogram: Histogram, color: string, label: string): HTMLCanvasElement {
  const width = 180;
  const height = 60;
  const canvas = h('canvas', { width, height, class: 'histogram', 'aria-label': label, title: label });
  const context = canvas.getContext('2d');
  if (context) {
    context.fillStyle = color;
    for (const bar of histogramBars(histogram, width, height)) context.fillRect(bar.x, height - bar.height, Math.max(1, bar.width - 1), bar.height);
  }
  return canvas;
}
