// The training slice without wasm: URL/form settings, formatting, and the worker's training loop
// driven with a fake engine (time slices, throttled progress, pause/stop, freeing the session).
import { describe, expect, it } from 'vitest';
import { defaultsOf } from '../../../web/src/engine/settings-registry';
import type { BatchReport, ClassifierSession, Evaluation, ImageSet, Preset, ProfundoModule, SplitValue, TrainConfig } from '../../../web/src/engine/types';
import { DatasetCache, fetchGunzipped } from '../../../web/src/worker/datasets';
import { estimateSecondsLeft, formatDuration, formatPercent } from '../../../web/src/screens/train/format';
import type { EngineEvent, JobState, RunCurves, TrainSettings } from '../../../web/src/worker/protocol';
import { JobRunner, type Job, type JobEnd } from '../../../web/src/worker/job-runner';
import { float32ToDecimal, PROGRESS_INTERVAL_MS, resolveSettings, summarizePreset, TRAIN_EVAL_SAMPLES, TrainingRun, type TrainingHost } from '../../../web/src/worker/training';

describe('formatting', () => {
  it('formats percentages per locale and durations', () => {
    expect(formatPercent(0.97853, 'en')).toBe('97.85 %');
    expect(formatPercent(0.97853, 'es')).toBe('97,85 %');
    expect(formatPercent(1, 'en')).toBe('100.00 %');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(estimateSecondsLeft(100, 200, 50, 1000)).toBe(5);
    expect(estimateSecondsLeft(0, 200, 50, 0)).toBeUndefined();
  });
});

// ---- a fake engine ----------------------------------------------------------------------------

const split = (value: number): SplitValue => ({ value });
const SPLIT = { train: split(0), dev: split(1), test: split(2) };

function presetNamed(name: string): Preset {
  const training = defaultsOf<TrainConfig>('training'); // Adam, α 0.001, batch 64 (the engine's registry)
  training.epochs = 5;
  return {
    name,
    description: `${name} model`,
    model: { input: [1, 28, 28], layers: [], loss: 'softmax_cross_entropy' },
    training,
    data: { dev_size: 5000, normalization: 'scale', augment: { max_shift: 0, max_rotation: 0, max_zoom: 0, elastic_alpha: 0, elastic_sigma: 0 } },
  };
}

function fakeImageSet(count: number): ImageSet {
  let deleted = false;
  return { name: 'set', count, height: 28, width: 28, classes: 10, delete: () => void (deleted = true), isDeleted: () => deleted };
}

interface FakeEngineLog {
  /** `history`: what setHistory() was last given (saved in the file's header). */
  sessions: { training: TrainConfig; threads: number; deleted: boolean; history?: string }[];
  evaluations: { split: SplitValue; keep: number; maxSamples: number }[];
  predicted: Uint8Array[];
  /** The epochs restoreKept() went back to. */
  restored: number[];
}

/** Dev accuracy after each epoch (index = epochs trained): rising, so the last epoch is the best one. */
const RISING_DEV_ACCURACY = [0, 0.96, 0.97, 0.98, 0.99, 0.995];

