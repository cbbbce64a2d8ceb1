// A drawn digit made to look like an MNIST digit (LeCun et al.): the ink's bounding box is scaled
// to fit 20×20 keeping its aspect ratio (area-averaged, so strokes get grey edges), then placed in
// a 28×28 field so that its centre of mass is at the field's centre (14, 14). White on black,
// uint8 0–255. Pure; unit-tested.

export const FIELD = 28;
export const BOX = 20;
/** Source values at or below this count as no ink (canvas antialiasing noise). */
export const INK_THRESHOLD = 8;

export interface InkBox {
  left: number;
  top: number;
  /** Exclusive. */
  right: number;
  bottom: number;
}

/** The bounding box of the ink in a width×height grid of 0–255 values, or undefined when empty. */
export function inkBox(ink: ArrayLike<number>, width: number, height: number): InkBox | undefined {
  let left = width;
  let top = height;
  let right = 0;
  let bottom = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= INK_THRESHOLD) continue;
      if (x < left) left = x;
      if (x >= right) right = x + 1;
      if (y < top) top = y;
      if (y >= bottom) bottom = y + 1;
    }
  }
  return right > left ? { left, top, right, bottom } : undefined;
}

/**
 * Weights of source pixels 0..n-1 on target pixels 0..m-1 when the source is scaled by `scale`
 * (source pixel i covers [i·scale, (i+1)·scale) in target units): overlap lengths.
 */
function overlaps(n: number, m: number, scale: number): Float64Array {
  const w = new Float64Array(m * n);
  for (let i = 0; i < n; i++) {
    const a = i * scale;
    const b = (i + 1) * scale;
    for (let t = Math.floor(a); t < Math.min(m, Math.ceil(b)); t++) w[t * n + i] = Math.min(b, t + 1) - Math.max(a, t);
  }
  return w;
}

/** Centre of mass (of pixel centres) of a w×h grid; undefined when it has no mass. */
export function centreOfMass(values: ArrayLike<number>, width: number, height: number): { x: number; y: number } | undefined {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x]!;
      mass += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : undefined;
}

/**
 * A width×height grid of ink values (0–255, e.g. the red channel of a white-on-black canvas) as a
 * 28×28 MNIST-like image, or undefined when there is no ink.
 */
export function preprocessDigit(ink: ArrayLike<number>, width: number, height: number): Uint8Array | undefined {
  const box = inkBox(ink, width, height);
  if (!box) return undefined;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const scale = BOX / Math.max(bw, bh);
  const tw = Math.max(1, Math.min(BOX, Math.ceil(bw * scale - 1e-9)));
  const th = Math.max(1, Math.min(BOX, Math.ceil(bh * scale - 1e-9)));

  // Area-average resampling, separable: rows first (bw → tw), then columns (bh → th).
  const wx = overlaps(bw, tw, scale);
  const wy = overlaps(bh, th, scale);
  const rows = new Float64Array(bh * tw);
  for (let y = 0; y < bh; y++) {
    const base = (box.top + y) * width + box.left;
    for (let t = 0; t < tw; t++) {
      let sum = 0;
      for (let x = 0; x < bw; x++) {
        const weight = wx[t * bw + x]!;
        if (weight > 0) sum += weight * ink[base + x]!;
      }
      rows[y * tw + t] = sum;
    }
  }
  const small = new Float64Array(th * tw);
  for (let t = 0; t < th; t++) {
    for (let y = 0; y < bh; y++) {
      const weight = wy[t * bh + y]!;
      if (weight === 0) continue;
      for (let x = 0; x < tw; x++) small[t * tw + x] = small[t * tw + x]! + weight * rows[y * tw + x]!;
    }
  }
  // Each target pixel is 1×1; the weights summed over its area, so this is the mean ink over it.
  const centre = centreOfMass(small, tw, th);
  if (!centre) return undefined;
  const dx = Math.round(FIELD / 2 - centre.x);
  const dy = Math.round(FIELD / 2 - centre.y);
  const out = new Uint8Array(FIELD * FIELD);
  for (let y = 0; y < th; y++) {
    const fy = y + dy;
    if (fy < 0 || fy >= FIELD) continue;
    for (let x = 0; x < tw; x++) {
      const fx = x + dx;
      if (fx < 0 || fx >= FIELD) continue;
      out[fy * FIELD + fx] = Math.max(0, Math.min(255, Math.round(small[y * tw + x]!)));
    }
  }
  return out;
}
