// The text lab inside the worker: one TextSession at a time, trained in time slices of ~SLICE_MS
// (so pause, stop, generate and save requests are answered between steps), with throttled
// progress, a validation loss and a sample every few seconds. The session stays after training
// for generating and saving, until the next run or load replaces it. Engine-free (the module and
// the host are injected) so the unit tests drive it with fakes.
import type { TextConfig, TextModule, TextSession } from '../engine/text-types';
import { toEngineError, type EngineErrorCode, type EngineEvent, type EngineRequest, type TextChoices, type TextCorpusSource, type TextTrainSettings } from './protocol';
import { unigramEntropy } from './text-stats';

/** Work per slice before yielding. */
export const TEXT_SLICE_MS = 50;
/** At most this often a textProgress event. */
export const TEXT_PROGRESS_INTERVAL_MS = 250;
/** Length and temperature of the samples shown while training. */
export const TRAINING_SAMPLE_LENGTH = 200;
export const TRAINING_SAMPLE_TEMPERATURE = 0.8;

export interface TextHost {
  post(event: EngineEvent, transfer?: Transferable[]): void;
  now(): number;
  /** Resolves after pending messages (pause, stop, generate) had a chance to run. */
  yieldToEventLoop(): Promise<void>;
  /** The text of a built-in corpus (fetched from the app's data folder). */
  fetchCorpus(id: string): Promise<string>;
  threads: number;
}

/** The engine names the text "corpus" in its messages; the student knows it by its file name. */
export function nameTheSource(message: string, name: string): string {
  return message.startsWith('corpus: ') ? `${name}: ${message.slice('corpus: '.length)}` : message;
}

/** The engine's defaults with the student's choices on top. */
export function textConfigFrom(defaults: TextConfig, choices: TextChoices): TextConfig {
  return { ...defaults, ...choices, optimizer: { ...defaults.optimizer, ...choices.optimizer } };
}

/** Whether a run with these limits should stop now. */
export function reachedLimit(settings: Pick<TextTrainSettings, 'maxSteps' | 'maxSeconds'>, steps: number, seconds: number): boolean {
  return (settings.maxSteps > 0 && steps >= settings.maxSteps) || (settings.maxSeconds > 0 && seconds >= settings.maxSeconds);
}

type TextRequest = Extract<EngineRequest, { type: `text${string}` }>;