/** A session of `batches` batches per epoch; each batch advances the fake clock by `msPerBatch`. */
function fakeEngine(clock: { t: number }, batches: number, msPerBatch: number, devAccuracy: readonly number[] = RISING_DEV_ACCURACY) {
  const log: FakeEngineLog = { sessions: [], evaluations: [], predicted: [], restored: [] };
  const engine = {
    Split: SPLIT,
    preset: (name: string) => {
      if (name === 'resnet') throw new Error("unknown preset 'resnet'");
      return presetNamed(name);
    },
    ClassifierSession: class {
      private step = 0;
      private readonly record: FakeEngineLog['sessions'][number];
      constructor(_model: unknown, private readonly training: TrainConfig, _data: unknown, _train: ImageSet, _test: ImageSet | null, threads: number) {
        if (!(training.optimizer.learning_rate > 0)) throw new Error(`learning_rate must be a positive number, got ${training.optimizer.learning_rate}`);
        this.record = { training, threads, deleted: false };
        log.sessions.push(this.record);
      }
      trainNextBatch(): BatchReport {
        clock.t += msPerBatch;
        const step = ++this.step;
        const batch = (step - 1) % batches;
        return { epoch: Math.floor((step - 1) / batches), batch, batches_per_epoch: batches, step, samples: this.training.batch_size, loss: 1 / step, learning_rate: 0.001, epoch_finished: batch === batches - 1 };
      }
      finished() {
        return this.step >= this.training.epochs * batches;
      }
      epoch() {
        return Math.floor(this.step / batches);
      }
      setEpochs(epochs: number) {
        this.training.epochs = epochs;
      }
      setHistory(json: string) {
        this.record.history = json;
      }
      /** "Saved" as [step, epochs]. */
      save() {
        return Uint8Array.of(this.step, this.training.epochs);
      }
      batchesPerEpoch() {
        return batches;
      }
      evaluate(s: SplitValue, keep: number, maxSamples: number): Evaluation {
        log.evaluations.push({ split: s, keep, maxSamples });
        // Test images 3, 13, 23 … (label 3) are predicted 5 with confidence rising with the index; 20 of them.
        const mistakes = s === SPLIT.test ? Array.from({ length: 20 }, (_, k) => ({ index: 3 + 10 * k, label: 3, predicted: 5, confidence: 0.5 + k / 100 })) : [];
        const accuracy = s === SPLIT.dev ? devAccuracy[this.epoch()]! : 0.98;
        return { count: s === SPLIT.test ? 10000 : 5000, loss: 0.1, accuracy, classes: 10, confusion: [1, 2, 3], per_class_accuracy: [0.9], mistakes };
      }
      // As the engine's keeper: the epoch of the highest dev accuracy (a tie keeps the earlier one).
      private best = { epoch: 0, accuracy: -1 };
      private last = 0;
      offerDev(accuracy: number) {
        this.last = accuracy;
        if (!(accuracy > this.best.accuracy)) return false;
        this.best = { epoch: this.epoch(), accuracy };
        return true;
      }
      keepsBest() {
        return this.training.keep !== 'last';
      }
      keptEpoch() {
        return this.keepsBest() && this.best.epoch > 0 ? this.best.epoch : this.epoch();
      }
      restoreKept() {
        log.restored.push(this.keptEpoch());
        this.step = this.keptEpoch() * batches;
      }
      bestEpoch() {
        return this.best.epoch;
      }
      bestDevAccuracy() {
        return Math.max(0, this.best.accuracy);
      }
      lastDevAccuracy() {
        return this.last;
      }
      stoppedEarly() {
        return false;
      }
      predictPixels(pixels: Uint8Array) {
        log.predicted.push(pixels);
        return [0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
      }
      trainCount() {
        return 55000;
      }
      devCount() {
        return 5000;
      }
      threads() {
        return this.record.threads;
      }
      delete() {
        this.record.deleted = true;
      }
    } as unknown as ProfundoModule['ClassifierSession'],
  } as Partial<ProfundoModule> as ProfundoModule;
  return { engine, log };
}

function host(clock: { t: number }, onYield: (events: EngineEvent[]) => void = () => {}) {
  const events: EngineEvent[] = [];
  const post = (event: EngineEvent) => void events.push(event);
  const h: TrainingHost = { post, now: () => clock.t, threads: 2 };
  const runner = new JobRunner({ now: () => clock.t, yieldToEventLoop: async () => onYield(events) }, post);
  /** Runs `body` as an image job; resolves with how it ended, rejects with its error. */
  const job = async (body: (job: Job) => Promise<JobEnd>): Promise<JobState> => {
    let thrown: unknown;
    const state = await runner.start('image', (j) => body(j).catch((err: unknown) => Promise.reject((thrown = err)))).finished;
    if (state === 'failed') throw thrown;
    return state;
  };
  return { host: h, events, runner, job };
}

/** Test image i is filled with the byte i % 256; labels cycle 0..9. */
const data = () => {
  const testPixels = new Uint8Array(10000 * 784);
  for (let i = 0; i < 10000; i++) testPixels.fill(i % 256, i * 784, (i + 1) * 784);
  const testLabels = Uint8Array.from({ length: 10000 }, (_, i) => i % 10);
  return { name: 'mnist' as const, train: fakeImageSet(60000), test: fakeImageSet(10000), testPixels, testLabels };
};

/** A train request with a preset's configuration and `change` applied to its training settings. */
function settingsFor(name: string, change: (training: TrainSettings['training']) => void = () => {}): TrainSettings {
  const { model, training, data } = summarizePreset(presetNamed(name));
  change(training);
  return { preset: name, dataset: 'mnist', model, training, data };
}

describe('presets and the resolved settings', () => {
  it('summarises a preset with its whole configuration, float32 values as written', () => {
    const preset = presetNamed('mlp');
    preset.training.optimizer.learning_rate = Math.fround(0.001);
    preset.training.optimizer.beta2 = Math.fround(0.999);
    preset.data.augment.max_zoom = Math.fround(0.1);
    const summary = summarizePreset(preset);
    expect(summary).toMatchObject({ name: 'mlp', description: 'mlp model', model: preset.model });
    expect(summary.training.optimizer).toEqual(defaultsOf<TrainConfig>('training').optimizer); // 0.001 and 0.999 again
    expect(summary.data.augment.max_zoom).toBe(0.1);
    expect(preset.training.optimizer.learning_rate).toBe(Math.fround(0.001)); // not modified
  });

  it('resolves the request: headline values, and a full batch as the training split', () => {
    const settings = settingsFor('mlp', (training) => Object.assign(training, { epochs: 1, l2: 0.01 }));
    const resolved = resolveSettings(settings, 60000);
    expect(resolved).toMatchObject({ preset: 'mlp', dataset: 'mnist', epochs: 1, batchSize: 64, learningRate: 0.001, optimizer: 'adam', seed: 1 });
    expect(resolved.training.l2).toBe(0.01);
    expect(resolveSettings({ ...settings, fullBatch: true }, 60000).training.batch_size).toBe(55000);
    expect(settings.training.batch_size).toBe(64);
  });

  it('shows the engine\'s float32 learning rates as written', () => {
    expect(float32ToDecimal(Math.fround(0.001))).toBe(0.001);
    expect(float32ToDecimal(Math.fround(0.1))).toBe(0.1);
  });
});

describe('TrainingRun', () => {
  it('trains in time slices, throttles progress, evaluates each epoch and the test set, keeps the session until dispose()', async () => {
    const clock = { t: 0 };
    const { engine, log } = fakeEngine(clock, 100, 10);
    const { host: h, events, job } = host(clock);
    const run = new TrainingRun(engine, h);
    expect(await job((j) => run.run(settingsFor('tfjs-cnn', (training) => (training.epochs = 2)), data(), j))).toBe('done');

    const types = events.filter((e) => e.type !== 'job').map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types.slice(-2)).toEqual(['done', 'results']);
    const progress = events.filter((e): e is Extract<EngineEvent, { type: 'progress' }> => e.type === 'progress');
    // 10 ms a batch, ≥ 100 ms between progress events: about 10 per epoch, never more often.
    expect(progress.length).toBeGreaterThanOrEqual(16);
    expect(progress.length).toBeLessThanOrEqual(24);
    const losses = progress.flatMap((p) => Array.from(p.losses));
    expect(losses).toHaveLength(200);
    expect(progress.map((p) => p.firstStep)).toEqual(progress.map((_, i) => (i === 0 ? 1 : progress[i - 1]!.step + 1)));
    expect(progress.at(-1)).toMatchObject({ epoch: 2, batch: 100, batchesPerEpoch: 100, step: 200 });
    expect(progress.at(-1)!.samplesPerSecond).toBeCloseTo(6400, 0); // 64 samples per 10 ms

    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toEqual([
      { type: 'epoch', epoch: 1, trainLoss: 0.1, trainAccuracy: 0.98, devLoss: 0.1, devAccuracy: 0.96 },
      { type: 'epoch', epoch: 2, trainLoss: 0.1, trainAccuracy: 0.98, devLoss: 0.1, devAccuracy: 0.97 },
    ]);
    expect(log.evaluations).toEqual([
      { split: SPLIT.train, keep: 0, maxSamples: TRAIN_EVAL_SAMPLES },
      { split: SPLIT.dev, keep: 0, maxSamples: 0 },
      { split: SPLIT.train, keep: 0, maxSamples: TRAIN_EVAL_SAMPLES },
      { split: SPLIT.dev, keep: 0, maxSamples: 0 },
      { split: SPLIT.test, keep: 10000, maxSamples: 0 },
    ]);
    expect(events.at(-3)).toMatchObject({ type: 'done', testAccuracy: 0.98, testCount: 10000 });
    const results = events.at(-2) as Extract<EngineEvent, { type: 'results' }>;
    expect(events.at(-1)).toMatchObject({ type: 'job', kind: 'image', state: 'done' });
    expect(results).toMatchObject({ classes: 10, confusion: [1, 2, 3], perClassAccuracy: [0.9] });
    // The 12 most confident mistakes, most confident first, with their pixels in the same order.
    expect(results.mistakes.map((m) => m.index)).toEqual(Array.from({ length: 12 }, (_, k) => 3 + 10 * (19 - k)));
    expect(results.mistakePixels).toHaveLength(12 * 784);
    expect(results.mistakePixels[0]).toBe(193);
    expect(results.mistakePixels[784]).toBe(183);

    // The trained session stays alive for predictions and the confusion cells.
    expect(log.sessions).toEqual([expect.objectContaining({ threads: 2, deleted: false })]);
    expect(run.hasModel).toBe(true);
    expect(run.predict(new Uint8Array(784))[1]).toBe(1);
    expect(log.predicted).toHaveLength(1);
    const offDiagonal = run.cellImages(3, 5, 24);
    expect(offDiagonal.total).toBe(20);
    expect(offDiagonal.indices.slice(0, 3)).toEqual([3, 13, 23]);
    expect(offDiagonal.pixels).toHaveLength(20 * 784);
    const diagonal = run.cellImages(3, 3, 24);
    expect(diagonal.total).toBe(1000 - 20);
    expect(diagonal.indices).toHaveLength(24);
    expect(diagonal.indices[0]).toBe(203);
    expect(diagonal.pixels[0]).toBe(203);
    run.dispose();
    expect(log.sessions[0]!.deleted).toBe(true);
    expect(run.hasModel).toBe(false);
    expect(() => run.predict(new Uint8Array(784))).toThrow('no trained model');
    expect(log.sessions[0]!.training.epochs).toBe(2);
    expect(PROGRESS_INTERVAL_MS).toBeGreaterThanOrEqual(50);
  });

  it('pauses between slices, resumes, and stops cooperatively', async () => {
    const clock = { t: 0 };
    const { engine, log } = fakeEngine(clock, 100, 10);
    let yields = 0;
    let id = 0;
    const { host: h, events, job, runner } = host(clock, () => {
      yields++;
      if (yields === 2) {
        runner.pause(id);
        setTimeout(() => runner.resume(id), 5);
      }
      if (yields === 4) runner.stop(id);
    });
    const run = new TrainingRun(engine, h);
    const ended = job((j) => ((id = j.id), run.run(settingsFor('tfjs-cnn'), data(), j)));
    expect(await ended).toBe('stopped');
    const lifecycle = events.filter((e) => e.type === 'job').map((e) => (e as { state: string }).state);
    expect(lifecycle).toEqual(['started', 'paused', 'resumed', 'stopped']);
    // Three slices ran (before the pause, after it, one more) and no batch after the stop.
    expect(events.filter((e) => e.type === 'progress').at(-1)).toMatchObject({ step: 15 });
    expect(events.at(-2)).toMatchObject({ type: 'stopped', epoch: 1, batch: 15 });
    expect(events.some((e) => e.type === 'done')).toBe(false);
    expect(log.sessions[0]!.deleted).toBe(true);
  });

  it('lets engine errors through (their message intact)', async () => {
    const clock = { t: 0 };
    const { engine, log } = fakeEngine(clock, 10, 1);
    const { host: h, job } = host(clock);
    await expect(job((j) => new TrainingRun(engine, h).run(settingsFor('logreg', (training) => (training.optimizer.learning_rate = -1)), data(), j))).rejects.toThrow(
      'learning_rate must be a positive number, got -1',
    );
    expect(log.sessions).toEqual([]);
  });
});

