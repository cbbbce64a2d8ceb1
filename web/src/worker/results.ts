// The test set in detail after a run, without the engine: which test images fall in a cell of the
// confusion matrix, and copying images out of the test set's pixels. Unit-tested.
import type { Mistake } from '../engine/types';
import { IMAGE_BYTES } from './datasets';

/** Mistakes shown in the gallery of most confidently wrong test images. */
export const GALLERY_MISTAKES = 12;

/** The mistakes, most confident first (a copy). */
export function byConfidence(mistakes: readonly Mistake[]): Mistake[] {
  return [...mistakes].sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}

/**
 * Test indices in the cell (true `label`, predicted `predicted`), in test-set order. `mistakes`
 * must hold every wrong prediction: an off-diagonal cell is read from it, a diagonal cell is the
 * images of that label that are not mistakes.
 */
export function cellIndices(labels: ArrayLike<number>, mistakes: readonly Mistake[], label: number, predicted: number): number[] {
  if (label !== predicted) {
    return mistakes
      .filter((m) => m.label === label && m.predicted === predicted)
      .map((m) => m.index)
      .sort((a, b) => a - b);
  }
  const wrong = new Set(mistakes.map((m) => m.index));
  const indices: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === label && !wrong.has(i)) indices.push(i);
  return indices;
}

/** The images at `indices`, IMAGE_BYTES each, concatenated into a new buffer (to transfer). */
export function gatherImages(pixels: Uint8Array, indices: readonly number[]): Uint8Array {
  const out = new Uint8Array(indices.length * IMAGE_BYTES);
  indices.forEach((index, i) => out.set(pixels.subarray(index * IMAGE_BYTES, (index + 1) * IMAGE_BYTES), i * IMAGE_BYTES));
  return out;
}
