// The text lab without wasm: the frequency-only baseline, the form → request translation, the
// curves, and the worker's text loop driven with a fake engine (throttled progress, evaluations
// and samples, limits, stop, errors naming the file, every session freed).
import { describe, expect, it } from 'vitest';
import { defaultsOf } from '../../../web/src/engine/settings-registry';
import type { TextConfig, TextModule, TextSession, TextTrainReport } from '../../../web/src/engine/text-types';
import type { EngineEvent, TextTrainSettings } from '../../../web/src/worker/protocol';
import { perplexity, unigramEntropy } from '../../../web/src/worker/text-stats';
import { JobRunner } from '../../../web/src/worker/job-runner';
import { nameTheSource, reachedLimit, TEXT_PROGRESS_INTERVAL_MS, TextLab, textConfigFrom } from '../../../web/src/worker/text-training';
import { defaultTextForm, FieldError, TEXT_CELLS, textChoices, textRequest, utf8Length } from '../../../web/src/screens/text/text-form';
import { problemText } from '../../../web/src/i18n/setting-problem';
import { LossHistory } from '../../../web/src/screens/text/loss-history';
import { parseRoute, routeHash } from '../../../web/src/routes';

describe('unigram entropy', () => {
  it('is ln K for K equally frequent characters and 0 for one character', () => {
    expect(unigramEntropy('abcdabcd')).toBeCloseTo(Math.log(4), 12);
    expect(unigramEntropy('aaaa')).toBe(0);
    expect(unigramEntropy('')).toBeNaN();
  });

  it('follows −Σ p ln p and counts code points, not UTF-16 units', () => {
    // 'aab': p = 2/3, 1/3.
    expect(unigramEntropy('aab')).toBeCloseTo(-(2 / 3) * Math.log(2 / 3) - (1 / 3) * Math.log(1 / 3), 12);
    // 'ñ' and an astral character are one character each: two characters, equally frequent.
    expect(unigramEntropy('ñ😀')).toBeCloseTo(Math.log(2), 12);
  });

  it('gives perplexity e^loss', () => {
    expect(perplexity(Math.log(65))).toBeCloseTo(65, 10);
  });
});

