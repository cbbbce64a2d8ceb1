// The drawing pad's state: the drawing is made MNIST-like (digit-preprocess.ts) and sent to the
// worker's trained model while the student draws (one request in flight, at most every
// PREDICT_INTERVAL_MS); its answer, what the model saw and whether a prediction is on its way are
// signals, published at most once per animation frame (a clear at once). No DOM: the pad's canvas
// (draw-pad.tsx) hands over its ink, the engine and the frame clock are parameters.
import { batch, signal } from '@preact/signals';
import { oncePerFrame, type RequestFrame } from '../../ui/once-per-frame';
import { preprocessDigit } from './digit-preprocess';

export const PREDICT_INTERVAL_MS = 80;

/** The trained model's prediction (engine.api.predict, with the pixels transferred). */
export type Predict = (pixels: Uint8Array) => Promise<number[]>;

/** The drawing's ink: one grey level (0–255) per canvas pixel, row-major, width × height. */
export interface Ink {
  pixels: Uint8Array;
  width: number;
  height: number;
}

export class DrawStore {
  /** The last answer's 10 probabilities (undefined: nothing drawn, or no answer yet). */
  readonly probabilities = signal<number[] | undefined>(undefined);
  /** What the model sees of the drawing (28 × 28), once something is drawn. */
  readonly input = signal<Uint8Array | undefined>(undefined);
  /** A prediction is on its way or waiting for its turn (data-busy, for tests). */
  readonly busy = signal(false);
  /** Counts the clears: the canvas blanks itself when it changes. */
  readonly clears = signal(0);

  private readInk: (() => Ink) | undefined;
  private probabilitiesNow: number[] | undefined;
  private inputNow: Uint8Array | undefined;
  private nextId = 1;
  private inFlight: number | undefined;
  private pending = false;
  private lastSent = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly frame;

  constructor(
    private readonly predict: Predict,
    requestFrame?: RequestFrame,
  ) {
    this.frame = oncePerFrame(() => this.publish(), requestFrame);
  }

  /** What the model sees of the current drawing (a copy), if anything is drawn. */
  get drawnInput(): Uint8Array | undefined {
    return this.inputNow?.slice();
  }

  /** The student drew: the drawing (read by `readInk` when its turn comes) is sent to the model. */
  drew(readInk: () => Ink): void {
    this.readInk = readInk;
    this.sendOrWait();
    this.frame.schedule();
  }

  /** Forgets the drawing and its prediction (a late answer for it is ignored); shown at once. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.readInk = undefined;
    this.probabilitiesNow = undefined;
    this.inputNow = undefined;
    this.pending = false;
    this.inFlight = undefined;
    this.publish();
    this.clears.value++;
  }

  private publish(): void {
    batch(() => {
      this.probabilities.value = this.probabilitiesNow;
      this.input.value = this.inputNow;
      this.busy.value = this.inFlight !== undefined || this.pending || this.timer !== undefined;
    });
  }

  /** Sends the drawing now if allowed, else once the interval has passed or the answer is in. */
  private sendOrWait(): void {
    this.pending = true;
    if (this.inFlight !== undefined || this.timer !== undefined) return;
    const wait = this.lastSent + PREDICT_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.sendOrWait();
        this.frame.schedule();
      }, wait);
      return;
    }
    this.pending = false;
    const ink = this.readInk?.();
    const pixels = ink && preprocessDigit(ink.pixels, ink.width, ink.height);
    if (!pixels) return;
    this.inputNow = pixels.slice();
    const id = this.nextId++;
    this.inFlight = id;
    this.lastSent = performance.now();
    // A failure is shown by the training screen (the worker sends it as an error event too).
    this.predict(pixels).then(
      (probabilities) => this.answered(id, probabilities),
      () => this.answered(id, undefined),
    );
  }

  private answered(id: number, probabilities: number[] | undefined): void {
    if (id !== this.inFlight) return; // an answer for a cleared drawing
    this.inFlight = undefined;
    if (probabilities) this.probabilitiesNow = probabilities;
    if (this.pending) this.sendOrWait();
    this.frame.schedule();
  }
}
