// A 28×28 grey image (white on black) on a canvas, shown enlarged with crisp pixels (CSS): the leaf
// widget every screen draws digits with.
import { useLayoutEffect, useRef } from 'preact/hooks';

export const IMAGE_BYTES = 28 * 28;

function paint(canvas: HTMLCanvasElement, pixels: Uint8Array, offset: number): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(28, 28);
  for (let i = 0; i < IMAGE_BYTES; i++) {
    const v = pixels[offset + i] ?? 0;
    image.data[4 * i] = v;
    image.data[4 * i + 1] = v;
    image.data[4 * i + 2] = v;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

export function DigitCanvas({ pixels, offset = 0, title }: { pixels: Uint8Array; offset?: number; title?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    if (canvas.current) paint(canvas.current, pixels, offset);
  }, [pixels, offset]);
  return <canvas ref={canvas} width={28} height={28} class="digit" title={title} />;
}
