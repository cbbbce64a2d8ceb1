// The drawing pad's store without a page: strokes send the drawing to a fake model, one request in
// flight and at most one per PREDICT_INTERVAL_MS; what is shown changes once per animation frame
// (a fake frame clock), a clear at once, and a late answer for a cleared drawing is ignored.
import { effect } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DrawStore, PREDICT_INTERVAL_MS, type Ink } from '../../../web/src/screens/train/draw-store';
import { fakeFrames } from './fake-frames';

/** A model whose answers the test gives: each call waits for answer(). */
function fakeModel() {
  const calls: { pixels: Uint8Array; answer: (probabilities: number[]) => Promise<void> }[] = [];
  const predict = (pixels: Uint8Array) =>
    new Promise<number[]>((resolve) => {
      calls.push({
        pixels,
        answer: async (probabilities) => {
          resolve(probabilities);
          await Promise.resolve(); // the store's then() runs
        },
      });
    });
  return { calls, predict };
}

/** A 56 × 56 canvas with a vertical stroke of `length` rows (a "1"). */
function strokeInk(length: number): () => Ink {
  const width = 56;
  const pixels = new Uint8Array(width * width);
  for (let y = 10; y < 10 + length; y++) pixels.fill(255, y * width + 26, y * width + 30);
  return () => ({ pixels, width, height: width });
}

const oneHot = (digit: number) => Array.from({ length: 10 }, (_, i) => (i === digit ? 1 : 0));

describe('the drawing store', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => void vi.useRealTimers());

  it('sends one drawing at a time, at most every PREDICT_INTERVAL_MS, and shows the answer in the next frame', async () => {
    const frames = fakeFrames();
    const model = fakeModel();
    const store = new DrawStore(model.predict, frames.requestFrame);
    let redraws = 0;
    effect(() => {
      void store.probabilities.value;
      void store.input.value;
      void store.busy.value;
      redraws++;
    });
    redraws = 0;

    for (let i = 0; i < 50; i++) store.drew(strokeInk(10 + i));
    expect(model.calls.length).toBe(1); // the first stroke is sent, the others wait for its answer
    expect(store.busy.value).toBe(false); // nothing shown before the frame
    frames.tick();
    expect(redraws).toBe(1); // 50 strokes, one redraw
    expect(store.busy.value).toBe(true);
    expect(store.input.value).toEqual(model.calls[0]!.pixels);
    expect(store.probabilities.value).toBeUndefined();

    // The answer comes within the interval: the waiting drawing goes once the interval has passed.
    await model.calls[0]!.answer(oneHot(1));
    expect(model.calls.length).toBe(1);
    frames.tick();
    expect(store.probabilities.value).toEqual(oneHot(1));
    expect(store.busy.value).toBe(true); // the last drawing still waits for its turn
    vi.advanceTimersByTime(PREDICT_INTERVAL_MS);
    expect(model.calls.length).toBe(2);
    expect(Array.from(model.calls[1]!.pixels)).not.toEqual(Array.from(model.calls[0]!.pixels)); // the latest drawing
    await model.calls[1]!.answer(oneHot(7));
    expect(store.probabilities.value).toEqual(oneHot(1)); // until the frame
    frames.tick();
    expect(store.probabilities.value).toEqual(oneHot(7));
    expect(store.busy.value).toBe(false);
    expect(store.drawnInput).toEqual(model.calls[1]!.pixels);
    expect(store.drawnInput).not.toBe(store.drawnInput); // a copy each time
  });

  it('clears at once, and ignores a late answer for the cleared drawing', async () => {
    const frames = fakeFrames();
    const model = fakeModel();
    const store = new DrawStore(model.predict, frames.requestFrame);
    store.drew(strokeInk(20));
    frames.tick();
    expect(store.busy.value).toBe(true);
    const clears = store.clears.value;
    store.clear();
    expect(store.clears.value).toBe(clears + 1); // the canvas blanks itself
    expect(store.busy.value).toBe(false);
    expect(store.input.value).toBeUndefined();
    expect(store.drawnInput).toBeUndefined();
    await model.calls[0]!.answer(oneHot(3));
    frames.tick();
    expect(store.probabilities.value).toBeUndefined();
    expect(store.busy.value).toBe(false);
  });

  it('sends nothing for an empty canvas', () => {
    const frames = fakeFrames();
    const model = fakeModel();
    const store = new DrawStore(model.predict, frames.requestFrame);
    store.drew(() => ({ pixels: new Uint8Array(56 * 56), width: 56, height: 56 }));
    frames.tick();
    expect(model.calls.length).toBe(0);
    expect(store.busy.value).toBe(false);
    expect(store.input.value).toBeUndefined();
  });
});
