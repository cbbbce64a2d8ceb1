// The inside views' leaf widgets: small canvases painted from numbers (maps.ts) in an effect,
// grey maps of values and histogram bars. Sizes on screen come from CSS (a map is enlarged
// pixelated); `style` goes through the CSSOM, which the page's CSP allows.
import type { CSSProperties } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Histogram } from '../../engine/inspect-types';
import { histogramBars, toGrayRgba, type Range } from './maps';

export interface GrayCanvasProps {
  values: ArrayLike<number>;
  offset: number;
  height: number;
  width: number;
  range: Range;
  title?: string;
  style?: CSSProperties;
}

/** values[offset, offset + height·width) as a grey image: range.low black, range.high white. */
export function GrayCanvas({ values, offset, height, width, range, title, style }: GrayCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    image.data.set(toGrayRgba(values, offset, height * width, range));
    context.putImageData(image, 0, 0);
  }, [values, offset, height, width, range.low, range.high]);
  return <canvas ref={ref} width={width} height={height} class="map" title={title} style={style} />;
}

const HISTOGRAM_WIDTH = 180;
const HISTOGRAM_HEIGHT = 60;

/** One bar per bin, the fullest reaching the top. */
export function HistogramCanvas({ histogram, color, label }: { histogram: Histogram; color: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT);
    context.fillStyle = color;
    for (const bar of histogramBars(histogram, HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT)) context.fillRect(bar.x, HISTOGRAM_HEIGHT - bar.height, Math.max(1, bar.width - 1), bar.height);
  }, [histogram, color]);
  return <canvas ref={ref} width={HISTOGRAM_WIDTH} height={HISTOGRAM_HEIGHT} class="histogram" aria-label={label} title={label} />;
}
