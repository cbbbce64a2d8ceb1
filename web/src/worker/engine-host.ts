// What the engine worker holds once the wasm module is loaded, in one object created by init: the
// module, the datasets, the labs' networks, the trained model, the text lab and the job runner.
// The API (engine.worker.ts) and keep-model.ts read and change it directly.
import type { LabsModule } from '../engine/labs-types';
import type { ProfundoModule } from '../engine/types';
import { DatasetCache } from './datasets';
import { describeFailure } from './failure';
import { histogramsEvent } from './inspect';
import { JobRunner, makeYield, type JobClock } from './job-runner';
import { LabHost } from './labs';
import type { EngineError, EngineErrorCode, EngineEvent } from './protocol';
import { TextLab } from './text-training';
import { TrainingRun } from './training';

/** Sends an event to the page (its buffers listed in `transfer` move instead of being copied). */
export type EmitEvent = (event: EngineEvent, transfer?: Transferable[]) => void;

export class EngineHost {
  readonly datasets: DatasetCache;
  readonly labs: LabHost;
  readonly textLab: TextLab;
  readonly runner: JobRunner;
  /** The last run that finished (or the model loaded): it answers predictions until the next training. */
  trained: TrainingRun | undefined;
  /** Set when the wasm module aborted or trapped: nothing more is run on it. */
  dead = false;
  private readonly clock: JobClock = { now: () => performance.now(), yieldToEventLoop: makeYield() };

  constructor(
    readonly engine: ProfundoModule,
    assetBase: string,
    readonly emit: EmitEvent,
  ) {
    const threads = engine.buildInfo().threads;
    this.datasets = new DatasetCache(engine, assetBase);
    this.labs = new LabHost(engine as ProfundoModule & LabsModule, () => this.datasets.get('mnist'), threads);
    this.textLab = new TextLab(engine, {
      post: emit,
      now: this.clock.now,
      threads,
      fetchCorpus: async (id) => {
        const url = `${assetBase}data/text/${id}.txt`;
        const response = await fetch(url);
        if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status} (run npm run data)`);
        return response.text();
      },
    });
    this.runner = new JobRunner(this.clock, emit, (error) => this.noteFailure(error));
  }

  /** A crash retires the module and is told to the whole page (which offers Restart). */
  noteFailure(error: EngineError): void {
    if (error.code !== 'crashed' || this.dead) return;
    this.dead = true;
    this.emit({ type: 'error', error });
  }

  /**
   * Runs a request; its failure crosses as an EngineError (`code` unless it is a crash or out of
   * memory). With `toImageScreens` the failure is also sent as an `error` event, which the
   * training and runs screens show (as they did before these requests had answers).
   */
  async answer<T>(code: EngineErrorCode, action: () => T | Promise<T>, { toImageScreens = false, subject }: { toImageScreens?: boolean; subject?: string } = {}): Promise<T> {
    try {
      return await action();
    } catch (err) {
      const failure = describeFailure(code, err);
      const error = subject && !failure.subject ? { ...failure, subject } : failure; // the page's sentence names it
      this.noteFailure(error);
      if (toImageScreens && error.code !== 'crashed') this.emit({ type: 'error', error });
      throw error;
    }
  }

  /** A training run posting to the page, with each epoch's histograms. */
  newRun(): TrainingRun {
    return new TrainingRun(this.engine, {
      post: this.emit,
      now: this.clock.now,
      threads: this.engine.buildInfo().threads,
      afterEpoch: (session, epoch) => this.emit(histogramsEvent(this.engine, session, epoch)),
    });
  }
}

/** A refusal of a request that cannot be answered now (it names what to do instead). */
export function refusal(message: string): EngineError {
  return { code: 'bad-request', message };
}
