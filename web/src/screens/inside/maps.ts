// Numbers to pictures for "inside the network", without the DOM (unit-tested): value ranges,
// grey levels, how a layer's output splits into maps, and histogram bars.
import type { Histogram } from '../../engine/inspect-types';

export interface Range {
  low: number;
  high: number;
}

/** Smallest and largest finite value of values[offset, offset + count); [0, 0] when there is none. */
export function valueRange(values: ArrayLike<number>, offset = 0, count = values.length - offset): Range {
  let low = Infinity;
  let high = -Infinity;
  for (let i = offset; i < offset + count; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return low <= high ? { low, high } : { low: 0, high: 0 };
}

/** ±max|v|, so that 0 is mid grey: weights are read by sign (excitatory white, inhibitory black). */
export function symmetricRange(values: ArrayLike<number>): Range {
  const { low, high } = valueRange(values);
  const bound = Math.max(Math.abs(low), Math.abs(high));
  return { low: -bound, high: bound };
}

/** RGBA grey pixels: low → black, high → white (a flat range is all black); NaN is shown red. */
export function toGrayRgba(values: ArrayLike<number>, offset: number, count: number, range: Range): Uint8ClampedArray {
  const out = new Uint8ClampedArray(count * 4);
  const span = range.high - range.low;
  for (let i = 0; i < count; i++) {
    const v = values[offset + i]!;
    const finite = Number.isFinite(v);
    const gray = finite && span > 0 ? Math.round(((v - range.low) / span) * 255) : 0;
    out[4 * i] = finite ? gray : 255;
    out[4 * i + 1] = finite ? gray : 0;
    out[4 * i + 2] = finite ? gray : 0;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** A layer output's shape as maps: [C, H, W] is C maps of H × W; [F] is one strip of 1 × F. */
export function mapLayout(shape: readonly number[]): { maps: number; height: number; width: number } {
  if (shape.length === 3) return { maps: shape[0]!, height: shape[1]!, width: shape[2]! };
  const size = shape.reduce((a, b) => a * b, 1);
  return { maps: 1, height: 1, width: size };
}

/** Bars of a histogram in a width × height box: one per bin, the fullest bin reaching the top. */
export function histogramBars(histogram: Histogram, width: number, height: number): { x: number; width: number; height: number }[] {
  const bins = histogram.counts.length;
  const most = Math.max(1, ...histogram.counts);
  const barWidth = width / Math.max(1, bins);
  return histogram.counts.map((count, i) => ({ x: i * barWidth, width: barWidth, height: (count / most) * height }));
}

/** Where a bin's left edge lies: low + i · (high − low) / bins. */
export function binEdge(histogram: Histogram, i: number): number {
  return histogram.low + (i * (histogram.high - histogram.low)) / histogram.counts.length;
}
