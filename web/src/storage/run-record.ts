// What the lab keeps of a finished run: its settings, per-epoch metrics, the loss curve
// (downsampled), the test results and a few mistakes with their images. Built from the worker's
// events by RunRecordBuilder; pure data (structured-cloneable for IndexedDB), no DOM.
import type { Mistake } from '../engine/types';
import type { EngineEventOf, EpochMetrics, ResolvedSettings } from '../worker/protocol';

export type { EpochMetrics };

/** Points kept of a loss curve: enough for a smooth chart, small enough to keep many runs. */
export const MAX_LOSS_POINTS = 1000;
/** Mistakes (with images) kept per run, for the report. */
export const KEPT_MISTAKES = 8;

export interface RunRecord {
  /** Assigned by the store; undefined until stored (or when storage is unavailable). */
  id?: number;
  /** ISO 8601, when the run finished. */
  date: string;
  /** Training time, evaluation included. */
  seconds: number;
  /** What ran, e.g. "wasm-threads · 2 threads · SIMD". */
  backend: string;
  settings: ResolvedSettings;
  /** The run continued a trained or loaded model. */
  continued: boolean;
  trainCount: number;
  devCount: number;
  testCount: number;
  /** Training images the train metrics are measured on. */
  trainSample: number;
  epochs: EpochMetrics[];
  /** Loss per optimiser step: lossSteps[i] is the step of losses[i] (bucket means when downsampled). */
  lossSteps: number[];
  losses: number[];
  /** Optimiser steps in the run (before downsampling). */
  totalSteps: number;
  testAccuracy: number;
  testLoss: number;
  classes: number;
  /** Row-major true × predicted counts. */
  confusion: number[];
  perClassAccuracy: number[];
  /** The most confidently wrong test images… */
  mistakes: Mistake[];
  /** …and their pixels, 784 bytes each. */
  mistakePixels: Uint8Array;
}

/**
 * At most `maxPoints` points: consecutive steps averaged in equal buckets, each at its mean step.
 * A curve that fits is returned unchanged (copied).
 */
export function downsampleCurve(steps: readonly number[], values: readonly number[], maxPoints = MAX_LOSS_POINTS): { steps: number[]; values: number[] } {
  const n = Math.min(steps.length, values.length);
  if (n <= maxPoints) return { steps: steps.slice(0, n), values: values.slice(0, n) };
  const outSteps: number[] = [];
  const outValues: number[] = [];
  for (let b = 0; b < maxPoints; b++) {
    const start = Math.floor((b * n) / maxPoints);
    const end = Math.floor(((b + 1) * n) / maxPoints);
    let sumStep = 0;
    let sumValue = 0;
    for (let i = start; i < end; i++) {
      sumStep += steps[i]!;
      sumValue += values[i]!;
    }
    outSteps.push(sumStep / (end - start));
    outValues.push(sumValue / (end - start));
  }
  return { steps: outSteps, values: outValues };
}

/** Collects one run's events into a RunRecord. */
export class RunRecordBuilder {
  private readonly steps: number[] = [];
  private readonly losses: number[] = [];
  private readonly epochs: EpochMetrics[] = [];
  private done: EngineEventOf<'done'> | undefined;

  constructor(
    private readonly started: EngineEventOf<'started'>,
    private readonly backend: string,
    private readonly trainSample: number,
  ) {}

  progress(event: EngineEventOf<'progress'>): void {
    for (let i = 0; i < event.losses.length; i++) {
      this.steps.push(event.firstStep + i);
      this.losses.push(event.losses[i]!);
    }
  }

  epoch(event: EngineEventOf<'epoch'>): void {
    const { epoch, trainLoss, trainAccuracy, devLoss, devAccuracy } = event;
    this.epochs.push({ epoch, trainLoss, trainAccuracy, devLoss, devAccuracy });
  }

  finished(event: EngineEventOf<'done'>): void {
    this.done = event;
  }

  /** The record, once `done` came; `date` is when the results arrived. */
  build(results: EngineEventOf<'results'>, date: Date): RunRecord | undefined {
    const { started, done } = this;
    if (!done) return undefined;
    const curve = downsampleCurve(this.steps, this.losses);
    const kept = results.mistakes.slice(0, KEPT_MISTAKES);
    return {
      date: date.toISOString(),
      seconds: done.seconds,
      backend: this.backend,
      settings: { ...started.settings },
      continued: started.continued ?? false,
      trainCount: started.trainCount,
      devCount: started.devCount,
      testCount: done.testCount,
      trainSample: this.trainSample,
      epochs: [...this.epochs],
      lossSteps: curve.steps,
      losses: curve.values,
      totalSteps: this.steps.length,
      testAccuracy: done.testAccuracy,
      testLoss: done.testLoss,
      classes: results.classes,
      confusion: [...results.confusion],
      perClassAccuracy: [...results.perClassAccuracy],
      mistakes: kept.map((m) => ({ ...m })),
      mistakePixels: results.mistakePixels.slice(0, kept.length * 784),
    };
  }
}