describe('datasets', () => {
  const gzip = async (bytes: Uint8Array<ArrayBuffer>) => new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());

  it('fetches and gunzips, loads train and test once, and reports HTTP errors', async () => {
    const requested: string[] = [];
    const fakeFetch = (async (url: string) => {
      requested.push(url);
      if (url.includes('missing')) return new Response('nope', { status: 404 });
      return new Response(await gzip(new TextEncoder().encode(url.split('/').at(-1)!)));
    }) as unknown as typeof fetch;
    const loaded: string[] = [];
    const engine = {
      loadImageSet: (images: Uint8Array, labels: Uint8Array, name: string) => {
        loaded.push(`${name}:${new TextDecoder().decode(images)}:${new TextDecoder().decode(labels)}`);
        return fakeImageSet(name.endsWith('train') ? 60000 : 10000);
      },
    } as unknown as ProfundoModule;
    const cache = new DatasetCache(engine, 'https://lab.example/app/', fakeFetch);
    const [a, b] = await Promise.all([cache.get('mnist'), cache.get('mnist')]);
    expect(a).toBe(b);
    expect(loaded).toEqual([
      'mnist-train:train-images-idx3-ubyte.gz:train-labels-idx1-ubyte.gz',
      'mnist-test:t10k-images-idx3-ubyte.gz:t10k-labels-idx1-ubyte.gz',
    ]);
    expect(requested).toHaveLength(4);
    expect(requested[0]).toBe('https://lab.example/app/data/mnist/train-images-idx3-ubyte.gz');
    await expect(fetchGunzipped('https://lab.example/missing.gz', fakeFetch)).rejects.toThrow('cannot fetch https://lab.example/missing.gz: HTTP 404');
  });
});

