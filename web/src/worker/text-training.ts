// The text lab inside the worker: one TextSession at a time, trained as a job of the JobRunner (so
// pause, stop, generate and save are answered between slices), with throttled progress, a
// validation loss and a sample every few seconds. The session stays after training
// for generating and saving, until the next run or load replaces it. Engine-free (the module and
// the host are injected) so the unit tests drive it with fakes.
import type { TextConfig, TextModule, TextSession } from '../engine/text-types';
import { describeFailure } from './failure';
import { Throttle, type Job, type JobEnd } from './job-runner';
import { describedError, type EngineErrorCode, type EngineEvent, type GeneratedText, type TextChoices, type TextCorpusSource, type TextLoaded, type TextModelChoice, type TextTrainSettings } from './protocol';
import { unigramEntropy } from './text-stats';

/** At most this often a textProgress event. */
export const TEXT_PROGRESS_INTERVAL_MS = 250;
/** Length and temperature of the samples shown while training. */
export const TRAINING_SAMPLE_LENGTH = 200;
export const TRAINING_SAMPLE_TEMPERATURE = 0.8;

export interface TextHost {
  post(event: EngineEvent, transfer?: Transferable[]): void;
  now(): number;
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

/** `length` characters from `model` of the run. */
export function sampleOf(session: TextSession, model: TextModelChoice, prime: string, length: number, temperature: number, seed: number): GeneratedText {
  const best = model === 'best';
  const text = best ? session.sampleBest(prime, length, temperature, seed) : session.sample(prime, length, temperature, seed);
  return { step: best ? session.bestModelStep() : session.steps(), model, prime, text, temperature };
}

export class TextLab {
  private session: TextSession | undefined;

  constructor(
    private readonly engine: TextModule,
    private readonly host: TextHost,
  ) {}

  /** Generated text from the best model so far or the last one. */
  generate(prime: string, length: number, temperature: number, seed: number, model: TextModelChoice = 'best'): GeneratedText {
    return sampleOf(this.requireSession(), model, prime, length, temperature, seed);
  }

  /** The kept model (text.keep: the best or the last one) as the engine's saved-run file. */
  save(): Uint8Array {
    return this.requireSession().save();
  }

  /** The current model as an ONNX file. */
  exportOnnx(): Uint8Array {
    return this.requireSession().exportOnnx();
  }

  private requireSession(): TextSession {
    if (!this.session) throw new Error('no text model: train or load one first');
    return this.session;
  }

  private replaceSession(session: TextSession | undefined): void {
    this.session?.delete();
    this.session = session;
  }

  /** Reopens a saved run for sampling (the caller makes sure no text job is running). */
  load(bytes: Uint8Array, source: string): TextLoaded {
    // An ONNX file (a text model's export) has no training state or settings to reopen here.
    if (source.toLowerCase().endsWith('.onnx')) throw new Error(`${source}: an ONNX file cannot be opened in the text lab; load the run's .profundo file`);
    // Sampling only: the page does not know which text the file was trained on.
    const session = this.engine.TextSession.resume(bytes, source, '', 1);
    this.replaceSession(session);
    return {
      source,
      config: session.config(),
      steps: session.steps(),
      vocabularySize: session.vocabularySize(),
      parameterCount: session.parameterCount(),
    };
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

  /** Trains a new model (the job's body); throws its error staged as corpus, setting or engine error. */
  async train(settings: TextTrainSettings, job: Job): Promise<JobEnd> {
    const { host } = this;
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
        throw describedError(nameTheSource(message, name), stage === 'text-corpus' ? { subject: name } : {});
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
      return await this.drive(session, settings, job);
    } catch (err) {
      throw describeFailure(stage, err);
    }
  }

  private async drive(session: TextSession, settings: TextTrainSettings, job: Job): Promise<JobEnd> {
    const { host } = this;
    host.post({ type: 'textStatus', status: 'training' });
    let trainingMs = 0; // paused and evaluation time excluded
    let lossSum = 0;
    let lossSteps = 0;
    let windowCharacters = 0;
    let windowMs = 0;
    const progressDue = new Throttle(TEXT_PROGRESS_INTERVAL_MS, () => host.now(), false);
    const evalDue = new Throttle(settings.evalIntervalMs, () => host.now(), false);
    const sampleDue = new Throttle(settings.sampleIntervalMs, () => host.now(), false);
    const charactersPerStep = settings.config.seq_length * settings.config.batch_size;

    const kept: TextModelChoice = settings.config.keep === 'last' ? 'last' : 'best';
    // A validation report, offered to the session's keeper; throws (the best model stays) on a NaN loss.
    const evaluate = (characters: number) => {
      host.post({ type: 'textStatus', status: 'evaluating' });
      const report = session.evaluate(characters);
      host.post({
        type: 'textEval',
        step: session.steps(),
        validationLoss: report.validation_loss,
        characters,
        improved: report.improved,
        bestValidationLoss: report.best_validation_loss,
        bestStep: report.best_step,
      });
      host.post({ type: 'textStatus', status: 'training' });
      return report;
    };
    let stoppedEarly = false;

    while (!reachedLimit(settings, session.steps(), trainingMs / 1000) && (await job.next())) {
      let report!: ReturnType<TextSession['trainSteps']>;
      const sliceStart = host.now();
      const sliceMs = job.slice(() => {
        report = session.trainSteps(1);
        lossSum += report.loss;
        lossSteps++;
        windowCharacters += charactersPerStep;
        return !reachedLimit(settings, report.step, (trainingMs + host.now() - sliceStart) / 1000);
      });
      trainingMs += sliceMs;
      windowMs += sliceMs;

      if (progressDue.due()) {
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
      }
      if (evalDue.due() && evaluate(settings.evalCharacters).should_stop) {
        stoppedEarly = true;
        break;
      }
      if (sampleDue.due()) {
        // From the kept model, as the run will end with it.
        host.post({ type: 'textSample', ...sampleOf(session, kept, '', TRAINING_SAMPLE_LENGTH, TRAINING_SAMPLE_TEMPERATURE, report.step) });
      }
    }
    const final = session.steps() > 0 ? evaluate(0) : undefined;
    host.post({
      type: 'textDone',
      step: session.steps(),
      seconds: trainingMs / 1000,
      stopped: job.stopping,
      stoppedEarly,
      lastValidationLoss: final?.validation_loss ?? NaN,
      bestValidationLoss: final?.best_validation_loss ?? NaN,
      bestStep: final?.best_step ?? NaN,
      kept,
    });
    return job.stopping ? 'stopped' : 'done';
  }
}
