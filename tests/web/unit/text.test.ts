// The text lab without wasm: the frequency-only baseline, the form → request translation, the
// curves, and the worker's text loop driven with a fake engine (throttled progress, evaluations
// and samples, limits, stop, errors naming the file, every session freed).
import { describe, expect, it } from 'vitest';
import { defaultsOf } from '../../../web/src/engine/settings-registry';
import type { TextConfig, TextEvaluation, TextModule, TextSession, TextTrainReport } from '../../../web/src/engine/text-types';
import type { EngineEvent, TextTrainSettings } from '../../../web/src/worker/protocol';
import { perplexity, unigramEntropy } from '../../../web/src/worker/text-stats';
import { JobRunner } from '../../../web/src/worker/job-runner';
import { nameTheSource, reachedLimit, TEXT_PROGRESS_INTERVAL_MS, TextLab, textConfigFrom } from '../../../web/src/worker/text-training';
import { applyTextPreset, defaultTextForm, FieldError, TEXT_CELLS, TEXT_PRESETS, textChoices, textRequest, utf8Length } from '../../../web/src/screens/text/text-form';
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
  it('starts from the quick Shakespeare preset and turns it into the engine’s fields', () => {
    const form = defaultTextForm();
    const quick = TEXT_PRESETS.find((p) => p.name === 'shakespeare-quick')!.config;
    const { cell, layers, hidden_size, embedding_size, dropout, dropout_embedding, dropout_head, seq_length, batch_size, schedule, l2, clip_norm, seed, keep, patience } = quick;
    expect(textChoices(form)).toEqual({
      ...{ cell, layers, hidden_size, embedding_size, dropout, dropout_embedding, dropout_head, seq_length, batch_size, schedule, l2, clip_norm, seed, keep, patience },
      optimizer: { kind: quick.optimizer.kind, learning_rate: quick.optimizer.learning_rate },
    });
    expect(form.corpus).toBe('shakespeare');
    const request = textRequest(form, { kind: 'builtin', id: 'shakespeare' });
    expect(request.maxSeconds).toBe(120);
    expect(request.maxSteps).toBe(0);
    expect(request.corpus).toEqual({ kind: 'builtin', id: 'shakespeare' });
  });

  it('applies a preset: every setting, its corpus and its minutes', () => {
    const form = defaultTextForm();
    form.steps = '500';
    const best = TEXT_PRESETS.find((p) => p.name === 'quijote-best')!;
    applyTextPreset(form, best);
    expect(form).toMatchObject({ corpus: 'quijote', minutes: '10', steps: '', hidden: String(best.config.hidden_size), dropoutHead: String(best.config.dropout_head) });
    expect(textChoices(form)).toMatchObject({ hidden_size: best.config.hidden_size, dropout: best.config.dropout, optimizer: { learning_rate: best.config.optimizer.learning_rate } });
    expect(TEXT_PRESETS.map((p) => p.name)).toEqual(['shakespeare-quick', 'shakespeare-best', 'quijote-quick', 'quijote-best']);
  });

  it('takes its fields, choices and defaults from the engine\'s registry, and names a value out of its range', () => {
    expect([...TEXT_CELLS]).toEqual(['rnn', 'gru', 'lstm']);
    const quick = TEXT_PRESETS.find((p) => p.name === 'shakespeare-quick')!.config;
    expect(defaultTextForm()).toMatchObject({ cell: quick.cell, layers: String(quick.layers), seqLength: String(quick.seq_length), batch: String(quick.batch_size), learningRate: String(quick.optimizer.learning_rate), clip: String(quick.clip_norm), seed: '1' });
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
    expect(history.series(false)).toEqual({ x: [10, 20], ys: [[4, 2.5], [3.5, null], [3, 3], [null, null]] });
    // The best validation point gets the marker (its one point).
    history.add(30, 'validation', 3.2);
    history.best = { step: 30, loss: 3.2 };
    expect(history.series(false).ys[3]).toEqual([null, null, 3.2]);
    history.add(40, 'validation', 3.4);
    expect(history.series(false).ys[3]).toEqual([null, null, 3.2, null]);
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
    const quick = TEXT_PRESETS.find((p) => p.name === 'shakespeare-quick')!.config;
    expect(config).toMatchObject({ cell: 'gru', hidden_size: quick.hidden_size, dropout: quick.dropout, validation_fraction: 0.1 });
    expect(config.optimizer).toEqual({ ...defaults.optimizer, learning_rate: quick.optimizer.learning_rate });
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

/** The validation loss at a step: falling by default; a run that overfits passes a curve with a minimum. */
type ValidationCurve = (step: number) => number;

function fakeEngine(defaults: TextConfig, validationAt: ValidationCurve = (step) => 3.9 - 0.01 * step): Fake {
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
    private best: { step: number; loss: number } | undefined;
    private reportsSinceBest = 0;
    evaluateValidation(): number {
      return validationAt(this.step);
    }
    // As the engine's keeper: the lowest finite loss is kept; a NaN throws with the engine's message.
    evaluate(): TextEvaluation {
      const loss = validationAt(this.step);
      const improved = Number.isFinite(loss) && (this.best === undefined || loss < this.best.loss);
      if (improved) this.best = { step: this.step, loss };
      this.reportsSinceBest = improved ? 0 : this.reportsSinceBest + 1;
      if (!Number.isFinite(loss)) throw new Error(`the validation loss became NaN at step ${this.step}; training stopped. Try a smaller learning rate.`);
      const best = this.best!;
      const patience = this.cfg.patience;
      return { validation_loss: loss, improved, best_validation_loss: best.loss, best_step: best.step, reports_since_best: this.reportsSinceBest, should_stop: patience > 0 && this.reportsSinceBest >= patience };
    }
    /** 'x' from the current model, 'y' from the best one. */
    sample(_prime: string, length: number): string {
      return 'x'.repeat(length);
    }
    sampleBest(_prime: string, length: number): string {
      return 'y'.repeat(length);
    }
    bestModelStep(): number {
      return this.best?.step ?? this.step;
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
    expect(lab.generate('ab', 7, 0, 1)).toEqual({ step: 200, model: 'best', prime: 'ab', text: 'yyyyyyy', temperature: 0 });
    expect(lab.generate('ab', 7, 0, 1, 'last')).toEqual({ step: 200, model: 'last', prime: 'ab', text: 'xxxxxxx', temperature: 0 });
    expect(Array.from(lab.save())).toEqual([1, 2, 3]);
    // …until the next run replaces (and frees) it.
    await run(settings({ maxSteps: 3 }));
    expect(fake.sessions[0]!.deleted).toBe(true);
    expect(fake.sessions[1]!.deleted).toBe(false);
  });

  it('reports the best validation loss, samples the best model and stops after `patience` reports without improvement', async () => {
    // Falls until step 100, then rises: the model of step 100 (or the last report before it) is the best.
    const fake = fakeEngine(DEFAULTS, (step) => 2 + 0.01 * Math.abs(step - 100));
    const { events, run, lab } = labWith(fake);
    await run(settings({ maxSteps: 1000, config: { ...textChoices(defaultTextForm()), patience: 3 } }));
    const evals = events.filter((e): e is Extract<EngineEvent, { type: 'textEval' }> => e.type === 'textEval');
    const bestEval = evals.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
    expect(bestEval.step).toBeLessThanOrEqual(100);
    expect(evals.filter((e) => e.step > 100).every((e) => !e.improved && e.bestStep === bestEval.step)).toBe(true);
    const done = events.find((e): e is Extract<EngineEvent, { type: 'textDone' }> => e.type === 'textDone')!;
    expect(done).toMatchObject({ stoppedEarly: true, stopped: false, bestStep: bestEval.step, bestValidationLoss: bestEval.validationLoss, kept: 'best' });
    expect(done.lastValidationLoss).toBeGreaterThan(done.bestValidationLoss);
    // Three periodic reports without improvement, then the final one: far before the 1000-step limit.
    expect(done.step).toBeLessThan(300);
    // Samples while training come from the kept (best) model, named with its step.
    const samples = events.filter((e): e is Extract<EngineEvent, { type: 'textSample' }> => e.type === 'textSample');
    const late = samples.filter((e) => e.step === bestEval.step);
    expect(late.length).toBeGreaterThan(0);
    expect(samples.every((e) => e.model === 'best' && e.text.startsWith('y'))).toBe(true);
    expect(lab.generate('', 3, 1, 1)).toMatchObject({ model: 'best', step: bestEval.step, text: 'yyy' });
    expect(lab.generate('', 3, 1, 1, 'last')).toMatchObject({ model: 'last', step: done.step, text: 'xxx' });
  });

  it('a NaN validation loss fails the run with the engine’s message and keeps the model for generating', async () => {
    const fake = fakeEngine(DEFAULTS, (step) => (step < 120 ? 3 - 0.001 * step : NaN));
    const { events, run, lab } = labWith(fake);
    expect(await run(settings({ maxSteps: 1000 }))).toBe('failed');
    expect(failure(events)?.message).toMatch(/^the validation loss became NaN at step \d+; training stopped\. Try a smaller learning rate\.$/);
    expect(fake.sessions[0]!.deleted).toBe(false);
    const bestStep = events.filter((e): e is Extract<EngineEvent, { type: 'textEval' }> => e.type === 'textEval').at(-1)!.bestStep;
    expect(lab.generate('', 3, 1, 1)).toMatchObject({ model: 'best', step: bestStep });
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
