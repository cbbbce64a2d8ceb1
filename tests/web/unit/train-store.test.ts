// The training screen's store without a page: the worker's events through a fake emitter, animation
// frames from a fake clock run by hand. However many progress events arrive, the page redraws at
// most once per frame, and the loss chart at most every CHART_INTERVAL_MS; a reopened run shows its
// saved curves.
import { effect } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { CHART_INTERVAL_MS, TrainStore } from '../../../web/src/screens/train/train-store';
import type { RequestFrame } from '../../../web/src/ui/once-per-frame';
import type { EngineEvent, EngineEventOf, EngineEventType, ResolvedSettings } from '../../../web/src/worker/protocol';

function fakeEvents() {
  const handlers = new Map<EngineEventType, ((event: EngineEvent) => void)[]>();
  return {
    on<T extends EngineEventType>(type: T, handler: (event: EngineEventOf<T>) => void) {
      handlers.set(type, [...(handlers.get(type) ?? []), handler as (event: EngineEvent) => void]);
    },
    emit(event: EngineEvent) {
      for (const handler of handlers.get(event.type) ?? []) handler(event);
    },
  };
}

/** Frames run only when the test says so. */
function fakeClock() {
  let callbacks: ((now: number) => void)[] = [];
  const clock: { requestFrame: RequestFrame; pending(): number; frame(now: number): void } = {
    requestFrame: (callback) => void callbacks.push(callback),
    pending: () => callbacks.length,
    frame(now) {
      const due = callbacks;
      callbacks = [];
      for (const callback of due) callback(now);
    },
  };
  return clock;
}

/** Counts how often a signal-reading function's result is recomputed (a component's redraw). */
function countRuns(read: () => unknown): { runs: number } {
  const counter = { runs: -1 }; // effect() runs once at once
  effect(() => {
    read();
    counter.runs++;
  });
  return counter;
}

function progress(firstStep: number, count: number): EngineEventOf<'progress'> {
  const losses = Float32Array.from({ length: count }, (_, i) => 1 / (firstStep + i));
  return { type: 'progress', epoch: 1, batch: firstStep + count - 1, batchesPerEpoch: 1000, step: firstStep + count - 1, firstStep, losses, samplesPerSecond: 100, loss: losses.at(-1)!, learningRate: 0.001 };
}

const SETTINGS = { preset: 'mlp', dataset: 'mnist', epochs: 2 } as unknown as ResolvedSettings;
const started: EngineEventOf<'started'> = { type: 'started', settings: SETTINGS, batchesPerEpoch: 1000, trainCount: 55000, devCount: 5000, testCount: 10000, threads: 2 };

describe('the training store', () => {
  it('100 progress events cause at most one redraw per frame, and the loss chart at most every CHART_INTERVAL_MS', () => {
    const events = fakeEvents();
    const clock = fakeClock();
    const store = new TrainStore(events, clock.requestFrame);
    store.beginRun();
    events.emit(started);
    events.emit({ type: 'status', status: 'training' });
    clock.frame(0);
    const progressRedraws = countRuns(() => store.progress.value);
    const chartRedraws = countRuns(() => store.lossCurve.value);

    for (let i = 0; i < 100; i++) events.emit(progress(1 + 10 * i, 10));
    expect(progressRedraws.runs).toBe(0); // nothing drawn between frames
    expect(clock.pending()).toBe(1);
    clock.frame(CHART_INTERVAL_MS);
    expect(progressRedraws.runs).toBe(1);
    expect(chartRedraws.runs).toBe(1);
    expect(store.progress.value?.step).toBe(1000);
    expect(store.lossCurve.value.losses).toHaveLength(1000);

    // The next frames, within CHART_INTERVAL_MS: progress is shown, the chart waits.
    for (let frame = 1; frame <= 10; frame++) {
      for (let i = 0; i < 100; i++) events.emit(progress(1001 + 1000 * (frame - 1) + 10 * i, 10));
      clock.frame(CHART_INTERVAL_MS + frame * 16);
      expect(progressRedraws.runs).toBe(1 + frame);
    }
    expect(chartRedraws.runs).toBe(1);
    events.emit(progress(20_001, 10));
    clock.frame(2 * CHART_INTERVAL_MS);
    expect(chartRedraws.runs).toBe(2);
    expect(store.lossCurve.value.losses).toHaveLength(11_010);
    expect(store.lossRedraws.value).toBe(3); // the frame after started, and these two
  });

  it('draws the last losses when the run ends (a background tab draws when shown again)', () => {
    const events = fakeEvents();
    const clock = fakeClock();
    const store = new TrainStore(events, clock.requestFrame);
    store.beginRun();
    events.emit(started);
    clock.frame(1000);
    events.emit(progress(1, 5));
    clock.frame(1010); // within the interval: the 5 losses wait
    expect(store.lossCurve.value.losses).toHaveLength(0);
    events.emit({ type: 'done', testAccuracy: 0.9, testLoss: 0.3, testCount: 10000, seconds: 3, kept: { which: 'last', epoch: 1, bestEpoch: 0, bestDevAccuracy: 0, lastDevAccuracy: 0, stoppedEarly: false } });
    expect(store.phase.value).toBe('done');
    clock.frame(1020);
    expect(store.lossCurve.value.losses).toEqual(Array.from(progress(1, 5).losses));
  });

  it('a reopened run shows its saved curves; its re-measured last epoch replaces the saved one', () => {
    const events = fakeEvents();
    const clock = fakeClock();
    const store = new TrainStore(events, clock.requestFrame);
    const epoch = (n: number, devAccuracy: number) => ({ epoch: n, trainLoss: 0.1, trainAccuracy: 0.97, devLoss: 0.2, devAccuracy });
    const curves = { epochs: [epoch(1, 0.9), epoch(2, 0.95)], lossSteps: [1, 500, 1000], losses: [2.3, 0.4, 0.2] };
    events.emit({ type: 'modelLoaded', source: 'run.profundo', settings: SETTINGS, curves, epochs: 2, trainCount: 55000, devCount: 5000, testCount: 10000 });
    events.emit({ type: 'epoch', ...epoch(2, 0.951) });
    clock.frame(16);
    expect(store.lossCurve.value).toEqual({ steps: [1, 500, 1000], losses: [2.3, 0.4, 0.2] });
    expect(store.epochs.value.map((e) => [e.epoch, e.devAccuracy])).toEqual([[1, 0.9], [2, 0.951]]);

    // A file saved before curves were kept: none shown (not the previous run's).
    events.emit({ type: 'modelLoaded', source: 'old.profundo', settings: SETTINGS, curves: undefined, epochs: 2, trainCount: 55000, devCount: 5000, testCount: 10000 });
    clock.frame(32);
    expect(store.lossCurve.value.losses).toEqual([]);
    expect(store.epochs.value).toEqual([]);
  });

  it('a crash ends the run and forgets the model; a refused setting is shown as the error', () => {
    const events = fakeEvents();
    const store = new TrainStore(events, fakeClock().requestFrame);
    store.beginRun();
    events.emit({ type: 'error', error: { code: 'bad-request', message: 'training.optimizer.learning_rate must be > 0' } });
    expect(store.phase.value).toBe('failed');
    expect(store.error.value?.code).toBe('bad-request');
    store.beginRun();
    expect(store.error.value).toBeUndefined();
    events.emit({ type: 'error', error: { code: 'crashed', message: 'gone' } });
    expect(store.phase.value).toBe('failed');
    expect(store.error.value).toBeUndefined(); // the backend panel shows crashes
  });
});