describe('keeping a trained model (save, reopen, more epochs)', () => {
  type Event<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
  const resolved = resolveSettings(settingsFor('tfjs-cnn', (training) => (training.epochs = 1)), 60000);

  it('saves the trained session, continues it with numbered-on epochs and steps, and hands the model over', async () => {
    const clock = { t: 0 };
    const { engine, log } = fakeEngine(clock, 10, 1);
    const firstHost = host(clock);
    const first = new TrainingRun(engine, firstHost.host);
    await firstHost.job((j) => first.run(settingsFor('tfjs-cnn', (training) => (training.epochs = 1)), data(), j));
    expect(Array.from(first.save())).toEqual([10, 1]);
    // The curves go into the file: every step's loss (as float32, as the page gets it) and the epoch's metrics.
    const firstCurves = JSON.parse(log.sessions[0]!.history!) as RunCurves;
    expect(firstCurves.lossSteps).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(firstCurves.losses).toEqual(Array.from({ length: 10 }, (_, i) => Math.fround(1 / (i + 1))));
    expect(firstCurves.epochs.map((e) => e.epoch)).toEqual([1]);

    // A refused request (bad epoch count) leaves the model where it was.
    const refused = host(clock);
    await expect(refused.job((j) => new TrainingRun(engine, refused.host).continueFrom(first, 0, j))).rejects.toThrow('epochs must be a whole number ≥ 1, got 0');
    expect(first.hasModel).toBe(true);

    const { host: h, events: all, job } = host(clock);
    const second = new TrainingRun(engine, h);
    await job((j) => second.continueFrom(first, 2, j));
    const events = all.filter((e) => e.type !== 'job');
    expect(first.hasModel).toBe(false);
    expect(() => first.save()).toThrow('no trained model');
    expect(second.hasModel).toBe(true);
    expect(log.sessions).toHaveLength(1); // the same session, trained on
    expect(log.sessions[0]!.deleted).toBe(false);
    const started = events[0] as Event<'started'>;
    expect(started).toMatchObject({ type: 'started', continued: true, settings: { preset: 'tfjs-cnn', epochs: 3, training: { epochs: 3 } } });
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as Event<'epoch'>).epoch)).toEqual([2, 3]);
    const progress = events.filter((e): e is Event<'progress'> => e.type === 'progress');
    expect(progress[0]!.firstStep).toBe(11);
    expect(progress.at(-1)).toMatchObject({ epoch: 3, step: 30 });
    expect(progress.flatMap((p) => Array.from(p.losses))).toHaveLength(20);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['done', 'results']);
    expect(Array.from(second.save())).toEqual([30, 3]);
    // The continued run's curves go on from the first run's.
    const curves = JSON.parse(log.sessions[0]!.history!) as RunCurves;
    expect(curves.lossSteps).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(curves.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
  });

  it('ends with the epoch of the best dev accuracy (training.keep best), tested and saved; keep last ends with the last', async () => {
    for (const keep of ['best', 'last'] as const) {
      const clock = { t: 0 };
      // Dev accuracy after epochs 1, 2, 3: the second epoch is the best.
      const { engine, log } = fakeEngine(clock, 10, 1, [0, 0.97, 0.99, 0.95]);
      const { host: h, events, job } = host(clock);
      const run = new TrainingRun(engine, h);
      await job((j) => run.run(settingsFor('tfjs-cnn', (training) => Object.assign(training, { epochs: 3, keep })), data(), j));
      const done = events.find((e): e is Event<'done'> => e.type === 'done')!;
      const kept = keep === 'best' ? 2 : 3;
      expect(done.kept).toEqual({ which: keep, epoch: kept, bestEpoch: 2, bestDevAccuracy: 0.99, lastDevAccuracy: 0.95, stoppedEarly: false });
      // The test set measures the kept model: restored before the test evaluation; saving saves it.
      expect(log.restored).toEqual([kept]);
      expect(Array.from(run.save())).toEqual([kept * 10, 3]);
    }
  });

  it('adopts a reopened session: modelLoaded, its epoch metrics, the test set, then predictions', () => {
    const clock = { t: 0 };
    const { engine, log } = fakeEngine(clock, 10, 1);
    const session = new engine.ClassifierSession(presetNamed('x').model, { ...presetNamed('x').training, epochs: 4 }, presetNamed('x').data, fakeImageSet(1), null, 2);
    for (let i = 0; i < 40; i++) session.trainNextBatch();
    const { host: h, events } = host(clock);
    const run = new TrainingRun(engine, h);
    const saved: RunCurves = {
      epochs: [1, 2, 3, 4].map((epoch) => ({ epoch, trainLoss: 1 / epoch, trainAccuracy: 0.9, devLoss: 1 / epoch, devAccuracy: 0.5 })),
      lossSteps: [1, 20, 40],
      losses: [2.3, 0.5, 0.2],
    };
    run.adopt(session, data(), resolved, 'model.profundo', saved);
    expect(events.map((e) => e.type)).toEqual(['modelLoaded', 'epoch', 'status', 'done', 'results']);
    expect((events[0] as Event<'modelLoaded'>).curves).toEqual(saved);
    // Saved again: the file's curves, its last epoch as measured now.
    run.save();
    const resaved = JSON.parse(log.sessions[0]!.history!) as RunCurves;
    expect(resaved.lossSteps).toEqual(saved.lossSteps);
    expect(resaved.epochs.map((e) => [e.epoch, e.devAccuracy])).toEqual([[1, 0.5], [2, 0.5], [3, 0.5], [4, 0.99]]);
    expect(events[0]).toMatchObject({ source: 'model.profundo', epochs: 4, settings: { epochs: 4, training: { epochs: 4 }, preset: 'tfjs-cnn' }, trainCount: 55000, devCount: 5000, testCount: 10000 });
    expect(events[1]).toMatchObject({ epoch: 4, devAccuracy: 0.99 });
    expect((events[3] as Event<'done'>).seconds).toBeNaN(); // how long it trained is not in the file
    expect(run.hasModel).toBe(true);
    expect(run.predict(new Uint8Array(784))).toHaveLength(10);
    run.dispose();
    expect(log.sessions[0]!.deleted).toBe(true);
  });
});