export class TextLab {
  private session: TextSession | undefined;
  private training = false;
  private paused = false;
  private stopRequested = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly engine: TextModule,
    private readonly host: TextHost,
  ) {}

  handle(request: TextRequest): void {
    switch (request.type) {
      case 'textTrain': {
        const { type: _type, ...settings } = request;
        void this.train(settings);
        break;
      }
      case 'textPause':
        this.paused = true;
        break;
      case 'textResume':
        this.paused = false;
        this.wakeUp();
        break;
      case 'textStop':
        this.stopRequested = true;
        this.wakeUp();
        break;
      case 'textGenerate':
        this.guarded('engine', () => {
          const session = this.requireSession();
          const text = session.sample(request.prime, request.length, request.temperature, request.seed);
          this.host.post({ type: 'textSample', id: request.id, step: session.steps(), prime: request.prime, text, temperature: request.temperature });
        });
        break;
      case 'textSave':
        this.guarded('engine', () => {
          const bytes = this.requireSession().save();
          this.host.post({ type: 'textSaved', id: request.id, bytes }, [bytes.buffer]);
        });
        break;
      case 'textLoad':
        this.guarded('model-file', () => this.load(request.bytes, request.source));
        break;
    }
  }

  private requireSession(): TextSession {
    if (!this.session) throw new Error('no text model: train or load one first');
    return this.session;
  }

  private guarded(code: EngineErrorCode, action: () => void): void {
    try {
      action();
    } catch (err) {
      this.host.post({ type: 'textError', error: toEngineError(code, err) });
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private replaceSession(session: TextSession | undefined): void {
    this.session?.delete();
    this.session = session;
  }

  private load(bytes: Uint8Array, source: string): void {
    if (this.training) throw new Error('a text run is in progress: stop it first');
    // Sampling only: the page does not know which text the file was trained on.
    const session = this.engine.TextSession.resume(bytes, source, '', 1);
    this.replaceSession(session);
    this.host.post({
      type: 'textLoaded',
      source,
      config: session.config(),
      steps: session.steps(),
      vocabularySize: session.vocabularySize(),
      parameterCount: session.parameterCount(),
    });
  }

  /** The corpus as the engine takes it, and its text for the statistics (an upload is decoded only after the engine accepted it). */
  private async corpusOf(source: TextCorpusSource): Promise<{ corpus: string | Uint8Array; name: string; text: () => string }> {
    switch (source.kind) {
      case 'builtin': {
        const text = await this.host.fetchCorpus(source.id);
        return { corpus: text, name: `${source.id}.txt`, text: () => text };
      }
      case 'pasted':
        return { corpus: source.text, name: 'corpus', text: () => source.text };
      case 'file':
        return { corpus: source.bytes, name: source.name, text: () => new TextDecoder().decode(source.bytes) };
    }
  }

  private async train(settings: TextTrainSettings): Promise<void> {
    const { host } = this;
    if (this.training) {
      host.post({ type: 'textError', error: { code: 'bad-request', message: 'a text run is already in progress' } });
      return;
    }
    this.training = true;
    this.paused = false;
    this.stopRequested = false;
    this.replaceSession(undefined);
    let stage: EngineErrorCode = 'text-corpus';
    try {
      host.post({ type: 'textStatus', status: 'loading-data' });
      const { corpus, name, text } = await this.corpusOf(settings.corpus);
      stage = 'engine';
      // Crosses as the engine's JSON: its reader refuses a wrong type or range naming the field.
      const config = textConfigFrom(this.engine.defaultTextConfig(), settings.config);
      stage = 'text-corpus';
      let session: TextSession;
      try {
        session = new this.engine.TextSession(corpus, config, host.threads);
      } catch (err) {
        // The engine starts its messages about the text with "corpus: "; the others name a setting.
        const message = err instanceof Error ? err.message : String(err);
        if (!message.startsWith('corpus: ')) stage = 'engine';
        throw new Error(nameTheSource(message, name));
      }
      this.session = session;
      stage = 'engine';
      host.post({
        type: 'textStarted',
        config: session.config(),
        stats: session.corpusStats(),
        parameterCount: session.parameterCount(),
        threads: session.threads(),
        unigramEntropy: unigramEntropy(text()),
      });
      await this.drive(session, settings);
    } catch (err) {
      host.post({ type: 'textError', error: toEngineError(stage, err) });
    } finally {
      this.training = false;
      host.post({ type: 'textStatus', status: 'idle' });
    }
  }

  private async drive(session: TextSession, settings: TextTrainSettings): Promise<void> {
    const { host } = this;
    host.post({ type: 'textStatus', status: 'training' });
    let trainingMs = 0; // paused and evaluation time excluded
    let lossSum = 0;
    let lossSteps = 0;
    let windowCharacters = 0;
    let windowMs = 0;
    let lastProgress = host.now();
    let lastEval = host.now();
    let lastSample = host.now();
    const charactersPerStep = settings.config.seq_length * settings.config.batch_size;
    let report = undefined as ReturnType<TextSession['trainSteps']> | undefined;

    const evaluate = (characters: number) => {
      host.post({ type: 'textStatus', status: 'evaluating' });
      host.post({ type: 'textEval', step: session.steps(), validationLoss: session.evaluateValidation(characters), characters });
      host.post({ type: 'textStatus', status: 'training' });
    };

    while (!this.stopRequested && !reachedLimit(settings, session.steps(), trainingMs / 1000)) {
      if (this.paused) {
        host.post({ type: 'textStatus', status: 'paused' });
        await new Promise<void>((resolve) => (this.wake = resolve));
        if (!this.stopRequested) host.post({ type: 'textStatus', status: 'training' });
        continue;
      }
      const sliceStart = host.now();
      do {
        report = session.trainSteps(1);
        lossSum += report.loss;
        lossSteps++;
        windowCharacters += charactersPerStep;
      } while (host.now() - sliceStart < TEXT_SLICE_MS && !reachedLimit(settings, report.step, (trainingMs + host.now() - sliceStart) / 1000));
      const sliceMs = host.now() - sliceStart;
      trainingMs += sliceMs;
      windowMs += sliceMs;

      const now = host.now();
      if (now - lastProgress >= TEXT_PROGRESS_INTERVAL_MS) {
        host.post({
          type: 'textProgress',
          step: report.step,
          epoch: report.epoch,
          loss: lossSum / lossSteps,
          charactersPerSecond: windowMs > 0 ? (windowCharacters * 1000) / windowMs : 0,
          clippedFraction: report.clipped_fraction,
          gradNorm: report.grad_norm,
          seconds: trainingMs / 1000,
        });
        lossSum = 0;
        lossSteps = 0;
        windowCharacters = 0;
        windowMs = 0;
        lastProgress = now;
      }
      if (now - lastEval >= settings.evalIntervalMs) {
        evaluate(settings.evalCharacters);
        lastEval = host.now();
      }
      if (now - lastSample >= settings.sampleIntervalMs) {
        const text = session.sample('', TRAINING_SAMPLE_LENGTH, TRAINING_SAMPLE_TEMPERATURE, report.step);
        host.post({ type: 'textSample', id: 0, step: report.step, prime: '', text, temperature: TRAINING_SAMPLE_TEMPERATURE });
        lastSample = host.now();
      }
      await host.yieldToEventLoop();
    }
    if (session.steps() > 0) evaluate(0);
    host.post({ type: 'textDone', step: session.steps(), seconds: trainingMs / 1000, stopped: this.stopRequested });
  }
}
