// The results panel's pure parts: the MNIST-like preprocessing of a drawn digit, and the course's
// bias/variance reading.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../web/src/screens/train/diagnosis';
import THRESHOLDS from '../../../web/src/screens/train/diagnosis-thresholds.json';
import { LOCALE_LIST, messages, tf } from '../../../web/src/i18n';
import { centreOfMass, FIELD, inkBox, preprocessDigit } from '../../../web/src/screens/train/digit-preprocess';

const W = 280;
const H = 280;

/** A W×H canvas with white (255) filled rectangles and discs. */
function canvas(draw: (set: (x: number, y: number) => void) => void): Uint8Array {
  const ink = new Uint8Array(W * H);
  draw((x, y) => {
    if (x >= 0 && x < W && y >= 0 && y < H) ink[y * W + x] = 255;
  });
  return ink;
}
const rect = (x0: number, y0: number, x1: number, y1: number) => (set: (x: number, y: number) => void) => {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) set(x, y);
};
const disc = (cx: number, cy: number, r: number) => (set: (x: number, y: number) => void) => {
  for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y);
};

describe('preprocessDigit (MNIST-like)', () => {
  it('returns nothing for an empty canvas (no prediction)', () => {
    expect(preprocessDigit(new Uint8Array(W * H), W, H)).toBeUndefined();
    expect(preprocessDigit(new Uint8Array(W * H).fill(5), W, H)).toBeUndefined(); // below the ink threshold
  });

  it('keeps a centred blob centred, scaled to 20 px', () => {
    const out = preprocessDigit(canvas(disc(140, 140, 60)), W, H)!;
    expect(out).toHaveLength(FIELD * FIELD);
    const centre = centreOfMass(out, FIELD, FIELD)!;
    expect(centre.x).toBeCloseTo(14, 0);
    expect(centre.y).toBeCloseTo(14, 0);
    const box = inkBox(out, FIELD, FIELD)!;
    expect(box.right - box.left).toBe(20);
    expect(box.bottom - box.top).toBe(20);
    expect(box).toEqual({ left: 4, top: 4, right: 24, bottom: 24 });
    expect(Math.max(...out)).toBe(255);
  });

  it('centres an off-centre stroke by its mass, and scales its bounding box to 20 px keeping the aspect ratio', () => {
    // A vertical bar (a "1") in the top-left corner: 20 px wide, 200 px tall → 2 × 20 in the box.
    const out = preprocessDigit(canvas(rect(10, 5, 30, 205)), W, H)!;
    const box = inkBox(out, FIELD, FIELD)!;
    expect(box.bottom - box.top).toBe(20);
    expect(box.right - box.left).toBe(2);
    const centre = centreOfMass(out, FIELD, FIELD)!;
    expect(Math.abs(centre.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(centre.y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('centres by mass, not by the bounding box', () => {
    // A heavy disc on the left with a thin line to the right: the mass sits left of the box centre.
    const out = preprocessDigit(canvas((set) => {
      disc(80, 140, 40)(set);
      rect(80, 138, 240, 142)(set);
    }), W, H)!;
    const box = inkBox(out, FIELD, FIELD)!;
    // 20 px wide after scaling; the faint tip of the tail may fall off the field's edge, as in MNIST.
    expect(box.right - box.left).toBeGreaterThanOrEqual(19);
    const centre = centreOfMass(out, FIELD, FIELD)!;
    expect(Math.abs(centre.x - 14)).toBeLessThanOrEqual(0.5);
    expect((box.left + box.right) / 2).toBeGreaterThan(15); // the box itself is pushed right
  });

  it('scales a small drawing up to 20 px', () => {
    const out = preprocessDigit(canvas(rect(100, 100, 105, 110)), W, H)!;
    const box = inkBox(out, FIELD, FIELD)!;
    expect(box.bottom - box.top).toBe(20);
    expect(box.right - box.left).toBe(10);
  });
});

describe('bias / variance reading (the course table, human error ≈ 0 %)', () => {
  it.each([
    [1, 11, 'high-variance'],
    [15, 16, 'high-bias'],
    [15, 30, 'high-bias-and-variance'],
    [0.5, 1, 'fine'],
  ] as const)('train error %s, dev error %s → %s', (train, dev, reading) => {
    expect(diagnose(train, dev).reading).toBe(reading);
  });

  it('reports the avoidable bias and the variance in points', () => {
    expect(diagnose(15, 30, 0.5)).toMatchObject({ avoidableBias: 14.5, variance: 15, highBias: true, highVariance: true });
  });

  it('reads with the thresholds of diagnosis-thresholds.json, the file the native recipe test reads', () => {
    const { highBiasPoints, highVariancePoints, humanErrorPercent } = THRESHOLDS;
    const atBias = humanErrorPercent + highBiasPoints;
    expect(diagnose(atBias, atBias).highBias).toBe(false);
    expect(diagnose(atBias + 0.01, atBias + 0.01).highBias).toBe(true);
    expect(diagnose(atBias, atBias + highVariancePoints).highVariance).toBe(false);
    expect(diagnose(atBias, atBias + highVariancePoints + 0.01).highVariance).toBe(true);
  });

  it('the texts print the thresholds and the human error through placeholders, never as copied numbers', () => {
    for (const locale of LOCALE_LIST) {
      const text = messages(locale);
      expect(text['results.diagnosis.thresholds'], locale).toMatch(/\{bias\}[^]*\{variance\}/);
      expect(text['results.diagnosis.errors'], locale).toContain('{human}');
      expect(text['labs.bias-variance.intro'], locale).toContain('{human}');
      expect(tf('results.diagnosis.errors', { train: '', dev: '', sample: 1, human: THRESHOLDS.humanErrorPercent }, locale)).not.toContain('{');
    }
  });
});
