// "Inside the network"'s state, as signals fed by the worker: each epoch's parameter histograms
// (the `histograms` event while training, inspectModel after it), the convolution filters, and the
// layer outputs for one image (a test image, a mistake or the student's drawing). Only the answer
// to the latest request is shown. No DOM: the components (inside-panel.tsx) read it.
import { batch, signal } from '@preact/signals';
import type { ConvFilters } from '../../engine/inspect-types';
import type { Mistake } from '../../engine/types';
import type { HistogramsAnswer, InspectSource, LayerOutputsAnswer, ModelPictures } from '../../worker/protocol';
import type { EngineEvents } from '../train/train-store';

/** What the store asks the worker (engine.api, with the drawing's pixels transferred). */
export interface InsideRequests {
  inspectModel(): Promise<ModelPictures>;
  inspect(source: InspectSource): Promise<LayerOutputsAnswer>;
}

/** Layer outputs for one image, and which test image it is (undefined: the student's drawing). */
export interface ShownOutputs {
  answer: LayerOutputsAnswer;
  testIndex: number | undefined;
}

export class InsideStore {
  /** One entry per epoch, in epoch order. */
  readonly histograms = signal<HistogramsAnswer[]>([]);
  /** The position in `histograms` the slider shows (undefined: the last one, as they arrive). */
  readonly shownEpoch = signal<number | undefined>(undefined);
  readonly filters = signal<ConvFilters[] | undefined>(undefined);
  readonly outputs = signal<ShownOutputs | undefined>(undefined);
  /** An image's outputs were asked for and are not in yet. */
  readonly loading = signal(false);
  readonly mistakes = signal<Mistake[]>([]);
  readonly testCount = signal(0);
  /** The test image asked for last (the number field shows it). */
  readonly testIndex = signal(0);

  private nextId = 1;
  private pending: number | undefined;

  constructor(
    events: EngineEvents,
    private readonly requests: InsideRequests,
  ) {
    events.on('histograms', ({ type: _type, ...histograms }) => this.addHistograms(histograms));
  }

  /** A new run starts: the previous model's pictures go. */
  reset(): void {
    batch(() => {
      this.histograms.value = [];
      this.shownEpoch.value = undefined;
      this.filters.value = undefined;
      this.outputs.value = undefined;
      this.loading.value = false;
      this.pending = undefined; // a late answer for the old model is ignored
    });
  }

  /** The run finished: asks for the model's filters and histograms and the current test image's maps. */
  open(mistakes: Mistake[], testCount: number): void {
    batch(() => {
      this.mistakes.value = mistakes;
      this.testCount.value = testCount;
    });
    // A failure is shown by the training screen (the worker sends it as an error event too).
    this.requests.inspectModel().then(({ histograms, filters }) => {
      batch(() => {
        this.addHistograms(histograms);
        this.filters.value = filters;
      });
    }, () => undefined);
    this.showTest(this.testIndex.peek());
  }

  showTest(index: number): void {
    this.testIndex.value = index;
    this.inspect({ kind: 'test', index });
  }

  showRandomTest(): void {
    this.showTest(Math.floor(Math.random() * Math.max(1, this.testCount.peek())));
  }

  /** The student's drawing (28 × 28). */
  showPixels(pixels: Uint8Array): void {
    this.inspect({ kind: 'pixels', pixels });
  }

  /** The slider: the histograms after the epoch at `position`. */
  showEpoch(position: number): void {
    this.shownEpoch.value = position;
  }

  private addHistograms(histograms: HistogramsAnswer): void {
    this.histograms.value = [...this.histograms.peek().filter((e) => e.epoch !== histograms.epoch), histograms].sort((a, b) => a.epoch - b.epoch);
  }

  private inspect(source: InspectSource): void {
    const id = this.nextId++;
    this.pending = id;
    this.loading.value = true;
    const testIndex = source.kind === 'test' ? source.index : undefined;
    // A failure is shown by the training screen; the last answer stays.
    const answered = (answer: LayerOutputsAnswer | undefined) => {
      if (id !== this.pending) return; // a newer image was asked for (or the run was reset)
      this.pending = undefined;
      batch(() => {
        if (answer) this.outputs.value = { answer, testIndex };
        this.loading.value = false;
      });
    };
    this.requests.inspect(source).then(answered, () => answered(undefined));
  }
}