describe('the text form', () => {
  it('turns the defaults into the engine’s fields', () => {
    const form = defaultTextForm();
    expect(textChoices(form)).toEqual({
      cell: 'lstm',
      layers: 1,
      hidden_size: 128,
      embedding_size: 64,
      seq_length: 64,
      batch_size: 32,
      optimizer: { kind: 'adam', learning_rate: 0.003 },
      schedule: { kind: 'constant', c1: 1, c2: 100, gamma: 0.5, step_size: 1000 },
      l2: 0,
      clip_norm: 5,
      seed: 1,
    });
    const request = textRequest(form, { kind: 'builtin', id: 'shakespeare' });
    expect(request.maxSeconds).toBe(120);
    expect(request.maxSteps).toBe(0);
    expect(request.corpus).toEqual({ kind: 'builtin', id: 'shakespeare' });
  });

  it('takes its fields, choices and defaults from the engine\'s registry, and names a value out of its range', () => {
    expect([...TEXT_CELLS]).toEqual(['rnn', 'gru', 'lstm']);
    expect(defaultTextForm()).toMatchObject({ cell: 'lstm', layers: '1', seqLength: '64', batch: '32', learningRate: '0.003', clip: '5', seed: '1' });
    try {
      textChoices({ ...defaultTextForm(), hidden: '5000' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FieldError);
      expect(problemText((err as FieldError).problem!)).toBe('Hidden units (text.hidden_size): 5000 is outside the allowed range [1, 4096]');
    }
    expect(textChoices({ ...defaultTextForm(), clip: '' }).clip_norm).toBe(0);
  });

  it('names a field that is not a number (whole numbers where the engine wants them)', () => {
    const form = { ...defaultTextForm(), hidden: '12.5' };
    expect(() => textChoices(form)).toThrow(FieldError);
    try {
      textChoices({ ...defaultTextForm(), learningRate: 'fast' });
    } catch (err) {
      expect(err).toBeInstanceOf(FieldError);
      expect((err as FieldError).field).toBe('learningRate');
    }
    expect(textChoices({ ...defaultTextForm(), clip: '' }).clip_norm).toBe(0);
    expect(textRequest({ ...defaultTextForm(), minutes: '', steps: '40' }, { kind: 'pasted', text: 'x' })).toMatchObject({ maxSeconds: 0, maxSteps: 40 });
    expect(() => textRequest({ ...defaultTextForm(), steps: '-' }, { kind: 'pasted', text: 'x' })).toThrow(/steps/);
  });

  it('counts UTF-8 bytes for the size limit', () => {
    expect(utf8Length('año')).toBe(4);
  });
});

describe('the text view', () => {
  it('is #view=text, both ways', () => {
    expect(parseRoute('#view=text')).toEqual({ view: 'text' });
    expect(routeHash({ view: 'text' })).toBe('#view=text');
    expect(parseRoute(routeHash({ view: 'text' }))).toEqual({ view: 'text' });
  });
});

describe('the loss history', () => {
  it('puts train and validation points on one step axis with the baseline', () => {
    const history = new LossHistory();
    history.baseline = 3;
    history.add(10, 'train', 4);
    history.add(10, 'validation', 3.5);
    history.add(20, 'train', 2.5);
    expect(history.lastValidation).toBe(3.5);
    expect(history.series(false)).toEqual({ x: [10, 20], ys: [[4, 2.5], [3.5, null], [3, 3]] });
    expect(history.series(true).ys[0]![0]).toBeCloseTo(Math.exp(4), 10);
    history.clear();
    expect(history.lastValidation).toBeUndefined();
    expect(history.series(false).ys[2]).toEqual([]);
  });
});

describe('worker helpers', () => {
  const defaults = defaultsOf<TextConfig>('text');

  it('fills the engine’s defaults under the student’s choices', () => {
    const config = textConfigFrom(defaults, { ...textChoices(defaultTextForm()), cell: 'gru' });
    expect(config).toMatchObject({ cell: 'gru', hidden_size: 128, dropout: 0, validation_fraction: 0.1 });
    expect(config.optimizer).toEqual({ ...defaults.optimizer, learning_rate: 0.003 });
  });

  it('names the file in the engine’s corpus messages and stops at the first limit', () => {
    expect(nameTheSource('corpus: invalid UTF-8 at byte 3 (x)', 'mine.txt')).toBe('mine.txt: invalid UTF-8 at byte 3 (x)');
    expect(nameTheSource('text.hidden_size must be in [1, 4096], got 0', 'mine.txt')).toBe('text.hidden_size must be in [1, 4096], got 0');
    expect(reachedLimit({ maxSteps: 10, maxSeconds: 0 }, 10, 1e6 - 1)).toBe(true);
    expect(reachedLimit({ maxSteps: 0, maxSeconds: 0 }, 1e9, 1e9)).toBe(false);
    expect(reachedLimit({ maxSteps: 0, maxSeconds: 5 }, 3, 5)).toBe(true);
    expect(reachedLimit({ maxSteps: 10, maxSeconds: 5 }, 9, 4)).toBe(false);
  });
});

// ---- a fake engine ----------------------------------------------------------------------------

interface Fake {
  module: TextModule;
  sessions: { deleted: boolean; corpus: string | Uint8Array }[];
  clock: { ms: number };
}

/** Each training step takes STEP_MS of fake time; the loss falls by 0.01 a step from 4. */
const STEP_MS = 10;

function fakeEngine(defaults: TextConfig): Fake {
  const clock = { ms: 0 };
  const sessions: Fake['sessions'] = [];
  class FakeSession implements TextSession {
    private step = 0;
    private readonly record: Fake['sessions'][number];
    constructor(corpus: string | Uint8Array, private readonly cfg: TextConfig, private readonly nThreads: number) {
      if (corpus instanceof Uint8Array && corpus.includes(0xff)) throw new Error('corpus: invalid UTF-8 at byte 2 (invalid leading byte, byte 0xff)');
      if (cfg.hidden_size < 1) throw new Error(`text.hidden_size must be in [1, 4096], got ${cfg.hidden_size}`);
      this.record = { deleted: false, corpus };
      sessions.push(this.record);
    }
    static resume(): TextSession {
      throw new Error('run.profundo: not a Profundo file');
    }
    trainSteps(count: number): TextTrainReport {
      this.step += count;
      clock.ms += STEP_MS * count;
      return { loss: 4 - 0.01 * this.step, steps: count, clipped: 0, grad_norm: 1, step: this.step, learning_rate: 0.003, epoch: 0, clipped_fraction: 0.25, characters: this.step * 100 };
    }
    evaluateValidation(): number {
      return 3.9 - 0.01 * this.step;
    }
    sample(prime: string, length: number): string {
      return `${prime}${'x'.repeat(length)}`.slice(prime.length);
    }
    save(): Uint8Array {
      return new Uint8Array([1, 2, 3]);
    }
    exportOnnx(): Uint8Array {
      return new Uint8Array([8, 7]);
    }
    canTrain(): boolean {
      return true;
    }
    config(): TextConfig {
      return this.cfg;
    }
    corpusStats() {
      return { bytes: 8, characters: 8, vocabulary_size: 4, train_characters: 7, validation_characters: 1, chunks_per_epoch: 1 };
    }
    vocabularySize(): number {
      return 4;
    }
    vocabulary(): string[] {
      return ['a', 'b', 'c', 'd'];
    }
    steps(): number {
      return this.step;
    }
    epoch(): number {
      return 0;
    }
    threads(): number {
      return this.nThreads;
    }
    parameterCount(): number {
      return 1000;
    }
    delete(): void {
      this.record.deleted = true;
    }
  }
  return { module: { defaultTextConfig: () => structuredClone(defaults), maxTextBytes: () => 16 * 1024 * 1024, TextSession: FakeSession }, sessions, clock };
}

function settings(overrides: Partial<TextTrainSettings> = {}): TextTrainSettings {
  return {
    corpus: { kind: 'builtin', id: 'shakespeare' },
    config: textChoices(defaultTextForm()),
    maxSteps: 200,
    maxSeconds: 0,
    evalIntervalMs: 500,
    sampleIntervalMs: 700,
    evalCharacters: 1000,
    ...overrides,
  };
}

function labWith(fake: Fake) {
  const events: EngineEvent[] = [];
  const post = (event: EngineEvent) => void events.push(event);
  const now = () => fake.clock.ms;
  const lab = new TextLab(fake.module, { post, now, fetchCorpus: async () => 'abcdabcd', threads: 2 });
  const runner = new JobRunner({ now, yieldToEventLoop: () => new Promise<void>((resolve) => setTimeout(resolve, 0)) }, post);
  const start = (request: TextTrainSettings) => runner.start('text', (job) => lab.train(request, job));
  const run = (request: TextTrainSettings) => start(request).finished;
  return { lab, events, run, start, runner };
}

const failure = (events: EngineEvent[]) => events.find((e): e is Extract<EngineEvent, { type: 'job' }> => e.type === 'job' && e.state === 'failed')?.error;

const DEFAULTS = defaultsOf<TextConfig>('text');

describe('the worker’s text loop', () => {
  it('trains to the step limit with throttled progress, evaluations, samples and a final evaluation', async () => {
    const fake = fakeEngine(DEFAULTS);
    const { events, run, lab } = labWith(fake);
    await run(settings());
    const started = events.find((e) => e.type === 'textStarted');
    expect(started).toMatchObject({ threads: 2, parameterCount: 1000 });
    expect((started as { unigramEntropy: number }).unigramEntropy).toBeCloseTo(Math.log(4), 12);
    const progress = events.filter((e): e is Extract<EngineEvent, { type: 'textProgress' }> => e.type === 'textProgress');
    // 200 steps × 10 ms = 2 s of fake time: at most one progress per 250 ms.
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.length).toBeLessThanOrEqual(2000 / TEXT_PROGRESS_INTERVAL_MS);
    expect(progress.at(-1)!.clippedFraction).toBe(0.25);
    // Characters per second: 64 × 32 characters per 10 ms step.
    expect(progress[0]!.charactersPerSecond).toBeCloseTo(64 * 32 * 100, 6);
    const evals = events.filter((e) => e.type === 'textEval');
    expect(evals.length).toBeGreaterThanOrEqual(3);
    expect(evals.at(-1)).toMatchObject({ step: 200, characters: 0 });
    expect(events.filter((e) => e.type === 'textSample').length).toBeGreaterThanOrEqual(2);
    expect(events.find((e) => e.type === 'textDone')).toMatchObject({ step: 200, stopped: false });
    expect(events.filter((e) => e.type === 'job').map((e) => (e as { state: string }).state)).toEqual(['started', 'done']);
    // The model stays for generating and saving…
    expect(fake.sessions[0]!.deleted).toBe(false);
    expect(lab.generate('ab', 7, 0, 1)).toEqual({ step: 200, prime: 'ab', text: 'xxxxxxx', temperature: 0 });
    expect(Array.from(lab.save())).toEqual([1, 2, 3]);
    // …until the next run replaces (and frees) it.
    await run(settings({ maxSteps: 3 }));
    expect(fake.sessions[0]!.deleted).toBe(true);
    expect(fake.sessions[1]!.deleted).toBe(false);
  });

  it('stops between steps when asked', async () => {
    const fake = fakeEngine(DEFAULTS);
    const { events, start, runner } = labWith(fake);
    const { id, finished } = start(settings({ maxSteps: 0, maxSeconds: 0 }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    runner.stop(id);
    expect(await finished).toBe('stopped');
    expect(events.find((e) => e.type === 'textDone')).toMatchObject({ stopped: true });
  });

  it('reports a bad upload with its file name and a bad setting with its field; nothing leaks', async () => {
    const fake = fakeEngine(DEFAULTS);
    const { events, run, lab } = labWith(fake);
    expect(await run(settings({ corpus: { kind: 'file', name: 'mine.txt', bytes: new Uint8Array([0x61, 0x62, 0xff]) } }))).toBe('failed');
    expect(failure(events)).toMatchObject({ code: 'text-corpus', message: 'mine.txt: invalid UTF-8 at byte 2 (invalid leading byte, byte 0xff)' });
    events.length = 0;
    await run(settings({ config: { ...textChoices(defaultTextForm()), hidden_size: 0 } }));
    expect(failure(events)).toMatchObject({ code: 'engine', message: 'text.hidden_size must be in [1, 4096], got 0' });
    expect(() => lab.generate('', 5, 1, 1)).toThrow('no text model: train or load one first');
    expect(() => lab.load(new Uint8Array([1]), 'run.profundo')).toThrow('run.profundo: not a Profundo file');
    expect(fake.sessions.length).toBe(0);
  });
});
