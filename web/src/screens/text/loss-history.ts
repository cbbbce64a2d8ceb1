// The text run's curves: training loss at progress events and validation loss at evaluations, on
// one step axis (null where a series has no point), plus the frequency-only baseline and a marker
// on the best validation point (the model the run keeps).
import { perplexity } from '../../worker/text-stats';

export interface LossPoint {
  step: number;
  train: number | null;
  validation: number | null;
}

export class LossHistory {
  readonly points: LossPoint[] = [];
  /** Loss of predicting by character frequency alone (NaN until known). */
  baseline = NaN;
  /** The lowest validation loss so far and its step (as the engine's keeper reports it). */
  best: { step: number; loss: number } | undefined;

  clear(): void {
    this.points.length = 0;
    this.baseline = NaN;
    this.best = undefined;
  }

  add(step: number, kind: 'train' | 'validation', loss: number): void {
    const last = this.points.at(-1);
    if (last && last.step === step && last[kind] === null) last[kind] = loss;
    else this.points.push({ step, train: null, validation: null, [kind]: loss });
  }

  get lastValidation(): number | undefined {
    for (let i = this.points.length - 1; i >= 0; i--) {
      const value = this.points[i]!.validation;
      if (value !== null) return value;
    }
    return undefined;
  }

  /** x and the series [train, validation, baseline, best], in nats per character or as perplexities; best has one point. */
  series(asPerplexity: boolean): { x: number[]; ys: (number | null)[][] } {
    const f = (v: number | null) => (v === null || Number.isNaN(v) ? null : asPerplexity ? perplexity(v) : v);
    const best = this.best;
    return {
      x: this.points.map((p) => p.step),
      ys: [
        this.points.map((p) => f(p.train)),
        this.points.map((p) => f(p.validation)),
        this.points.map(() => f(this.baseline)),
        this.points.map((p) => (best && p.step === best.step && p.validation !== null ? f(best.loss) : null)),
      ],
    };
  }
}
